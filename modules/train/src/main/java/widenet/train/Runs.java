package widenet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Npy;
import widenet.train.internal.CheckpointPolicy;
import widenet.train.internal.Json;
import widenet.train.internal.RunFolderChecks;
import widenet.train.internal.TrainingRun;

/**
 * The one way to train a {@link RunSpec} into a run folder ({@code run.json}, {@code metrics.csv}, {@code init/},
 * {@code final/}, checkpoints while it runs, {@code theory.json} with the two-layer theory): what {@code widenet
 * train}, the reproductions' variants and an embedding application call.
 *
 * <pre>
 * RunSpec spec = new RunSpec(new DataSpec.Sphere(64, 64), ModelSpec.TwoLayer.du2019(256),
 *         RunSpec.Optimisation.fullBatch(0.1, 100), 0, null, RunSpec.Theory.AUTO, null, null, null);
 * RunRecord r = Runs.train(spec, Path.of("runs/example"), RunListener.SILENT);
 * </pre>
 *
 * <p>A run stopped by SIGINT/SIGTERM ends with a checkpoint and status {@code interrupted}; {@link #resume} continues
 * it bit for bit. A diverged run ends with a {@link DivergenceException} after run.json says so.
 */
public final class Runs {
    private Runs() {}

    /** Trains {@code spec} into the new (absent or empty) folder {@code dir}. */
    public static RunRecord train(RunSpec spec, Path dir, RunListener listener) throws IOException {
        return start(spec, dir, false, listener);
    }

    /** As {@link #train}; {@code force}: write into a non-empty folder, starting afresh. */
    public static RunRecord start(RunSpec spec, Path dir, boolean force, RunListener listener) throws IOException {
        spec = spec.validate().withAbsolutePaths(); // recorded so that the run resumes from any working folder
        KernelProviders.named(spec.compute().kernels()); // an unknown provider before any folder is made
        return run(spec, spec, null, dir, force, listener);
    }

    /**
     * Continues the unfinished run in {@code dir} from its last good checkpoint. {@code agree} is given the spec the
     * run recorded and returns the spec to continue with (the same run; only the checkpoint cadence may differ) or
     * throws an {@link InputException} naming what the caller wants otherwise.
     */
    public static RunRecord resume(Path dir, UnaryOperator<RunSpec> agree, RunListener listener) throws IOException {
        try (TrainingRun session = TrainingRun.resume(dir)) {
            RunSpec recorded = session.resuming() ? recordedSpec(session, dir) : recordedSpec(dir);
            RunSpec spec = agree.apply(recorded).validate().withAbsolutePaths();
            requireSame(dir, recorded, spec, RunFolderChecks.LOCATION_FIELDS); // moved data: the CRC32 decides
            requireDataFiles(dir, spec);
            warnSkipped(session, listener);
            if (session.resuming()) {
                listener.log("resuming from " + session.checkpoint().dir() + " (step "
                        + session.checkpoint().step() + ")");
            } else {
                listener.log(
                        "restarting from step 0: " + dir + " has no checkpoint yet (the run stopped within its first "
                                + "checkpoint interval); its recorded spec gives the same run again");
            }
            // What the run records: the spec it was made with, the data where they are now (a cadence given with
            // --resume steers this session only).
            return run(spec, spec.withCheckpointEvery(recorded.checkpointEvery()), session, dir, false, listener);
        }
    }

    /** A resumed run's data files must be where its spec says, or be given again: say so in those terms. */
    private static void requireDataFiles(Path dir, RunSpec spec) {
        if (spec.data() instanceof DataSpec.NpyFiles f) {
            for (String file : List.of(f.x(), f.y())) {
                if (!Files.exists(Path.of(file))) {
                    throw new InputException(
                            "the run in " + dir + " was trained on " + file + ", which is not there any more;"
                                    + " if the data moved, give them again with --resume " + dir
                                    + " --x X.npy --y Y.npy (their content"
                                    + " is checked against the run's CRC32)");
                }
            }
        }
    }

