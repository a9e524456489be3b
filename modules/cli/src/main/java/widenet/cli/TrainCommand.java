package widenet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.model.WeightInit;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Npy;
import widenet.theory.TwoLayerTheory;
import widenet.theory.TwoLayerTheoryRun;
import widenet.train.CheckpointPolicy;
import widenet.train.Dataset;
import widenet.train.DivergenceException;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;
import widenet.train.Json;
import widenet.train.Probe;
import widenet.train.RunFolder;
import widenet.train.TrainSettings;
import widenet.train.Trainer;
import widenet.train.TrainingRun;
import widenet.theory.DeepTheoryProbe;

/**
 * {@code widenet train}: one gradient-descent run, written to an output folder as it goes. Reproductions run the
 * same code path: {@link #parse} turns a {@code widenet train} command line into a command and {@link #runToFolder}
 * runs it and says what happened.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network by gradient descent and write metrics.csv, run.json, init/ and final/ weights.",
                "With no options: the two-layer ReLU network of Du et al. (2019) on n = 1000 points of the unit sphere",
                "in d = 1000 dimensions, width m = 2000, step η = 0.1, 100 full-batch steps."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "Network: two-layer, deep or implicit (default: ${DEFAULT-VALUE}).", defaultValue = "two-layer")
    String model;

    @Mixin
    SyntheticDataOptions synthetic = new SyntheticDataOptions();

    @Option(names = {"--width", "--m"}, description = "Width m of the hidden layer (default: ${DEFAULT-VALUE}).", defaultValue = "2000")
    int width;

    @Option(names = {"--lr", "--eta"}, description = "Step size η (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
    double lr;

    @Option(names = "--steps", description = "Gradient steps (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    long steps;

    @Option(names = "--seed", description = "Seed of data, initialisation and shuffling (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--kappa", description = "Initial weights w_r(0) ~ N(0, κ²I) (default: ${DEFAULT-VALUE}).", defaultValue = "1.0")
    double kappa;

    @Option(names = "--train-output-layer", description = "Also train the output weights a (fixed by default, as in the paper).")
    boolean trainOutputLayer;

    @Option(names = "--loss", description = "sum: ½Σ(u−y)² as in the paper; mean: (1/2n)Σ(u−y)² (default: ${DEFAULT-VALUE}).", defaultValue = "sum")
    String loss;

    @Option(names = "--relu-grad-at-zero", description = "ReLU′(0): 1 or 0 (default: 1 for two-layer as in Du et al., 0 for deep as in Nguyen 2021).")
    Integer reluGradAtZero;

    @Option(names = "--widths", description = "Deep: widths d,n1,…,nL of every layer, input d first, outputs k last (e.g. 64,512,64,32,1).")
    String widths;

    @Option(names = "--activation", description = "Deep: relu, leaky-relu[:α], smooth-leaky-relu[:α[:β]] or identity (default: ${DEFAULT-VALUE}).", defaultValue = "relu")
    String activation;

    @Option(names = "--weight-init", description = "Deep: lecun, he, xavier, ntk[:c] or standard[:v]; one for all layers or a comma list, one per layer (default: ${DEFAULT-VALUE}).", defaultValue = "lecun")
    String weightInit;

    @Option(names = "--output-scale", description = "Deep: multiply the output layer's initial draw by s, or 'zero' (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    String outputScale;

    @Option(names = "--biases", description = "Deep: add a bias b_l to every layer (initially 0).")
    boolean biases;

    @Option(names = "--freeze", description = "Parameters gradient descent leaves fixed: deep: layers (1-based, comma list); implicit: names of A, W, u, v (e.g. A,W).")
    String freeze;


    @Option(names = "--gamma", description = "implicit: Ã = (γ/√m)·A; ‖Ã‖₂ ≈ 2γ at init (default: ${DEFAULT-VALUE}).", defaultValue = "0.2")
    double gamma;

    @Option(names = "--tol", description = "implicit: fixed points stop at ‖Δ‖_F ≤ tol·‖·‖_F (default: ${DEFAULT-VALUE}).", defaultValue = "1e-6")
    double tol;

    @Option(names = "--max-iter", description = "implicit: fixed-point iteration budget; exceeding it stops the run (default: ${DEFAULT-VALUE}).", defaultValue = "500")
    int maxIter;

    @Option(names = "--phi-relu", description = "implicit: input injection φ(x) = relu(Bx/√d) instead of Bx/√d.")
    boolean phiRelu;

    @Option(names = "--output-skip", description = "implicit: output ŷ = uᵀz* + vᵀφ(x) (trains v too).")
    boolean outputSkip;

    @Option(names = "--output-init-std", description = "implicit: u, v ~ N(0, s²) at init; 1 draws every weight N(0, 1) (default: ${DEFAULT-VALUE}).", defaultValue = "1.0")
    double outputInitStd;

    @Option(names = "--require-contraction", description = "implicit: stop unless ‖Ã‖₂ < 1 (checked at init and every --theory-every steps).")
    boolean requireContraction;



    @Option(names = "--batch", description = "Mini-batch size for SGD (default: n, full-batch GD).")
    Integer batch;

    @Option(names = "--kernels", description = "Kernel provider: simd or scalar (default: ${DEFAULT-VALUE}).", defaultValue = KernelProviders.DEFAULT)
    String kernels;

    @Mixin
    ThreadOptions threads = new ThreadOptions();

    @Option(names = "--every", description = "Write a metrics row every K steps (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long every;

    @Mixin
    DataParallelOptions dataParallel = new DataParallelOptions();

    @Option(names = "--x", description = "Inputs X (n×d .npy, float32 or float64) instead of synthetic data.")
    Path xFile;

    @Option(names = "--y", description = "Labels y for --x: (n) or (n, 1) .npy; (n, k) for a deep network with k outputs.")
    Path yFile;

    @Option(names = "--init", description = "Start from DIR/<parameter>.npy instead of a random draw: W.npy (m×d), a.npy (m) for two-layer; W1.npy … WL.npy (+ b1.npy … with biases) for deep; A (m×m), B (m×d), u (m), v (m) for implicit.")
    Path initDir;

    @Option(names = "--out", description = "Output folder (default: runs/train-<time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder.")
    boolean force;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--checkpoint-every", paramLabel = "K|DURATION", defaultValue = CheckpointPolicy.DEFAULT,
            description = "Write a checkpoint every K steps, or every DURATION of wall time (30s, 5m, 1h); 0: only when "
                    + "interrupted (default: ${DEFAULT-VALUE}).")
    String checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its last good checkpoint, with its recorded settings.")
    Path resume;

    /** Exit code of a run stopped by SIGINT/SIGTERM (the JVM itself exits with 130 or 143 then). */
    static final int EXIT_INTERRUPTED = 130;

    @Option(names = "--theory", description = "Theory columns (pred_du_bound, pred_arora, radius_R, lambda_min_H) and theory.json:"
            + " on, off, or auto = on for the two-layer model with full-batch GD and n ≤ " + THEORY_AUTO_MAX_N + " (default: ${DEFAULT-VALUE})."
            + " off also leaves out the deep and implicit models' theory columns.",
            defaultValue = "auto")
    String theory;

    @Option(names = "--theory-every", description = {"Theory metrics every K steps; 0 = only at the first and last rows",
            "(for every model; --theory off: none).",
            "two-layer: λ_min(H(k)) (default: 10).",
            "deep: spectra, σ_min(F1), feature Gram (default: 0).",
            "implicit: λ_min(ZZᵀ) and the contraction check (default: 10)."})
    Long theoryEvery;

    /** Above this n, {@code --theory auto} is off: H∞'s eigenvectors cost O(n³) (n = 2000: several seconds). */
    static final int THEORY_AUTO_MAX_N = 2000;

    /**
     * What a run did: its folder, status, steps, wall time of the training loop, the part of it spent in gradient
     * descent itself (the loop minus the theory probes), all theory time (H∞ set-up and probes) and the final loss.
     */
    record Outcome(Path folder, String status, long steps, double seconds, double gdSeconds, double theorySeconds,
                   String finalLoss) {
    }

    /** A train command from its command-line arguments (without the word {@code train}), defaults applied. */
    static TrainCommand parse(String... args) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    /**
     * As {@link #parse}, for a run that is one of a larger command's (a reproduction's variant): when SIGINT/SIGTERM
     * stops it, the larger command says how to continue, so this run does not print its own "resume with" line.
     */
    static TrainCommand partOfLargerCommand(String... args) {
        TrainCommand cmd = parse(args);
        cmd.partOfLargerCommand = true;
        return cmd;
    }

    private boolean partOfLargerCommand;

    @Override
    public Integer call() throws Exception {
        if (resume == null) {
            return runToFolder().status().equals("interrupted") ? EXIT_INTERRUPTED : 0;
        }
        if (TrainingRun.status(resume) == TrainingRun.Status.FINISHED) {
            log("nothing to resume: the run in " + resume + " has finished (see its run.json)");
            return 0;
        }
        try (TrainingRun session = TrainingRun.resume(resume)) {
            ResumeOptions.apply(spec, spec.commandLine().getParseResult(), session.settings());
            warnSkippedCheckpoints(session);
            log("resuming from " + session.checkpoint().dir() + " (step " + session.checkpoint().step() + ")");
            return runToFolder(session).status().equals("interrupted") ? EXIT_INTERRUPTED : 0;
        }
    }

    /**
     * Trains into {@code dir} as one of the runs of a larger command (a reproduction's variant), continuing what an
     * earlier, killed invocation left: a run with a checkpoint resumes from it (via {@link TrainingRun#open}), anything
     * else unfinished starts afresh. This command's options must agree with those the run recorded (an
     * {@link InputException} names the one that differs). A finished run is the caller's to skip ({@link #finishedIn}).
     */
    Outcome continueIn(Path dir) throws Exception {
        try (TrainingRun session = TrainingRun.open(dir)) {
            if (session.resuming()) {
                agreeWith(dir, session.settings());
                warnSkippedCheckpoints(session);
            }
            return runToFolder(session);
        }
    }

    /** The outcome of the finished run in {@code dir}, as its run.json records it, after checking its options agree. */
    Outcome finishedIn(Path dir) throws IOException {
        Map<String, Object> run = Json.read(dir.resolve(TrainingRun.RUN_JSON));
        if (!(run.get("settings") instanceof Map<?, ?> settings)) {
            throw new InputException(dir.resolve(TrainingRun.RUN_JSON) + " records no settings");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> recorded = (Map<String, Object>) settings;
        agreeWith(dir, recorded);
        double seconds = number(run, "train_seconds");
        // probe_seconds covers every probe over every session; runs written before it was recorded have only the
        // two-layer theory probes' time of their last session
        double probeSeconds = run.containsKey("probe_seconds") ? number(run, "probe_seconds") : number(run, "theory_probe_seconds");
        return new Outcome(dir, "finished", (long) number(run, "steps_done"), seconds,
                seconds - probeSeconds, number(run, "theory_seconds"),
                run.get("final_loss") == null ? null : run.get("final_loss").toString());
    }

    private void warnSkippedCheckpoints(TrainingRun session) {
        for (String s : session.skippedCheckpoints()) {
            err().println("widenet: skipping a damaged checkpoint: " + s);
        }
    }

    private void agreeWith(Path dir, Map<String, Object> settings) {
        try {
            ResumeOptions.apply(spec, spec.commandLine().getParseResult(), settings);
        } catch (InputException e) {
            throw new InputException(dir + ": " + e.getMessage(), e);
        }
    }

    private static double number(Map<String, Object> run, String key) {
        return run.get(key) instanceof Number x ? x.doubleValue() : 0;
    }

    /**
     * Runs the training into its output folder; throws {@link DivergenceException} after writing when it diverges.
     * Status "interrupted" when SIGINT/SIGTERM stopped it (after a checkpoint: {@code --resume} continues it).
     */
    Outcome runToFolder() throws Exception {
        return runToFolder(null);
    }

    /** As {@link #runToFolder()}: a new run in --out ({@code session} null) or the resumed {@code session}. */
    Outcome runToFolder(TrainingRun session) throws Exception {
        validate();
        CheckpointPolicy policy = CheckpointPolicy.parse(checkpointEvery);
        int threadCount = threads.count();
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom dataRng = root.split();
        SplittableRandom initRng = root.split();
        long shuffleSeed = root.nextLong();

        try (Kernels k = KernelProviders.open(kernels, threadCount);
             Dataset data = loadData(dataRng)) {
            int batchSize = batch != null ? batch : data.n();
            dataParallel.requireFullBatch(batchSize, data.n());
            TrainSettings settings = new TrainSettings(lr, steps, batchSize, every, shuffleSeed);
            try (Network net = createNetwork(k, data, initRng);
                 Probes implicitProbes = createProbes(k, net, data)) {
                List<String> warnings = new ArrayList<>();
                if (net instanceof DeepNetwork deep) {
                    String why = deep.config().pyramidViolation(data.n());
                    if (why != null) {
                        warnings.add(why + "; training anyway");
                        err().println("widenet: warning: " + why + "; training anyway");
                    }
                }
                DeepTheoryProbe deepTheory = net instanceof DeepNetwork deep && !theory.equals("off")
                        ? new DeepTheoryProbe(k, deep, theoryCadence(0), steps,
                                DeepTheoryProbe.DEFAULT_MAX_EIGEN_SIZE)
                        : null;
                List<Probe> probes = new ArrayList<>(implicitProbes.list());
                if (deepTheory != null) {
                    probes.add(deepTheory);
                }
                Path outDir = out != null ? out
                        : Path.of("runs", "train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                Map<String, Object> run = describe(k, data, net, settings);
                run.put("warnings", warnings);
                TwoLayerTheoryRun theoryRun = theoryFor(k, data, net, batchSize == data.n());
                GracefulShutdown shutdown = GracefulShutdown.jvm();
                // The JVM waits for this section on SIGINT/SIGTERM, so the message below is printed before it exits.
                try (GracefulShutdown.Section section = shutdown.protect();
                     TrainingRun folder = session != null ? session : TrainingRun.create(outDir, force)) {
                    log("widenet " + Main.version() + " · kernels: " + k.description());
                    log("data: " + data.description() + " · model: " + net.kind() + " d=" + net.inputDim()
                            + (model.equals(TwoLayerNetwork.KIND) ? " m=" + width : "")
                            + (dataParallel.enabled() ? " · data-parallel on " + dataParallel.engine + " " + dataParallel.master : "")
                            + (net instanceof DeepNetwork dn ? " widths=" + dn.config().widthsSpec() + " σ=" + dn.config().activation() : "")
                            + (net instanceof ImplicitNetwork t ? " m=" + t.config().width() + " γ=" + gamma : "")
                            + " · η=" + lr + " · " + steps + " steps" + (batchSize < data.n() ? " · batch " + batchSize : " · full batch")
                            + " · checkpoints " + policy + " → " + folder.folder().root());

                    if (theoryRun != null) {
                        TwoLayerTheory t = theoryRun.theory();
                        log(String.format("theory: λ₀ = %.4g, λ_max = %.4g (stable for η < %.4g), Du rate %.6f/step, measure %.4g (%.1f s)",
                                t.lambda0(), t.lambdaMax(), t.stabilityLimitEta(), t.duRate(),
                                (Double) theoryRun.summary().get("generalisation_measure"), theoryRun.seconds()));
                    }

                    List<Probe> allProbes = new java.util.ArrayList<>(probes);
                    if (theoryRun != null) {
                        allProbes.addAll(theoryRun.probes());
                    }
                    try (TwoLayerTheoryRun closeTheory = theoryRun;
                         Trainer trainer = new Trainer(k, net, data, settings, allProbes);
                         Progress progress = Progress.create(quiet, steps, trainer.columns())) {
                        TrainingRun.Finisher finisher = (r, status) -> {
                            writeTheory(folder.folder(), theoryRun, r);
                            putTheory(r, deepTheory);
                        };
                        TrainingRun.Outcome o;
                        try {
                            o = folder.train(trainer, run, policy, progress, shutdown, finisher);
                        } finally {
                            progress.close();
                        }
                        // the two-layer H∞ set-up of this session plus every probe's time over every session
                        double theorySeconds = (theoryRun == null ? 0 : theoryRun.seconds() - theoryRun.probeSeconds())
                                + o.probeSeconds();
                        if (!o.finished()) {
                            if (!partOfLargerCommand) {
                                err().println("widenet: interrupted at step " + o.step() + "; resume with: " + folder.resumeCommand());
                            }
                            return new Outcome(folder.folder().root(), "interrupted", o.step(), o.seconds(),
                                    o.seconds() - o.probeSeconds(), theorySeconds, null);
                        }
                        log(String.format("done: %d steps in %.2f s (%.1f ms/step) · final loss %s · %s",
                                trainer.stepsDone(), o.seconds(), 1e3 * o.seconds() / Math.max(1, trainer.stepsDone()),
                                o.finalLoss(), folder.folder().root()));
                        return new Outcome(folder.folder().root(), "finished", trainer.stepsDone(), o.seconds(),
                                o.seconds() - o.probeSeconds(), theorySeconds, o.finalLoss());
                    }
                }
            }
        }
    }

    /** Whether this run gets the theory columns: {@code --theory on}, or {@code auto} within its limits. */
    boolean theoryEnabled(int samples, boolean fullBatch) {
        return switch (theory) {
            case "on" -> true;
            case "off" -> false;
            default -> model.equals(TwoLayerNetwork.KIND) && fullBatch && samples <= THEORY_AUTO_MAX_N && !dataParallel.enabled();
        };
    }

    private TwoLayerTheoryRun theoryFor(Kernels k, Dataset data, Network net, boolean fullBatch) {
        if (!theoryEnabled(data.n(), fullBatch)) {
            return null;
        }
        if (!(net instanceof TwoLayerNetwork t)) {
            return null;   // the deep and implicit models bring their own probes
        }
        return new TwoLayerTheoryRun(k, data, t.config(), lr, fullBatch, theoryCadence(10), TwoLayerTheory.DEFAULT_DELTA);
    }

    /** The probes' cadence: --theory-every K, the model's default when unset; 0 = only the first and last rows. */
    private long theoryCadence(long defaultEvery) {
        long every = theoryEvery != null ? theoryEvery : defaultEvery;
        return every == 0 ? Long.MAX_VALUE : every;
    }

    /** theory.json beside metrics.csv, and the time the theory took into run.json. */
    private static void writeTheory(RunFolder folder, TwoLayerTheoryRun theoryRun, Map<String, Object> run) throws IOException {
        if (theoryRun != null) {
            Json.write(folder.resolve("theory.json"), theoryRun.summary());
            run.put("theory_seconds", theoryRun.seconds());
            run.put("theory_probe_seconds", theoryRun.probeSeconds());
        }
    }

    void validate() {
        boolean deep = model.equals(DeepNetwork.KIND);
        if (!model.equals(TwoLayerNetwork.KIND) && !deep && !model.equals(ImplicitNetwork.KIND)) {
            throw new InputException("unknown --model '" + model + "'; available: two-layer, deep, implicit");
        }
        boolean implicit = model.equals(ImplicitNetwork.KIND);
        if (implicit) {
            validateImplicit();
        }
        for (String o : deep ? List.of("--width", "--kappa", "--train-output-layer")
                : implicit ? List.of("--widths", "--activation", "--weight-init", "--output-scale", "--biases")
                : List.of("--widths", "--activation", "--weight-init", "--output-scale", "--biases", "--freeze")) {
            if (given(o)) {
                throw new InputException(o + " does not apply to --model " + model
                        + (deep ? " (deep networks take --widths d,n1,…,nL)" : " (it is an option of --model deep)"));
            }
        }
        if (deep) {
            validateDeep();
        }
        if (xFile == null) {
            synthetic.requirePositive(!deep);
        }
        if (!deep && width <= 0) {
            throw new InputException("--width must be positive, got " + width);
        }
        if ((xFile == null) != (yFile == null)) {
            throw new InputException("--x and --y go together: give both or neither");
        }
        if (reluGradAtZero != null && reluGradAtZero != 0 && reluGradAtZero != 1) {
            throw new InputException("--relu-grad-at-zero must be 1 or 0, got " + reluGradAtZero);
        }
        threads.validate();
        if (!(kappa > 0) || Double.isInfinite(kappa)) {
            throw new InputException("--kappa must be positive and finite, got " + kappa);
        }
        LossKind.parse(loss);
        if (!theory.equals("on") && !theory.equals("off") && !theory.equals("auto")) {
            throw new InputException("--theory must be on, off or auto, got '" + theory + "'");
        }
        if (theoryEvery != null && theoryEvery < 0) {
            throw new InputException("--theory-every must be ≥ 0, got " + theoryEvery);
        }
        dataParallel.validate(model, theory, this::given);
    }

    /** Whether the option was on the command line (not just its default). */
    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private PrintWriter err() {
        return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    }

    private int[] parsedWidths;

    /** --widths, --activation, --weight-init, --output-scale, --freeze, --theory-every: parsed and checked. */
    private void validateDeep() {
        if (widths == null) {
            throw new InputException("--model deep needs --widths d,n1,…,nL (input dimension first, outputs last), e.g. --widths 64,512,64,32,1");
        }
        try {
            parsedWidths = Arrays.stream(widths.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new InputException("--widths '" + widths + "' is not a comma-separated list of integers");
        }
        if (parsedWidths.length < 2) {
            throw new InputException("--widths '" + widths + "' has " + parsedWidths.length
                    + " width; give at least 2: the input dimension d and the number of outputs k");
        }
        for (int l = 0; l < parsedWidths.length; l++) {
            if (parsedWidths[l] <= 0) {
                throw new InputException("--widths '" + widths + "': width n" + l + " = " + parsedWidths[l] + " must be positive");
            }
        }
        if (xFile == null && given("--d") && synthetic.d != parsedWidths[0]) {
            throw new InputException("--widths starts with " + parsedWidths[0] + " but --d is " + synthetic.d
                    + "; the first width is the input dimension d");
        }
        deepConfig(1);   // activation, initialisation, output scale, frozen layers
    }

    private DeepNetwork.Config deepConfig(int capacity) {
        Activation act = Activation.parse(activation, reluGradAtZero != null && reluGradAtZero == 1);
        List<WeightInit> inits = Arrays.stream(weightInit.split(",")).map(WeightInit::parse).toList();
        double scale;
        if (outputScale.trim().equalsIgnoreCase("zero")) {
            scale = 0;
        } else {
            try {
                scale = Double.parseDouble(outputScale);
            } catch (NumberFormatException e) {
                throw new InputException("--output-scale '" + outputScale + "' is neither a number nor 'zero'");
            }
        }
        Set<Integer> frozen = new TreeSet<>();
        if (freeze != null && !freeze.isBlank()) {
            for (String f : freeze.split(",")) {
                try {
                    frozen.add(Integer.parseInt(f.trim()));
                } catch (NumberFormatException e) {
                    throw new InputException("--freeze '" + freeze + "' is not a comma-separated list of layer numbers");
                }
            }
        }
        try {
            return new DeepNetwork.Config(parsedWidths, capacity, act, inits, scale, biases, LossKind.parse(loss), frozen);
        } catch (IllegalArgumentException e) {
            throw new InputException("--model deep: " + e.getMessage(), e);
        }
    }

    private void validateImplicit() {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new InputException("--gamma must be non-negative and finite, got " + gamma);
        }
        if (!(tol > 0 && tol < 1)) {
            throw new InputException("--tol must be in (0, 1), got " + tol);
        }
        if (maxIter < 1) {
            throw new InputException("--max-iter must be at least 1, got " + maxIter);
        }
        if (!(outputInitStd >= 0) || Double.isInfinite(outputInitStd)) {
            throw new InputException("--output-init-std must be non-negative and finite, got " + outputInitStd);
        }
        List<String> names = outputSkip ? List.of("A", "W", "u", "v") : List.of("A", "W", "u");
        for (String f : implicitFreeze()) {
            if (!names.contains(f)) {
                throw new InputException("--freeze " + f + ": the implicit network's parameters are " + String.join(", ", names)
                        + (outputSkip ? "" : " (v only with --output-skip)"));
            }
        }
        if (new HashSet<>(implicitFreeze()).containsAll(names)) {
            throw new InputException("--freeze " + freeze + " leaves nothing to train");
        }
    }

    /** --freeze for the implicit model: parameter names. */
    private List<String> implicitFreeze() {
        return freeze == null || freeze.isBlank() ? List.of() : Arrays.stream(freeze.split(",")).map(String::trim).toList();
    }

    /** --theory-every for the implicit model (default 10; 0: the first and last rows, the contraction at init only). */
    private long implicitTheoryEvery() {
        return theoryCadence(10);
    }

    private Dataset loadData(SplittableRandom rng) throws IOException {
        boolean deep = parsedWidths != null;
        if (xFile == null) {
            return deep ? Dataset.unitSphere(synthetic.n, parsedWidths[0], parsedWidths[parsedWidths.length - 1], rng)
                    : Dataset.unitSphere(synthetic.n, synthetic.d, rng);
        }
        FloatMatrix x = Npy.readMatrix(xFile);
        try {
            Dataset.requireFinite(x, xFile.toString());
            if (deep && x.cols() != parsedWidths[0]) {
                throw new InputException("--widths starts with " + parsedWidths[0] + " but " + xFile + " has d = " + x.cols()
                        + " columns; the first width is the input dimension d");
            }
            FloatMatrix y = Npy.readMatrix(yFile, x.rows(), deep ? -1 : 1);
            try {
                int k = deep ? parsedWidths[parsedWidths.length - 1] : 1;
                if (y.cols() != k) {
                    throw new InputException("--widths ends with " + k + " but " + yFile + " has k = " + y.cols()
                            + " label columns; the last width is the number of outputs k");
                }
                Dataset.requireFinite(y, yFile.toString());
                return new Dataset(x, y, xFile + " (n=" + x.rows() + ", d=" + x.cols() + "), " + yFile);
            } catch (RuntimeException e) {
                y.close();
                throw e;
            }
        } catch (RuntimeException | IOException e) {
            x.close();
            throw e;
        }
    }

    private Network createNetwork(Kernels k, Dataset data, SplittableRandom rng) throws IOException {
        Network net;
        if (parsedWidths != null) {
            net = new DeepNetwork(k, deepConfig(data.n()), rng);
        } else if (model.equals(ImplicitNetwork.KIND)) {
            var cfg = new ImplicitNetwork.Config(data.d(), width, data.n(), gamma, phiRelu, outputSkip, outputInitStd,
                    LossKind.parse(loss), Set.copyOf(implicitFreeze()), new ImplicitNetwork.Solver(tol, maxIter),
                    requireContraction, implicitTheoryEvery());
            net = new ImplicitNetwork(k, cfg, rng);
        } else {
            // Data-parallel, the forward passes run on the partitions: the driver's network holds the weights and
            // gradients only, not n×m activations (which would bound n by the driver's memory).
            int capacity = dataParallel.enabled() ? 1 : data.n();
            var cfg = new TwoLayerNetwork.Config(data.d(), width, capacity, kappa, trainOutputLayer,
                    LossKind.parse(loss), reluGradAtZero == null || reluGradAtZero == 1);
            net = new TwoLayerNetwork(k, cfg, rng);
        }
        try {
            if (initDir != null && resume == null) {   // a resumed run takes its initial weights from the checkpoint
                loadParameters(net, initDir);
            }
            return dataParallel.distribute(k, net, data, kernels, threads.threads);
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The theory columns of the model: λ_min(ZZᵀ) every --theory-every steps for the implicit network. */
    private Probes createProbes(Kernels k, Network net, Dataset data) {
        return new Probes(net instanceof ImplicitNetwork && !theory.equals("off")
                ? List.of(new EquilibriumGramProbe(k, data.n(), implicitTheoryEvery())) : List.of());
    }

    /** The run's probes, closed (their buffers freed) with the run. */
    private record Probes(List<Probe> list) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            for (Probe p : list) {
                if (p instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
    }

    /**
     * Overwrites every parameter with {@code dir/<name>.npy} (the layout of a run's {@code init/} and {@code final/}
     * folders), checking each file's shape against the network's.
     */
    static void loadParameters(Network net, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InputException("--init " + dir + " is not a folder");
        }
        for (Parameter p : net.parameters()) {
            Path file = dir.resolve(p.name() + ".npy");
            if (!Files.exists(file)) {
                throw new InputException("--init " + dir + ": no " + p.name() + ".npy there (the " + net.kind()
                        + " network needs " + String.join(", ", net.parameters().stream().map(q -> q.name() + ".npy").toList()) + ")");
            }
            if (p.vector()) {
                try (FloatVec v = Npy.readVector(file, p.value().rows())) {
                    Dataset.requireFinite(v.asRow(), file.toString());
                    p.value().asVector().copyFrom(v);
                }
            } else {
                try (FloatMatrix m = Npy.readMatrix(file, p.value().rows(), p.value().cols())) {
                    Dataset.requireFinite(m, file.toString());
                    p.value().copyFrom(m);
                }
            }
        }
    }

    private Map<String, Object> describe(Kernels k, Dataset data, Network net, TrainSettings s) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("widenet_version", Main.version());
        run.put("command", "train");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", model);
        settings.put("n", data.n());
        settings.put("d", data.d());
        if (net instanceof DeepNetwork deep) {
            DeepNetwork.Config c = deep.config();
            settings.put("widths", Arrays.stream(c.widths()).boxed().toList());
            settings.put("activation", c.activation().toString());
            settings.put("weight_init", c.inits().stream().map(WeightInit::toString).toList());
            settings.put("output_scale", c.outputScale());
            settings.put("biases", c.biases());
            settings.put("freeze", List.copyOf(c.frozen()));
            settings.put("theory_every", theory.equals("off") ? "never" : theoryEvery == null || theoryEvery == 0 ? "first and last step" : theoryEvery);
        } else {
            settings.put("width", width);
        }
        settings.put("lr", lr);
        settings.put("steps", steps);
        settings.put("batch", s.batchSize());
        settings.put("every", every);
        settings.put("seed", seed);
        if (model.equals(TwoLayerNetwork.KIND)) {
            settings.put("kappa", kappa);
            settings.put("train_output_layer", trainOutputLayer);
        }
        settings.put("loss", LossKind.parse(loss).toString());
        settings.put("relu_grad_at_zero", reluGradAtZero != null ? reluGradAtZero : net instanceof DeepNetwork ? 0 : 1);
        if (model.equals(ImplicitNetwork.KIND)) {
            Map<String, Object> implicit = new LinkedHashMap<>();
            implicit.put("gamma", gamma);
            implicit.put("tol", tol);
            implicit.put("max_iter", maxIter);
            implicit.put("phi_relu", phiRelu);
            implicit.put("output_skip", outputSkip);
            implicit.put("output_init_std", outputInitStd);
            implicit.put("require_contraction", requireContraction);
            implicit.put("freeze", implicitFreeze());
            implicit.put("theory_every", theoryEvery == null ? 10 : theoryEvery);
            settings.put("implicit", implicit);
        }
        settings.put("kernels", k.provider());
        settings.put("threads", k.threads());
        settings.put("x", xFile == null ? null : xFile.toString());
        settings.put("y", yFile == null ? null : yFile.toString());
        settings.put("init", initDir == null ? null : initDir.toString());
        settings.put("data_parallel", dataParallel.describe());
        settings.put("theory", theoryEnabled(data.n(), s.batchSize() == data.n()));
        settings.putIfAbsent("theory_every", theoryEvery == null ? 10 : theoryEvery);
        if (spec != null) {
            settings.put("options", ResumeOptions.record(spec));   // what --resume restores, option by option
        }
        run.put("settings", settings);
        run.put("data", data.description());
        run.put("kernels", k.description());
        run.put("java", Runtime.version().toString());
        run.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.vendor"));
        run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("started", Instant.now().toString());
        return run;
    }

    private void putTheory(Map<String, Object> run, DeepTheoryProbe theory) {
        if (theory == null) {
            return;
        }
        run.put("theory", theory.summary());
        for (String note : theory.notes()) {
            log("note: " + note);
        }
    }

    private void log(String s) {
        if (!quiet) {
            System.out.println(s);
        }
    }
}
