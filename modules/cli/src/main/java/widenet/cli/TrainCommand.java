package widenet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Npy;
import widenet.train.CheckpointPolicy;
import widenet.train.Dataset;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;
import widenet.train.TrainSettings;
import widenet.train.Trainer;
import widenet.train.TrainingRun;

/** {@code widenet train}: one gradient-descent run, written to an output folder as it goes. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network by gradient descent and write metrics.csv, run.json, init/ and final/ weights.",
                "With no options: the two-layer ReLU network of Du et al. (2019) on n = 1000 points of the unit sphere",
                "in d = 1000 dimensions, width m = 2000, step η = 0.1, 100 full-batch steps."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Network: two-layer (default: ${DEFAULT-VALUE}).", defaultValue = "two-layer")
    String model;

    @Option(names = "--n", description = "Samples of synthetic data (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int n;

    @Option(names = "--d", description = "Input dimension of synthetic data (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int d;

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

    @Option(names = "--relu-grad-at-zero", description = "ReLU′(0): 1 as in Du et al., or 0 (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int reluGradAtZero;

    @Option(names = "--batch", description = "Mini-batch size for SGD (default: n, full-batch GD).")
    Integer batch;

    @Option(names = "--kernels", description = "Kernel provider: simd or scalar (default: ${DEFAULT-VALUE}).", defaultValue = KernelProviders.DEFAULT)
    String kernels;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--every", description = "Write a metrics row every K steps (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long every;

    @Option(names = "--x", description = "Inputs X (n×d .npy, float32 or float64) instead of synthetic data.")
    Path xFile;

    @Option(names = "--y", description = "Labels y (n or n×1 .npy) for --x.")
    Path yFile;

    @Option(names = "--init", description = "Start from DIR/W.npy (m×d) and DIR/a.npy (m) instead of a random draw.")
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

    @Spec
    CommandSpec spec;

    /** Exit code of a run stopped by SIGINT/SIGTERM (the JVM itself exits with 130 or 143 then). */
    static final int EXIT_INTERRUPTED = 130;

    @Override
    public Integer call() throws Exception {
        CheckpointPolicy policy = CheckpointPolicy.parse(checkpointEvery);
        if (resume == null) {
            validate();
            return train(null, policy);
        }
        if (TrainingRun.status(resume) == TrainingRun.Status.FINISHED) {
            log("nothing to resume: the run in " + resume + " has finished (see its run.json)");
            return 0;
        }
        try (TrainingRun session = TrainingRun.resume(resume)) {
            ResumeOptions.apply(spec, spec.commandLine().getParseResult(), session.settings());
            validate();
            for (String s : session.skippedCheckpoints()) {
                System.err.println("widenet: skipping a damaged checkpoint: " + s);
            }
            log("resuming from " + session.checkpoint().dir() + " (step " + session.checkpoint().step() + ")");
            return train(session, policy);
        }
    }

    /** One run: a new one in --out ({@code session} null) or the resumed {@code session}. */
    private int train(TrainingRun session, CheckpointPolicy policy) throws Exception {
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom dataRng = root.split();
        SplittableRandom initRng = root.split();
        long shuffleSeed = root.nextLong();

        try (Kernels k = KernelProviders.open(kernels, threadCount);
             Dataset data = loadData(dataRng)) {
            int batchSize = batch != null ? batch : data.n();
            TrainSettings settings = new TrainSettings(lr, steps, batchSize, every, shuffleSeed);
            try (Network net = createNetwork(k, data, initRng);
                 TrainingRun run = session != null ? session : TrainingRun.create(outDir(), force)) {
                log("widenet " + Main.version() + " · kernels: " + k.description());
                log("data: " + data.description() + " · model: " + net.kind() + " d=" + net.inputDim()
                        + (net instanceof TwoLayerNetwork t ? " m=" + t.config().width() : "")
                        + " · η=" + lr + " · " + steps + " steps" + (batchSize < data.n() ? " · batch " + batchSize : " · full batch")
                        + " · checkpoints " + policy + " → " + run.folder().root());
                GracefulShutdown shutdown = GracefulShutdown.jvm();
                // The JVM waits for this section on SIGINT/SIGTERM, so the message below is printed before it exits.
                try (GracefulShutdown.Section section = shutdown.protect();
                     Trainer trainer = new Trainer(k, net, data, settings);
                     Progress progress = Progress.create(quiet, steps, trainer.columns())) {
                    TrainingRun.Outcome o = run.train(trainer, describe(k, data, net, settings), policy, progress, shutdown);
                    progress.close();
                    if (!o.finished()) {
                        System.err.println("widenet: interrupted at step " + o.step() + "; resume with: " + run.resumeCommand());
                        return EXIT_INTERRUPTED;
                    }
                    log(String.format("done: %d steps in %.2f s (%.1f ms/step) · final loss %s · %s",
                            trainer.stepsDone(), o.seconds(), 1e3 * o.seconds() / Math.max(1, trainer.stepsDone()),
                            o.finalLoss(), run.folder().root()));
                }
            }
        }
        return 0;
    }

    private Path outDir() {
        return out != null ? out
                : Path.of("runs", "train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    void validate() {
        if (!model.equals(TwoLayerNetwork.KIND)) {
            throw new InputException("unknown --model '" + model + "'; available: two-layer");
        }
        if (xFile == null && (n <= 0 || d <= 0)) {
            throw new InputException("--n and --d must be positive, got n=" + n + ", d=" + d);
        }
        if (width <= 0) {
            throw new InputException("--width must be positive, got " + width);
        }
        if ((xFile == null) != (yFile == null)) {
            throw new InputException("--x and --y go together: give both or neither");
        }
        if (reluGradAtZero != 0 && reluGradAtZero != 1) {
            throw new InputException("--relu-grad-at-zero must be 1 or 0, got " + reluGradAtZero);
        }
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be at least 1, got " + threads);
        }
        if (!(kappa > 0) || Double.isInfinite(kappa)) {
            throw new InputException("--kappa must be positive and finite, got " + kappa);
        }
        LossKind.parse(loss);
    }

    private Dataset loadData(SplittableRandom rng) throws IOException {
        if (xFile == null) {
            return Dataset.unitSphere(n, d, rng);
        }
        FloatMatrix x = Npy.readMatrix(xFile);
        try {
            Dataset.requireFinite(x, xFile.toString());
            FloatMatrix y = Npy.readMatrix(yFile, x.rows(), 1);
            try {
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
        var cfg = new TwoLayerNetwork.Config(data.d(), width, data.n(), kappa, trainOutputLayer,
                LossKind.parse(loss), reluGradAtZero == 1);
        Network net = new TwoLayerNetwork(k, cfg, rng);
        if (initDir != null && resume == null) {   // a resumed run takes its initial weights from the checkpoint
            try {
                loadParameters(net, initDir);
            } catch (IOException | RuntimeException e) {
                net.close();
                throw e;
            }
        }
        return net;
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
        settings.put("width", width);
        settings.put("lr", lr);
        settings.put("steps", steps);
        settings.put("batch", s.batchSize());
        settings.put("every", every);
        settings.put("seed", seed);
        settings.put("kappa", kappa);
        settings.put("train_output_layer", trainOutputLayer);
        settings.put("loss", LossKind.parse(loss).toString());
        settings.put("relu_grad_at_zero", reluGradAtZero);
        settings.put("kernels", k.provider());
        settings.put("threads", k.threads());
        settings.put("x", xFile == null ? null : xFile.toString());
        settings.put("y", yFile == null ? null : yFile.toString());
        settings.put("init", initDir == null ? null : initDir.toString());
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

    private void log(String s) {
        if (!quiet) {
            System.out.println(s);
        }
    }
}