    /**
     * For a run that is one of many (a reproduction's variant): a finished run in {@code dir} is kept (its record
     * returned, nothing trained), an unfinished one with a checkpoint resumes, anything else starts afresh. The run
     * found must have been made by the same spec (the checkpoint cadence aside): an {@link InputException} names the
     * first field that differs.
     */
    public static RunRecord continueIn(RunSpec spec, Path dir, RunListener listener) throws IOException {
        spec = spec.validate().withAbsolutePaths();
        if (TrainingRun.status(dir) == TrainingRun.Status.FINISHED) {
            requireSame(dir, recordedSpec(dir), spec);
            String left = RunFolderChecks.tidyFinished(dir);
            if (left != null) {
                listener.warning(left);
            }
            return RunRecord.read(dir);
        }
        try (TrainingRun session = TrainingRun.open(dir)) {
            if (session.resuming()) {
                requireSame(dir, recordedSpec(session, dir), spec);
                warnSkipped(session, listener);
            }
            return run(spec, spec, session, dir, true, listener);
        }
    }

    /** The spec recorded in the run folder {@code dir} (its run.json's {@code "spec"}). */
    public static RunSpec recordedSpec(Path dir) throws IOException {
        Path file = dir.resolve(TrainingRun.RUN_JSON);
        if (!Files.isRegularFile(file)) {
            throw new InputException(dir + " holds no run (no " + TrainingRun.RUN_JSON + ")");
        }
        Map<String, Object> run = Json.read(file);
        if (!(run.get("spec") instanceof Map<?, ?> spec)) {
            throw new InputException(file + " records no run spec (written by an older widenet?)");
        }
        return RunSpecJson.fromMap(spec, file.toString());
    }

    private static RunSpec recordedSpec(TrainingRun session, Path dir) {
        Map<String, Object> s = session.settings();
        if (!s.containsKey(RunSpecJson.SCHEMA_VERSION)) {
            throw new InputException(
                    "cannot resume: the checkpoint does not record the run's spec (written by an older widenet?)");
        }
        return RunSpecJson.fromMap(s, session.checkpoint().dir().toString());
    }

    /** Refuses {@code now} unless it is the run {@code was} describes, naming the first field that differs. */
    public static void requireSame(Path dir, RunSpec was, RunSpec now) {
        requireSame(dir, was, now, java.util.Set.of());
    }

    /** As {@link #requireSame(Path, RunSpec, RunSpec)}, the fields {@code except} (dotted paths) aside. */
    static void requireSame(Path dir, RunSpec was, RunSpec now, java.util.Set<String> except) {
        List<RunSpecJson.Difference> d = RunSpecJson.differences(was.identity(), now.identity()).stream()
                .filter(x -> !except.contains(x.field()))
                .toList();
        if (!d.isEmpty()) {
            RunSpecJson.Difference first = d.get(0);
            throw new InputException(dir + ": the run there was made with " + first.field() + " = " + show(first.was())
                    + ", not " + show(first.now())
                    + (d.size() > 1
                            ? " (and " + (d.size() - 1) + " more difference" + (d.size() > 2 ? "s" : "") + ")"
                            : "")
                    + "; use another folder, or start afresh");
        }
    }

    private static String show(Object v) {
        return v instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(v);
    }

    private static void warnSkipped(TrainingRun session, RunListener listener) {
        for (String s : session.skippedCheckpoints()) {
            listener.warning("skipping a damaged checkpoint: " + s);
        }
    }

