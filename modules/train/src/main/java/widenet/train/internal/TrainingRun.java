package widenet.train.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.files.DurableFiles;
import widenet.files.FileErrors;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.Npy;
import widenet.train.DivergenceException;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;
import widenet.train.MetricsCsv;
import widenet.train.OutputException;
import widenet.train.RunFolder;
import widenet.train.RunSpecJson;
import widenet.train.Trainer;

/**
 * The life of one training run in its folder, fresh or resumed: exclusive use of the folder ({@link RunLock}),
 * {@code run.json}, {@code init/}, {@code metrics.csv}, checkpoints while it runs ({@link CheckpointPolicy}),
 * a clean stop on SIGINT/SIGTERM ({@link GracefulShutdown}), {@code final/} and the closing {@code run.json}.
 *
 * <pre>
 * try (TrainingRun run = TrainingRun.create(dir, force)) {          // or TrainingRun.resume(dir)
 *     // build kernels, data, network and trainer from the settings (run.settings() when resuming)
 *     TrainingRun.Outcome o = run.train(trainer, runJson, policy, progress, GracefulShutdown.jvm());
 * }
 * </pre>
 *
 * <p>A resumed run continues bit for bit: the network is restored by {@link Checkpoint#restore}, the trainer by
 * {@link Trainer#resumeAt}, and {@code metrics.csv} is cut back to the rows before the checkpoint's step. For many
 * runs in one process (a sweep, a reproduction), give each its own folder and use {@link #status} and
 * {@link #open}: a finished run is never recomputed, an unfinished one resumes from its last checkpoint.
 */
public final class TrainingRun implements AutoCloseable {
    public static final String RUN_JSON = "run.json";
    public static final String METRICS = "metrics.csv";

    /** Where a run folder stands, judged without locking it. */
    public enum Status {
        /** No run there yet (missing or empty folder, or no {@code run.json}). */
        NONE,
        /** Finished: {@code final/} and {@code run.json} are complete; nothing to recompute. */
        FINISHED,
        /** Stopped because the loss diverged: a result, not to be retried. */
        DIVERGED,
        /** Unfinished, with a checkpoint to resume from. */
        RESUMABLE,
        /** Unfinished and no checkpoint yet: start it again. */
        STARTED
    }

    /** How {@link #train} ended: all steps done, or stopped (by a shutdown request) at {@code step}, checkpointed. */
    public record Outcome(boolean finished, long step, double seconds, double probeSeconds, String finalLoss) {
    }

    /**
     * What the caller adds when the run ends (finished or diverged), before {@code run.json} is written for the last
     * time: e.g. theory summaries into {@code run}, or files of its own into the run folder.
     */
    @FunctionalInterface
    public interface Finisher {
        Finisher NONE = (run, status) -> { };

        void beforeFinish(Map<String, Object> run, String status) throws IOException;
    }

    private final RunFolder folder;
    private final RunLock lock;
    private final Checkpoints.Latest latest;
    private long lastCheckpoint = -1;

    private TrainingRun(RunFolder folder, RunLock lock, Checkpoints.Latest latest) {
        this.folder = folder;
        this.lock = lock;
        this.latest = latest;
        if (latest != null) {
            lastCheckpoint = latest.checkpoint().step();
        }
    }

