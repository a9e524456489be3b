package widenet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import widenet.kernel.KernelProviders;
import widenet.tensor.Npy;
import widenet.theory.DeepTheoryProbe;
import widenet.train.DataSpec;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;
import widenet.train.MemoryEstimate;
import widenet.train.ModelSpec;
import widenet.train.RunRecord;
import widenet.train.RunSpec;
import widenet.train.Runs;
import widenet.train.internal.CheckpointPolicy;
import widenet.train.internal.RunFolderChecks;
import widenet.train.internal.TrainingRun;

/**
 * {@code widenet train}: the options turned into a {@link RunSpec}, trained by {@link Runs} into an output folder
 * as it goes; {@code --resume DIR} continues a stopped run with the spec it recorded ({@link ResumeAgreement}).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Train a network by gradient descent into a run folder.",
        description = {
            "Writes metrics.csv (a row every --every steps), run.json (the run's spec and outcome), init/ and final/ weights as .npy, and checkpoints while it runs.",
            "With no options: the two-layer ReLU network of Du et al. (2019) on n = 1000 points of the unit sphere in d = 1000 dimensions, width m = 2000, step η = 0.1, 100 full-batch steps."
        })
final class TrainCommand implements Callable<Integer> {
    /** Exit code of a run stopped by SIGINT/SIGTERM (the JVM itself exits with 130 or 143 then). */
    static final int EXIT_INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SyntheticDataOptions synthetic = new SyntheticDataOptions();

    @Option(
            names = {"--lr", "--eta"},
            paramLabel = "η|auto[:c]",
            description = {
                "Step size η, or auto[:c]: η = c/λ_max(K(0)) of the",
                "empirical NTK at the initial weights (·n for --loss mean), c = 1 by default (half the linear stability",
                "limit 2/λ_max); the step chosen is printed and recorded in run.json (default: ${DEFAULT-VALUE})."
            },
            defaultValue = "0.1")
    String lr = "0.1";

    @Option(names = "--steps", description = "Gradient steps (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    long steps = 100;

    @Option(
            names = "--seed",
            description = "Seed of data, initialisation and shuffling (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long seed;

    @Option(
            names = "--loss",
            description = "sum: ½Σ(u−y)² as in the paper; mean: (1/2n)Σ(u−y)² (default: ${DEFAULT-VALUE}).",
            defaultValue = "sum")
    String loss = "sum";

    @Option(names = "--batch", description = "Mini-batch size for SGD (default: n, full-batch GD).")
    Integer batch;

    @Option(
            names = "--kernels",
            description =
                    "Kernel provider: auto (simd, or scalar with a warning where simd cannot run), simd or scalar (default: ${DEFAULT-VALUE}).",
            defaultValue = KernelProviders.DEFAULT)
    String kernels = KernelProviders.DEFAULT;

    @Mixin
    MemoryOptions memory = new MemoryOptions();

    @Mixin
    ThreadOptions threads = new ThreadOptions();

    @Option(
            names = "--every",
            description = "Write a metrics row every K steps (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long every = 1;

    @Mixin
    DataParallelOptions dataParallel = new DataParallelOptions();

    @Option(names = "--x", description = "Inputs X (n×d .npy, float32 or float64) instead of synthetic data.")
    Path xFile;

    @Option(
            names = "--y",
            description = "Labels y for --x: (n) or (n, 1) .npy; (n, k) for a deep network with k outputs.")
    Path yFile;

    @Option(
            names = "--test-x",
            paramLabel = "FILE",
            description =
                    "Held-out inputs (n_test×d .npy): a test_loss column (the training loss's definition on them), and test_error for ±1 labels.")
    Path testXFile;

    @Option(
            names = "--test-y",
            paramLabel = "FILE",
            description = "Held-out labels for --test-x: (n_test) or (n_test, k) .npy.")
    Path testYFile;

    @Option(
            names = "--test-n",
            description =
                    "Synthetic data only: a held-out set of N points drawn like the training set (y ~ N(0, 1), independent of x).")
    Integer testN;

    @Option(
            names = "--init",
            description =
                    "Start from DIR/<parameter>.npy instead of a random draw: W.npy (m×d), a.npy (m) for two-layer; W1.npy … WL.npy (+ b1.npy … with biases) for deep; A (m×m), W (m×d), u (m), v (m) for implicit.")
    Path initDir;

    @Option(names = "--out", description = "Output folder (default: runs/train-<time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder.")
    boolean force;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "K|DURATION",
            defaultValue = CheckpointPolicy.DEFAULT,
            description =
                    "Write a checkpoint every K steps, or every DURATION of wall time (30s, 5m, 1h); 0: only when "
                            + "interrupted (default: ${DEFAULT-VALUE}).")
    String checkpointEvery = CheckpointPolicy.DEFAULT;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description = "Continue the run in DIR from its last good checkpoint, with its recorded settings.")
    Path resume;

    @Option(
            names = "--theory",
            description =
                    "Theory columns (pred_du_bound, pred_arora, radius_R, lambda_min_H) and theory.json:"
                            + " on, off, or auto = on for the two-layer model with full-batch GD and n ≤ "
                            + RunSpec.Theory.AUTO_MAX_N
                            + " (default: ${DEFAULT-VALUE}). off also leaves out the deep and implicit models' theory columns and every"
                            + " model's kernel-regime predictions pred_loss_ntk0, pred_loss_inf (and pred_test_loss_* with a test set).",
            defaultValue = "auto")
    String theory = "auto";

    @Option(
            names = "--theory-every",
            description = {
                "Theory metrics every K steps; 0 = only at the first and last rows (for every model; --theory off: none).",
                "two-layer: λ_min(H(k)) (default: 10).",
                "deep: spectra, σ_min(F1), feature Gram (default: 0).",
                "implicit: λ_min(ZZᵀ) and the contraction check (default: 10)."
            })
    Long theoryEvery;

    @Override
    public Integer call() throws Exception {
        CliRunListener listener = new CliRunListener(quiet, err());
        // The JVM waits for this section on SIGINT/SIGTERM, so the "resume with" line is printed before it exits.
        try (GracefulShutdown.Section section = GracefulShutdown.jvm().protect()) {
            RunRecord r;
            if (resume == null) {
                RunSpec s = runSpec().validate();
                memory.check("this run", memoryEstimate(s)); // before anything is allocated
                Path dir = out != null ? out : newDefaultFolder(Path.of("runs"), LocalDateTime.now());
                r = Runs.start(s, dir, force, listener);
            } else {
                if (given("--out")) {
                    throw new InputException(
                            "--out cannot be combined with --resume: the run continues in its own folder");
                }
                if (TrainingRun.status(resume) == TrainingRun.Status.FINISHED) {
                    String left =
                            RunFolderChecks.tidyFinished(resume); // checkpoints a kill left after the closing run.json
                    if (left != null) {
                        listener.warning(left);
                    }
                    listener.log("nothing to resume: the run in " + resume + " has finished (see its run.json)");
                    GracefulShutdown.jvm().completed(0);
                    return 0;
                }
                r = Runs.resume(resume, recorded -> new ResumeAgreement(this).agree(recorded), listener);
            }
            if (r.finished()) {
                GracefulShutdown.jvm().completed(0); // a SIGTERM after "done:" does not make a finished run exit 143
            }
            return exitCode(r, err());
        } finally {
            stallForTests();
        }
    }

    /** Test-only fault injection: this many ms of sleep as the command returns (a window for a late signal). */
    static final String STALL_AFTER_PROPERTY = "widenet.train.stallAfterMillis";

    private static void stallForTests() {
        long ms = Long.getLong(STALL_AFTER_PROPERTY, 0);
        if (ms > 0) {
            System.err.println("widenet: test stall after the command (" + ms + " ms)");
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A new folder {@code parent/train-<time>} (to the second), made here so that two runs started in the same
     * second get two folders: the second one made takes {@code train-<time>-2}, and so on. Creating a folder is
     * atomic, so two processes never take the same one.
     */
    static Path newDefaultFolder(Path parent, LocalDateTime now) {
        String base = "train-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            java.nio.file.Files.createDirectories(parent);
            for (int i = 1; ; i++) {
                Path dir = parent.resolve(i == 1 ? base : base + "-" + i);
                try {
                    return java.nio.file.Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (i == 1000) {
                        throw new InputException(
                                "cannot find a free folder name " + parent.resolve(base) + "-N; give --out");
                    }
                }
            }
        } catch (IOException e) {
            throw new widenet.train.OutputException(
                    "cannot create the run folder: " + widenet.files.FileErrors.describe(parent, e), e);
        }
    }

    /** 0, or {@link #EXIT_INTERRUPTED} after saying how to continue a run SIGINT/SIGTERM stopped. */
    static int exitCode(RunRecord r, PrintWriter err) {
        if (r.interrupted()) {
            err.println("widenet: interrupted at step " + r.steps() + "; resume with: widenet train --resume "
                    + r.folder());
            err.flush();
            return EXIT_INTERRUPTED;
        }
        return 0;
    }

    /** The run these options describe (not yet validated). */
    RunSpec runSpec() {
        return runSpec(model.model);
    }

    /** As {@link #runSpec()} for the model {@code kind} (a resumed run's, when --model is not given). */
    RunSpec runSpec(String kind) {
        ModelSpec m = model.spec(kind, this::given);
        // A deep network's input dimension is its first width; --d, when given, must agree (ModelSpec.Deep checks).
        int d = m instanceof ModelSpec.Deep deep && deep.widths() != null && !given("--d")
                ? deep.widths().get(0)
                : synthetic.d;
        DataSpec data = synthetic.dataSpec(xFile, yFile, testXFile, testYFile, testN, d);
        return new RunSpec(
                data,
                m,
                optimisation(lr, steps, batch, every, loss),
                seed,
                initDir == null ? null : initDir.toString(),
                new RunSpec.Theory(theory, theoryEvery),
                checkpointEvery,
                new RunSpec.Compute(kernels, threads.threads),
                dataParallel.spec(this::given));
    }

    /** {@code --lr}: a number, {@code auto} or {@code auto:c}. */
    static RunSpec.Optimisation optimisation(String lr, long steps, Integer batch, long every, String loss) {
        String t = lr.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.equals("auto")) {
                return RunSpec.Optimisation.auto(
                        widenet.theory.InitialKernel.DEFAULT_FACTOR, steps, batch, every, loss);
            }
            if (t.startsWith("auto:")) {
                return RunSpec.Optimisation.auto(Double.parseDouble(t.substring(5)), steps, batch, every, loss);
            }
            return new RunSpec.Optimisation(Double.parseDouble(t), steps, batch, every, loss);
        } catch (NumberFormatException e) {
            throw new InputException("--lr '" + lr + "' is neither a step size nor auto[:c]");
        }
    }

    /** The memory {@code s} will ask for, from its sizes and the data files' headers (nothing is read or allocated). */
    static MemoryEstimate memoryEstimate(RunSpec s) throws IOException {
        long n;
        long d;
        if (s.data() instanceof DataSpec.NpyFiles f) {
            long[] shape = Npy.shape(Path.of(f.x()));
            n = shape[0];
            d = shape.length == 2 ? shape[1] : 1;
        } else {
            DataSpec.Sphere sphere = (DataSpec.Sphere) s.data();
            n = sphere.n();
            d = sphere.d();
        }
        Integer batch = s.optimisation().batch();
        long b = batch != null ? Math.min(Math.max(1, batch), Math.max(1, n)) : n;
        boolean theoryOn = !s.theory().mode().equals("off");
        return switch (s.model()) {
            case ModelSpec.Deep deep -> {
                MemoryEstimate e = MemoryEstimate.deep(
                        n, deep.widths().stream().mapToInt(Integer::intValue).toArray(), b, deep.biases());
                yield theoryOn ? e.gram(Math.min(n, DeepTheoryProbe.DEFAULT_MAX_EIGEN_SIZE)) : e;
            }
            case ModelSpec.Implicit imp -> MemoryEstimate.implicit(n, d, imp.width(), b);
            case ModelSpec.TwoLayer two -> {
                MemoryEstimate e = MemoryEstimate.twoLayer(n, d, two.width(), b);
                yield n <= Integer.MAX_VALUE && s.twoLayerTheory((int) n) ? e.gram(n) : e;
            }
        };
    }

    /** Whether the option was on the command line (not just its default). */
    boolean given(String option) {
        return spec != null
                && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private PrintWriter err() {
        return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    }
}