    /**
     * Trains {@code spec} in {@code existing} (a session the caller opened, new or resumed; the caller closes it) or
     * in a new run in {@code dir}, created once the data and the network are made (so bad input leaves no folder).
     * The random streams split from the seed in this order: data, initialisation, then the shuffling seed, so every
     * run of the same spec draws the same numbers.
     */
    private static RunRecord run(
            RunSpec spec, RunSpec recordedAs, TrainingRun existing, Path dir, boolean force, RunListener listener)
            throws IOException {
        boolean resuming = existing != null && existing.resuming();
        spec.validate();
        CheckpointPolicy policy = CheckpointPolicy.parse(spec.checkpointEvery());
        SplittableRandom seeds = new SplittableRandom(spec.seed());
        SplittableRandom dataRng = seeds.split();
        SplittableRandom initRng = seeds.split();
        long shuffleSeed = seeds.nextLong();
        SplittableRandom testRng = seeds.split(); // after the others: a test set changes none of their draws
        RunSpec.Compute compute = spec.compute();
        warnOversubscribed(compute.threadCount(), listener);

        try (Kernels k = KernelProviders.open(compute.kernels(), compute.threadCount());
                Dataset data = spec.data().load(dataRng, spec.model());
                Dataset test = spec.data().loadTest(testRng, data)) {
            if (spec.optimisation().lrAuto() != null && spec.engine() instanceof EngineSpec.DataParallel) {
                throw new InputException("--lr auto is not available with --data-parallel; give the step --lr η");
            }
            if (spec.engine() instanceof EngineSpec.DataParallel dp) {
                dp.requireFullBatch(
                        spec.optimisation().settings(data.n(), shuffleSeed).batchSize(), data.n());
            }
            // A resumed run takes its initial weights from the checkpoint; a restarted one from --init, or, if that
            // folder is gone, from the copy the run made in its init/ (the same values).
            Path initFrom = spec.init() == null || resuming ? null : Path.of(spec.init());
            if (initFrom != null && existing != null && existing.restarting() && !Files.isDirectory(initFrom)) {
                initFrom = existing.folder().resolve("init");
            }
            EngineSpec.Distributed engine = createNetwork(k, spec, data, initRng, initFrom);
            AutoStep.Result auto = null;
            if (spec.optimisation().lrAuto() != null && !resuming) {
                try {
                    auto = AutoStep.resolve(k, spec, engine.network(), data, listener);
                    spec = auto.spec();
                    recordedAs = recordedAs.withOptimisation(spec.optimisation());
                } catch (RuntimeException e) {
                    engine.network().close();
                    throw e;
                }
            }
            TrainSettings settings = spec.optimisation().settings(data.n(), shuffleSeed);
            try (Network net = engine.network();
                    HeldOutProbe heldOut = heldOut(k, spec, data, test);
                    TheoryProvider.RunTheory theory = openTheory(k, spec, net, data, test, settings)) {
                List<String> warnings = new ArrayList<>();
                if (net instanceof DeepNetwork deep) {
                    String why = deep.config().pyramidViolation(data.n());
                    if (why != null) {
                        warnings.add(why + "; training anyway");
                        listener.warning("warning: " + why + "; training anyway");
                    }
                }
                for (String w : theory.warnings()) {
                    warnings.add(w);
                    listener.warning("warning: " + w);
                }
                Map<String, Object> run = RunDescription.of(recordedAs, k, data, net, settings, engine.description());
                if (auto != null) {
                    run.put("lr_auto", auto.record());
                }
                run.put("warnings", warnings);
                GracefulShutdown shutdown = GracefulShutdown.jvm();
                // The JVM waits for this section on SIGINT/SIGTERM, so the caller's message is printed before it exits.
                try (GracefulShutdown.Section section = shutdown.protect();
                        TrainingRun session = existing != null ? existing : TrainingRun.create(dir, force)) {
                    listener.log("widenet " + version() + " · kernels: " + k.description());
                    listener.log(RunDescription.line(
                            spec, data, net, settings, policy, session.folder().root()));
                    theory.startLines().forEach(listener::log);
                    List<Probe> probes = new ArrayList<>();
                    if (heldOut != null) {
                        probes.add(heldOut);
                    }
                    probes.addAll(theory.probes());
                    try (Trainer trainer = new Trainer(k, net, data, settings, probes)) {
                        listener.started(trainer.columns(), settings.steps());
                        TrainingRun.Finisher finisher = (r, status) -> {
                            theory.finish(session.folder(), r, listener::log);
                            timings(trainer, theory).putTimings(r);
                        };
                        TrainingRun.Outcome o;
                        try {
                            o = session.train(trainer, run, policy, listener, shutdown, finisher);
                        } finally {
                            listener.stopped();
                        }
                        RunRecord timing = timings(trainer, theory);
                        Path root = session.folder().root();
                        if (!o.finished()) {
                            return new RunRecord(
                                    root,
                                    RunRecord.INTERRUPTED,
                                    o.step(),
                                    timing.trainSeconds(),
                                    timing.probeSeconds(),
                                    timing.theorySetupSeconds(),
                                    null);
                        }
                        listener.log(String.format(
                                "done: %d steps in %.2f s (%.1f ms/step) · final loss %s · %s",
                                trainer.stepsDone(),
                                o.seconds(),
                                1e3 * o.seconds() / Math.max(1, trainer.stepsDone()),
                                o.finalLoss(),
                                root));
                        return new RunRecord(
                                root,
                                RunRecord.FINISHED,
                                trainer.stepsDone(),
                                timing.trainSeconds(),
                                timing.probeSeconds(),
                                timing.theorySetupSeconds(),
                                o.finalLoss());
                    }
                }
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARNED_THREADS =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Once per process: more threads than cores only time-share them. */
    private static void warnOversubscribed(int threads, RunListener listener) {
        String w = oversubscription(threads);
        if (w != null && WARNED_THREADS.compareAndSet(false, true)) {
            listener.warning("warning: " + w);
        }
    }

    /** Why {@code threads} worker threads are too many for this machine, or null. */
    public static String oversubscription(int threads) {
        int cores = Runtime.getRuntime().availableProcessors();
        return threads <= cores
                ? null
                : "--threads " + threads + " is more than the " + cores + " core" + (cores == 1 ? "" : "s")
                        + " this machine has: the extra threads take turns on them, which is slower, not faster (results depend on the"
                        + " thread count, so keep it to reproduce a run bit for bit)";
    }

    /** The run's timings now: the loop's and the probes' over every session, this session's theory set-up. */
    private static RunRecord timings(Trainer trainer, TheoryProvider.RunTheory theory) {
        Trainer.Position p = trainer.position();
        return new RunRecord(
                null, "", trainer.stepsDone(), p.elapsedSeconds(), p.probeSeconds(), theory.setupSeconds(), null);
    }

    /**
     * The held-out evaluation on every metrics row, or null without a test set: a second network of the spec's model
     * sized for the test set, into which the trained weights are copied (its own draw is overwritten, so it takes
     * nothing from the run's random streams).
     */
    private static HeldOutProbe heldOut(Kernels k, RunSpec spec, Dataset data, Dataset test) {
        if (test == null) {
            return null;
        }
        Network evaluator = spec.model().create(k, data, spec, test.n(), new SplittableRandom(0));
        try {
            return new HeldOutProbe(evaluator, test.x(), test.y(), 1);
        } catch (RuntimeException e) {
            evaluator.close();
            throw e;
        }
    }

    private static TheoryProvider.RunTheory openTheory(
            Kernels k, RunSpec spec, Network net, Dataset data, Dataset test, TrainSettings s) {
        TheoryProvider provider = TheoryProvider.find();
        if (provider == null) {
            if (spec.theory().mode().equals("on")) {
                throw new InputException(
                        "--theory on needs the widenet.theory module, which is not on the module path");
            }
            return new TheoryProvider.RunTheory() {
                @Override
                public List<Probe> probes() {
                    return List.of();
                }
            };
        }
        TheoryProvider.RunTheory t = provider.open(k, spec, net, data, test, s);
        return t != null
                ? t
                : new TheoryProvider.RunTheory() {
                    @Override
                    public List<Probe> probes() {
                        return List.of();
                    }
                };
    }

    /** The spec's network (its initial weights drawn, or read from {@code initFrom}), on the spec's engine. */
    private static EngineSpec.Distributed createNetwork(
            Kernels k, RunSpec spec, Dataset data, SplittableRandom rng, Path initFrom) throws IOException {
        Network net = spec.model().create(k, data, spec, spec.engine().capacity(data.n()), rng);
        try {
            if (initFrom != null) {
                loadParameters(net, initFrom);
            }
            return spec.engine().distribute(k, net, data, spec.compute());
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Overwrites every parameter with {@code dir/<name>.npy} (the layout of a run's {@code init/} and {@code final/}
     * folders), checking each file's shape against the network's.
     */
    public static void loadParameters(Network net, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InputException("--init " + dir + " is not a folder");
        }
        for (Parameter p : net.parameters()) {
            Path file = dir.resolve(p.name() + ".npy");
            if (!Files.exists(file)) {
                throw new InputException("--init " + dir + ": no " + p.name() + ".npy there (the " + net.kind()
                        + " network needs "
                        + String.join(
                                ", ",
                                net.parameters().stream()
                                        .map(q -> q.name() + ".npy")
                                        .toList()) + ")");
            }
            if (p.vector()) {
                try (FloatVec v = Npy.readVector(file, p.value().rows())) {
                    Dataset.requireFinite(v.asRow(), file.toString());
                    p.value().asVector().copyFrom(v);
                }
            } else {
                try (FloatMatrix m =
                        Npy.readMatrix(file, p.value().rows(), p.value().cols())) {
                    Dataset.requireFinite(m, file.toString());
                    p.value().copyFrom(m);
                }
            }
        }
    }

    /** The module's version; on the class path (Spark) the jar manifest's; "dev" when run from classes. */
    public static String version() {
        if (Runs.class.getModule().getDescriptor() != null) {
            return Runs.class.getModule().getDescriptor().rawVersion().orElse("dev");
        }
        String v = Runs.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    static String now() {
        return Instant.now().toString();
    }
}
