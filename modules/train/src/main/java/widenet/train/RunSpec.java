package widenet.train;

import java.util.Map;
import java.util.Objects;
import widenet.train.internal.CheckpointPolicy;

/**
 * Everything that defines a training run, as data: what to train on ({@link DataSpec}), which network
 * ({@link ModelSpec}), how gradient descent runs ({@link Optimisation}), the seed of data, initialisation and
 * shuffling, the initial weights (a folder of {@code .npy} files, or null for a draw from the seed), the theory
 * columns ({@link Theory}), the checkpoint cadence, the kernels and threads ({@link Compute}) and where the
 * gradients are computed ({@link EngineSpec}). {@link Runs#train} runs one; {@code run.json} records it under
 * {@code "spec"} ({@link RunSpecJson}), so a run folder says exactly what made it and {@code widenet rerun} can make
 * it again.
 *
 * <p>{@link #validate()} checks the whole spec and says what is wrong in the terms of the command-line option that
 * sets the value ({@code --width must be positive, got 0}), so the CLI and an embedding application see the same
 * messages. The checkpoint cadence only steers the run: it is not part of the run's identity ({@link #identity()}).
 */
public record RunSpec(
        DataSpec data,
        ModelSpec model,
        Optimisation optimisation,
        long seed,
        String init,
        Theory theory,
        String checkpointEvery,
        Compute compute,
        EngineSpec engine) {
    /** The version of the JSON form; readers refuse a newer one. */
    public static final int SCHEMA_VERSION = 1;

    public RunSpec {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimisation, "optimisation");
        theory = theory == null ? Theory.AUTO : theory;
        checkpointEvery = checkpointEvery == null ? CheckpointPolicy.DEFAULT : checkpointEvery;
        compute = compute == null ? Compute.DEFAULT : compute;
        engine = engine == null ? EngineSpec.LOCAL : engine;
    }

    /**
     * How the run steps: η ({@code lr}), steps, batch (null: full batch), a metrics row every {@code every} steps, the
     * loss. {@code lrAuto} (null: η is given) asks for η = c/λ_max(K(0)) of the empirical NTK at the initial weights
     * (c·n/λ_max for the mean loss), c = lrAuto; {@code lr} is then 0 until the run resolves it and the resolved
     * value afterwards, so run.json records both and a rerun or resume steps with exactly the same η.
     */
    public record Optimisation(double lr, long steps, Integer batch, long every, String loss, Double lrAuto) {
        /** Below this c the step is 2/c times inside the linear stability limit 2/λ_max; at 2 it is on it. */
        public static final double MAX_AUTO_FACTOR = 2;

        public Optimisation {
            loss = loss == null ? "sum" : loss;
        }

        /** A given step η. */
        public Optimisation(double lr, long steps, Integer batch, long every, String loss) {
            this(lr, steps, batch, every, loss, null);
        }

        /** η = c/λ_max(K(0)), resolved at the start of the run. */
        public static Optimisation auto(double c, long steps, Integer batch, long every, String loss) {
            return new Optimisation(0, steps, batch, every, loss, c);
        }

        /** Full-batch GD with the summed loss and a row every step. */
        public static Optimisation fullBatch(double lr, long steps) {
            return new Optimisation(lr, steps, null, 1, "sum");
        }

        public Optimisation withEvery(long k) {
            return new Optimisation(lr, steps, batch, k, loss, lrAuto);
        }

        public Optimisation withSteps(long k) {
            return new Optimisation(lr, k, batch, every, loss, lrAuto);
        }

        /** This with the automatic step resolved to {@code eta}. */
        public Optimisation withResolvedLr(double eta) {
            return new Optimisation(eta, steps, batch, every, loss, lrAuto);
        }

        /** Whether η is automatic and not yet resolved. */
        public boolean lrPending() {
            return lrAuto != null && lr == 0;
        }

        void validateAuto() {
            if (lrAuto != null && !(lrAuto > 0 && lrAuto < MAX_AUTO_FACTOR)) {
                throw new InputException(
                        "--lr auto:c needs 0 < c < " + MAX_AUTO_FACTOR + " (η = c/λ_max(K(0)); GD on the "
                                + "linearised model is stable only for c < 2), got c = " + lrAuto);
            }
            if (lrAuto != null && !(lr == 0 || (lr > 0 && Double.isFinite(lr)))) {
                throw new InputException("lr " + lr + " is not a resolved automatic step");
            }
        }

        /** The trainer's settings for {@code n} samples and the shuffling seed. */
        public TrainSettings settings(int n, long shuffleSeed) {
            if (lrPending()) {
                throw new IllegalStateException("the automatic step (--lr auto) is resolved when the run starts");
            }
            return new TrainSettings(lr, steps, batch != null ? batch : n, every, shuffleSeed);
        }
    }

    /**
     * The theory columns: {@code on}, {@code off} or {@code auto} (on for the two-layer model with full-batch GD and
     * n ≤ {@link #AUTO_MAX_N}, locally), every {@code every} steps (null: the model's default; 0: the first and last
     * rows only).
     */
    public record Theory(String mode, Long every) {
        public static final Theory AUTO = new Theory("auto", null);
        public static final Theory OFF = new Theory("off", null);
        /** Above this n, {@code auto} is off: H∞'s eigenvectors cost O(n³) (n = 2000: several seconds). */
        public static final int AUTO_MAX_N = 2000;

        public Theory {
            mode = mode == null ? "auto" : mode;
        }

        public static Theory on(long every) {
            return new Theory("on", every);
        }

        public boolean off() {
            return mode.equals("off");
        }

        /** The probes' cadence in steps: {@code every}, else {@code modelDefault}; 0 becomes "first and last row". */
        public long cadence(long modelDefault) {
            long k = every != null ? every : modelDefault;
            return k == 0 ? Long.MAX_VALUE : k;
        }

        void validate() {
            if (!mode.equals("on") && !mode.equals("off") && !mode.equals("auto")) {
                throw new InputException("--theory must be on, off or auto, got '" + mode + "'");
            }
            if (every != null && every < 0) {
                throw new InputException("--theory-every must be ≥ 0, got " + every);
            }
        }
    }

    /** The kernel provider and its worker threads ({@code null}: all cores). */
    public record Compute(String kernels, Integer threads) {
        public static final Compute DEFAULT = new Compute(null, null);

        public Compute {
            kernels = kernels == null ? widenet.kernel.KernelProviders.DEFAULT : kernels;
        }

        /** The thread count: {@link #threads}, or all cores. */
        public int threadCount() {
            return threads != null ? threads : Runtime.getRuntime().availableProcessors();
        }

        void validate() {
            if (threads != null && threads < 1) {
                throw new InputException("--threads must be at least 1, got " + threads);
            }
        }
    }

    /** Checks every part of the spec and how they fit together; an {@link InputException} names the problem. */
    public RunSpec validate() {
        model.validate(data);
        data.validate();
        compute.validate();
        optimisation.validateAuto();
        // TrainSettings checks η, steps and every (the batch against n: below); a pending automatic η as if it were 1.
        (optimisation.lrPending() ? optimisation.withResolvedLr(1) : optimisation).settings(1, 0);
        if (optimisation.batch() != null && optimisation.batch() <= 0) {
            throw new InputException("--batch must be positive, got " + optimisation.batch());
        }
        widenet.model.LossKind.parse(optimisation.loss());
        theory.validate();
        engine.validate(model, theory);
        CheckpointPolicy.parse(checkpointEvery);
        return this;
    }

    /** Whether the two-layer theory (H∞, its bounds and λ_min(H(k))) runs for {@code n} samples. */
    public boolean twoLayerTheory(int n) {
        return switch (theory.mode()) {
            case "on" -> model instanceof ModelSpec.TwoLayer;
            case "off" -> false;
            default ->
                model instanceof ModelSpec.TwoLayer
                        && (optimisation.batch() == null || optimisation.batch() == n)
                        && n <= Theory.AUTO_MAX_N
                        && engine instanceof EngineSpec.Local;
        };
    }

    /** The recorded "theory" setting of run.json: whether theory columns were on (for the two-layer rule). */
    boolean theoryEnabledSetting(int n) {
        return switch (theory.mode()) {
            case "on" -> true;
            case "off" -> false;
            default -> twoLayerTheory(n);
        };
    }

    /**
     * This spec with its data files and {@code --init} folder as absolute, normalised paths: a run records where its
     * inputs are independently of the working folder it was started from, so it resumes from any other.
     */
    public RunSpec withAbsolutePaths() {
        // the test set's files too: a held-out set named relatively is found again from another directory
        DataSpec d = data;
        if (data instanceof DataSpec.NpyFiles f && f.x() != null && f.y() != null) {
            d = new DataSpec.NpyFiles(
                    absolute(f.x()), absolute(f.y()), absoluteOrNull(f.testX()), absoluteOrNull(f.testY()));
        } else if (data instanceof DataSpec.Sphere s && s.testX() != null) {
            d = new DataSpec.Sphere(s.n(), s.d(), s.testN(), absoluteOrNull(s.testX()), absoluteOrNull(s.testY()));
        }
        return new RunSpec(
                d,
                model,
                optimisation,
                seed,
                init == null ? null : absolute(init),
                theory,
                checkpointEvery,
                compute,
                engine);
    }

    private static String absoluteOrNull(String path) {
        return path == null ? null : absolute(path);
    }

    private static String absolute(String path) {
        try {
            return java.nio.file.Path.of(path).toAbsolutePath().normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            throw new InputException("'" + path + "' is not a valid path: " + e.getReason());
        }
    }

    public RunSpec withData(DataSpec d) {
        return new RunSpec(d, model, optimisation, seed, init, theory, checkpointEvery, compute, engine);
    }

    public RunSpec withCheckpointEvery(String every) {
        return new RunSpec(data, model, optimisation, seed, init, theory, every, compute, engine);
    }

    public RunSpec withCompute(Compute c) {
        return new RunSpec(data, model, optimisation, seed, init, theory, checkpointEvery, c, engine);
    }

    public RunSpec withOptimisation(Optimisation o) {
        return new RunSpec(data, model, o, seed, init, theory, checkpointEvery, compute, engine);
    }

    public RunSpec withTheory(Theory t) {
        return new RunSpec(data, model, optimisation, seed, init, t, checkpointEvery, compute, engine);
    }

    /** The JSON form without the run-control fields (the checkpoint cadence): what two runs must share to be one. */
    public Map<String, Object> identity() {
        Map<String, Object> m = RunSpecJson.toMap(this);
        m.remove("checkpoint_every");
        // An automatic η is a function of the rest of the spec: the run is the same whether or not it is resolved yet.
        if (optimisation.lrAuto() != null && m.get("optimisation") instanceof Map<?, ?> o) {
            Map<Object, Object> copy = new java.util.LinkedHashMap<>(o);
            copy.put("lr", "auto");
            m.put("optimisation", copy);
        }
        return m;
    }
}