    public static Status status(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RUN_JSON))) {
            return hasCheckpoint(dir) ? Status.RESUMABLE : Status.NONE;
        }
        String s = null;
        try {
            s = String.valueOf(Json.read(dir.resolve(RUN_JSON)).get("status"));
        } catch (IOException | RuntimeException e) {
            // unreadable run.json (a crash while it was replaced cannot do this, but a disk error can): judge by checkpoints
        }
        if ("finished".equals(s)) {
            return Status.FINISHED;
        }
        if ("diverged".equals(s)) {
            return Status.DIVERGED;
        }
        return hasCheckpoint(dir) ? Status.RESUMABLE : Status.STARTED;
    }

    private static boolean hasCheckpoint(Path dir) {
        try {
            return !Checkpoints.steps(Checkpoints.folder(dir)).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every name widenet writes in a training run's folder. {@code --force} removes these (and only these) before
     * a new run starts, so that nothing of an earlier run (another model's {@code init/} arrays, an old
     * {@code theory.json} or {@code report.html}) is left to be mixed with the new one.
     */
    public static final java.util.Set<String> OWN_FILES = java.util.Set.of(RunLock.FILE, RUN_JSON, METRICS, "init", "final",
            Checkpoints.FOLDER, "theory.json", "report.html");

    /**
     * A new run in {@code dir} (created; a non-empty folder is refused unless {@code force}), locked. With
     * {@code force}, once the folder is locked, the files of an earlier run ({@link #OWN_FILES}) are removed first;
     * a folder that also holds anything else (a file widenet did not write, or a symbolic link) is refused, so
     * --force never deletes what is not widenet's. Temporary files a killed writer left are removed in any case.
     */
    public static TrainingRun create(Path dir, boolean force) {
        RunFolder f = RunFolder.create(dir, force);
        RunLock lock = RunLock.acquire(f.root());
        try {
            if (force) {
                clearEarlierRun(f.root());
            }
            DurableFiles.removeTemporaries(f.root());
        } catch (IOException e) {
            lock.close();
            throw new OutputException("cannot clear " + FileErrors.describe(f.root(), e), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return new TrainingRun(f, lock, null);
    }

    /** Removes an earlier run's files from {@code dir}, or refuses (before removing anything) if foreign files are there. */
    static void clearEarlierRun(Path dir) throws IOException {
        List<String> foreign = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isSymbolicLink(p)) {
                    foreign.add(name + " (a symbolic link)");
                } else if (!OWN_FILES.contains(name) && !DurableFiles.isTemporary(name)) {
                    foreign.add(name);
                }
            }
        }
        if (!foreign.isEmpty()) {
            throw new InputException("--force: " + dir + " holds " + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                    + (foreign.size() > 5 ? " and " + (foreign.size() - 5) + " more" : "")
                    + ", which widenet did not write; --force only replaces an earlier run's own files: move them away or choose another --out");
        }
        for (String name : OWN_FILES) {
            if (!name.equals(RunLock.FILE)) {
                DurableFiles.deleteRecursively(dir.resolve(name));
            }
        }
        DurableFiles.forceFolder(dir);
    }

    /**
     * The unfinished run in {@code dir}, locked, with its newest good checkpoint. Refused (an
     * {@link InputException}) when the folder holds no run, a finished or diverged one, or no usable checkpoint.
     */
    public static TrainingRun resume(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("--resume " + dir + " is not a folder");
        }
        if (status(dir) == Status.NONE) {   // refused before the lock file is made: an empty folder stays empty
            throw new InputException("--resume " + dir + " holds no run (no " + RUN_JSON + ", no checkpoint)");
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            Status s = status(dir);
            if (s == Status.FINISHED || s == Status.DIVERGED) {
                throw new InputException("--resume " + dir + ": the run has " + s.name().toLowerCase() + "; nothing to resume");
            }
            return new TrainingRun(RunFolder.existing(dir), lock, Checkpoints.latest(dir));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * For sweeps: resumes the run in {@code dir} if it has a checkpoint, otherwise starts it afresh (clearing a
     * start that crashed before its first checkpoint). Check {@link #status} first and skip FINISHED/DIVERGED.
     */
    public static TrainingRun open(Path dir) {
        return status(dir) == Status.RESUMABLE ? resume(dir) : create(dir, true);
    }

    public RunFolder folder() { return folder; }
    public boolean resuming() { return latest != null; }
    /** The checkpoint a resumed run continues from (null for a new run). */
    public Checkpoint checkpoint() { return latest == null ? null : latest.checkpoint(); }
    /** Why newer checkpoints than {@link #checkpoint()} were passed over (damaged), for the log. */
    public List<String> skippedCheckpoints() { return latest == null ? List.of() : latest.skipped(); }

    /**
     * What the run was started with, as its checkpoint keeps it (resumed runs only): run.json's {@code spec} (a
     * {@link RunSpecJson} map) for runs made by {@link Runs}, its {@code settings} for others.
     */
    public Map<String, Object> settings() {
        if (latest == null) {
            throw new IllegalStateException("a new run has no recorded settings");
        }
        return latest.checkpoint().state().settings();
    }

    /** The command that continues this run. */
    public String resumeCommand() {
        return "widenet train --resume " + folder.root();
    }

    /**
     * Trains to the end or to a stop request. {@code description} is the {@code run.json} content for a new run
     * (with a {@code "settings"} object, which checkpoints keep); a resumed run keeps its {@code run.json} and
     * settings and only records the resumption. Failures to write the folder are {@link OutputException}s that
     * leave the last checkpoint intact; divergence is a {@link DivergenceException} after {@code run.json} says so.
     */
    public Outcome train(Trainer trainer, Map<String, Object> description, CheckpointPolicy policy,
                         Trainer.Listener progress, GracefulShutdown shutdown) {
        return train(trainer, description, policy, progress, shutdown, Finisher.NONE);
    }

    /** As {@link #train(Trainer, Map, CheckpointPolicy, Trainer.Listener, GracefulShutdown)}, with {@code finisher}. */
    public Outcome train(Trainer trainer, Map<String, Object> description, CheckpointPolicy policy,
                         Trainer.Listener progress, GracefulShutdown shutdown, Finisher finisher) {
        try (GracefulShutdown.Section guard = shutdown.protect()) {
            return trainProtected(trainer, description, policy, progress, shutdown, finisher);
        }
    }

    private Outcome trainProtected(Trainer trainer, Map<String, Object> description, CheckpointPolicy policy,
                                   Trainer.Listener progress, GracefulShutdown shutdown, Finisher finisher) {
        Network net = trainer.network();
        Path initDir = folder.folder("init");
        Map<String, Object> run;
        Map<String, Object> settings;
        Map<String, CheckpointManifest.Entry> initFiles;
        MetricsCsv csv;
        try {
            if (latest == null) {
                Checkpoints.deleteAll(folder.root());
                Checkpoints.deleteRecursively(folder.resolve("final"));
                run = new LinkedHashMap<>(description);
                settings = settingsOf(run);
                run.put("status", "running");
                Json.write(folder.resolve(RUN_JSON), run);
                saveParameters(net.parameters(), initDir);
                initFiles = Checkpoints.describeFiles(initDir, net.parameters());
                csv = new MetricsCsv(folder.resolve(METRICS), trainer.columns());
            } else {
                Checkpoint cp = latest.checkpoint();
                cp.restore(net, trainer.data(), trainer::replayProbesAtStepZero);
                trainer.resumeAt(cp.state().position());
                settings = cp.state().settings();
                initFiles = restoreInitFolder(cp, net, initDir);
                csv = MetricsCsv.resume(folder.resolve(METRICS), trainer.columns(), cp.step(), cp.state().position().lastRowStep());
                run = readRunJson(description);
                run.put("status", "running");
                run.remove("message");
                run.remove("finished");
                @SuppressWarnings("unchecked")
                List<Object> resumed = run.get("resumed") instanceof List<?> l ? new ArrayList<>((List<Object>) l) : new ArrayList<>();
                resumed.add(Map.of("step", cp.step(), "at", Instant.now().toString()));
                run.put("resumed", resumed);
                Json.write(folder.resolve(RUN_JSON), run);
            }
        } catch (IOException e) {
            throw outputFailure(e);
        }
        Trainer.Listener rows = row -> {
            csv.onRow(row);
            progress.onRow(row);
        };
        policy.start(System.nanoTime());
        Trainer.Boundary boundary = step -> {
            boolean stop = shutdown.requested();
            if (stop || policy.due(step, System.nanoTime())) {
                checkpoint(trainer, csv, initDir, initFiles, settings);
                policy.written(System.nanoTime());
            }
            return stop;
        };
        long at;
        try (csv) {
            try {
                at = trainer.run(rows, boundary);
            } catch (DivergenceException e) {
                finisher.beforeFinish(run, "diverged");
                finish(run, "diverged", trainer, e.getMessage());
                throw e;
            } catch (UncheckedIOException e) {   // metrics.csv: its message names the file
                throw outputFailure(e.getMessage(), e.getCause());
            }
            if (at < trainer.settings().steps()) {
                csv.sync();
                run.put("status", "interrupted");
                run.put("steps_done", at);
                run.put("resume_with", resumeCommand());
                Json.write(folder.resolve(RUN_JSON), run);
                return new Outcome(false, at, trainer.position().elapsedSeconds(), trainer.position().probeSeconds(), null);
            }
            saveParameters(net.parameters(), folder.folder("final"));
            csv.sync();
            finisher.beforeFinish(run, "finished");
            String loss = finish(run, "finished", trainer, null);
            Checkpoints.deleteAll(folder.root());
            return new Outcome(true, at, trainer.position().elapsedSeconds(), trainer.position().probeSeconds(), loss);
        } catch (IOException e) {
            throw outputFailure(e);
        }
    }

    private void checkpoint(Trainer trainer, MetricsCsv csv, Path initDir, Map<String, CheckpointManifest.Entry> initFiles,
                            Map<String, Object> settings) {
        try {
            csv.sync();   // the rows the checkpoint follows are on disk before it
            Network net = trainer.network();
            CheckpointState state = new CheckpointState(trainer.position(), net.kind(),
                    names(net.parameters()), names(net.extraState()), CheckpointState.DataFingerprint.of(trainer.data()), settings);
            Checkpoints.write(folder.root(), net, initDir, initFiles, state);
            lastCheckpoint = state.position().step();
        } catch (IOException e) {
            throw outputFailure(e);
        }
    }

    private OutputException outputFailure(IOException e) {
        String what = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : folder.root().toString();
        return outputFailure("cannot write " + what + ": " + RunLock.reason(e), e);
    }

    private OutputException outputFailure(String problem, IOException e) {
        return new OutputException(problem + "; "
                + (lastCheckpoint >= 0 ? "the checkpoint at step " + lastCheckpoint + " is kept: fix the folder and resume with: " + resumeCommand()
                        : "no checkpoint was written yet"), e);
    }

    private static List<String> names(List<Parameter> ps) {
        return ps.stream().map(Parameter::name).toList();
    }

    /** What checkpoints keep of the run's description: its {@code "spec"} if it has one, else its {@code "settings"}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> settingsOf(Map<String, Object> run) {
        if (run.get("spec") instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        if (run.get("settings") instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("run description has neither a \"spec\" nor a \"settings\" object");
    }

    private Map<String, Object> readRunJson(Map<String, Object> fallback) {
        try {
            return new LinkedHashMap<>(Json.read(folder.resolve(RUN_JSON)));
        } catch (IOException | InputException e) {
            Map<String, Object> run = new LinkedHashMap<>(fallback);
            Map<String, Object> kept = latest.checkpoint().state().settings();
            run.put(kept.containsKey(RunSpecJson.SCHEMA_VERSION) ? "spec" : "settings", kept);
            return run;
        }
    }

    /** Puts the checkpoint's initial weights back into {@code init/} if they differ there; returns their sizes and CRCs. */
    private static Map<String, CheckpointManifest.Entry> restoreInitFolder(Checkpoint cp, Network net, Path initDir) throws IOException {
        Map<String, CheckpointManifest.Entry> out = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) {
            String name = p.name() + ".npy";
            CheckpointManifest.Entry want = cp.manifest().entry("init/" + name);
            Path file = initDir.resolve(name);
            CheckpointManifest.Entry have = Files.isRegularFile(file) ? Checkpoints.entry(file, name) : null;
            if (have == null || have.bytes() != want.bytes() || have.crc32() != want.crc32()) {
                DurableFiles.copy(cp.dir().resolve("init").resolve(name), file);
            }
            out.put(name, new CheckpointManifest.Entry(name, want.bytes(), want.crc32()));
        }
        return out;
    }

    private String finish(Map<String, Object> run, String status, Trainer trainer, String message) throws IOException {
        double seconds = trainer.position().elapsedSeconds();
        run.put("status", status);
        if (message != null) {
            run.put("message", message);
        }
        run.remove("resume_with");
        run.put("finished", Instant.now().toString());
        run.put("steps_done", trainer.stepsDone());
        run.put("train_seconds", seconds);
        run.put("probe_seconds", trainer.position().probeSeconds());   // of train_seconds, over every session
        run.put("ms_per_step", trainer.stepsDone() == 0 ? null : 1e3 * seconds / trainer.stepsDone());
        String loss = lastLoss();
        run.put("final_loss", loss);
        Json.write(folder.resolve(RUN_JSON), run);
        return loss;
    }

    /** The loss of the last metrics row, as written. */
    private String lastLoss() throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve(METRICS));
        return lines.size() < 2 ? null : lines.get(lines.size() - 1).split(",")[2];
    }

    /** Writes every parameter as {@code dir/<name>.npy} (vectors as 1-D arrays). */
    public static void saveParameters(List<Parameter> params, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Parameter p : params) {
            Path file = dir.resolve(p.name() + ".npy");
            if (p.vector()) {
                Npy.write(file, p.value().asVector());
            } else {
                Npy.write(file, p.value());
            }
        }
    }

    /** Releases the folder. */
    @Override
    public void close() {
        lock.close();
    }
}
