package widenet.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import widenet.kernel.Activation;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.model.WeightInit;

/**
 * The network a run trains, one record per family; each checks its own settings ({@link #validate}) and builds its
 * network ({@link #create}). Messages name the command-line option that sets the value.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ModelSpec.TwoLayer.class, name = TwoLayerNetwork.KIND),
    @JsonSubTypes.Type(value = ModelSpec.Deep.class, name = DeepNetwork.KIND),
    @JsonSubTypes.Type(value = ModelSpec.Implicit.class, name = ImplicitNetwork.KIND)
})
public sealed interface ModelSpec {

    /** The model's name: {@code two-layer}, {@code deep} or {@code implicit}. */
    String kind();

    /** Checks the settings, and that they fit the {@code data}. */
    void validate(DataSpec data);

    /**
     * The network of {@code spec} (this model, its loss and theory cadence) for {@code data}, drawn from {@code rng};
     * {@code capacity}: the largest batch it evaluates.
     */
    Network create(Kernels kernels, Dataset data, RunSpec spec, int capacity, SplittableRandom rng);

    /** The theory probes' default cadence in steps (0: the first and last rows only). */
    long defaultTheoryEvery();

    /**
     * Du et al. (2019): f(x) = (1/√m) Σ_r a_r relu(w_rᵀx), w_r(0) ~ N(0, κ²I), a_r ~ unif{±1} fixed unless
     * {@code trainOutputLayer}; ReLU′(0) = {@code reluGradAtZero} (1 as in the paper).
     */
    record TwoLayer(int width, double kappa, boolean trainOutputLayer, int reluGradAtZero) implements ModelSpec {
        /** Du et al.'s network at width m: κ = 1, a fixed, ReLU′(0) = 1. */
        public static TwoLayer du2019(int width) {
            return new TwoLayer(width, 1.0, false, 1);
        }

        @Override
        public String kind() {
            return TwoLayerNetwork.KIND;
        }

        @Override
        public void validate(DataSpec data) {
            if (width <= 0) {
                throw new InputException("--width must be positive, got " + width);
            }
            requireReluGradAtZero(reluGradAtZero);
            if (!(kappa > 0) || Double.isInfinite(kappa)) {
                throw new InputException("--kappa must be positive and finite, got " + kappa);
            }
        }

        @Override
        public Network create(Kernels kernels, Dataset data, RunSpec spec, int capacity, SplittableRandom rng) {
            return new TwoLayerNetwork(
                    kernels,
                    config(
                            data.d(),
                            capacity,
                            LossKind.parse(spec.optimisation().loss())),
                    rng);
        }

        /** The network's configuration for inputs of dimension {@code d} and batches of up to {@code capacity}. */
        public TwoLayerNetwork.Config config(int d, int capacity, LossKind loss) {
            return new TwoLayerNetwork.Config(d, width, capacity, kappa, trainOutputLayer, loss, reluGradAtZero == 1);
        }

        @Override
        public long defaultTheoryEvery() {
            return 10;
        }
    }

    /**
     * A deep network (Nguyen &amp; Mondelli 2020, Nguyen 2021): widths d, n₁, …, n_L (input first, outputs last),
     * the activation σ ({@code relu}, {@code leaky-relu[:α]}, {@code smooth-leaky-relu[:α[:β]]}, {@code identity}),
     * the initialisation (one for all layers or one per layer: {@code lecun}, {@code he}, {@code xavier},
     * {@code ntk[:c]}, {@code standard[:v]}), the output layer's scale (a number or {@code zero}), biases, frozen
     * layers (1-based) and ReLU′(0) (0 by default, as in Nguyen 2021).
     */
    record Deep(
            List<Integer> widths,
            String activation,
            List<String> weightInit,
            String outputScale,
            boolean biases,
            List<Integer> freeze,
            int reluGradAtZero)
            implements ModelSpec {
        public Deep {
            widths = widths == null ? null : List.copyOf(widths);
            activation = activation == null ? "relu" : activation;
            weightInit = weightInit == null ? List.of("lecun") : List.copyOf(weightInit);
            outputScale = outputScale == null ? "1" : outputScale;
            freeze = freeze == null ? List.of() : List.copyOf(freeze);
        }

        /** Widths d, n₁, …, n_L with the defaults: ReLU, LeCun initialisation, no biases, nothing frozen. */
        public static Deep of(List<Integer> widths) {
            return new Deep(widths, "relu", List.of("lecun"), "1", false, List.of(), 0);
        }

        public Deep withInit(String init) {
            return new Deep(widths, activation, List.of(init.split(",")), outputScale, biases, freeze, reluGradAtZero);
        }

        @Override
        public String kind() {
            return DeepNetwork.KIND;
        }

        String widthsText() {
            return String.join(",", widths.stream().map(String::valueOf).toList());
        }

        @Override
        public void validate(DataSpec data) {
            if (widths == null) {
                throw new InputException(
                        "--model deep needs --widths d,n1,…,nL (input dimension first, outputs last), e.g. --widths 64,512,64,32,1");
            }
            if (widths.size() < 2) {
                throw new InputException("--widths '" + widthsText() + "' has " + widths.size()
                        + " width; give at least 2: the input dimension d and the number of outputs k");
            }
            for (int l = 0; l < widths.size(); l++) {
                if (widths.get(l) <= 0) {
                    throw new InputException("--widths '" + widthsText() + "': width n" + l + " = " + widths.get(l)
                            + " must be positive");
                }
            }
            if (data instanceof DataSpec.Sphere s && s.d() != widths.get(0)) {
                throw new InputException("--widths starts with " + widths.get(0) + " but --d is " + s.d()
                        + "; the first width is the input dimension d");
            }
            requireReluGradAtZero(reluGradAtZero);
            config(1, LossKind.SUM); // activation, initialisation, output scale, frozen layers
        }

        /** The network's configuration for batches of up to {@code capacity} samples. */
        public DeepNetwork.Config config(int capacity, LossKind loss) {
            Activation act;
            List<WeightInit> inits;
            try {
                act = Activation.parse(activation, reluGradAtZero == 1);
                inits = weightInit.stream().map(WeightInit::parse).toList();
            } catch (IllegalArgumentException e) { // the parsers' messages name the option's text: bad input
                throw new InputException(e.getMessage(), e);
            }
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
            try {
                return new DeepNetwork.Config(
                        widths.stream().mapToInt(Integer::intValue).toArray(),
                        capacity,
                        act,
                        inits,
                        scale,
                        biases,
                        loss,
                        new TreeSet<>(freeze));
            } catch (IllegalArgumentException e) {
                throw new InputException("--model deep: " + e.getMessage(), e);
            }
        }

        @Override
        public Network create(Kernels kernels, Dataset data, RunSpec spec, int capacity, SplittableRandom rng) {
            return new DeepNetwork(
                    kernels, config(capacity, LossKind.parse(spec.optimisation().loss())), rng);
        }

        @Override
        public long defaultTheoryEvery() {
            return 0;
        }
    }

    /**
     * The implicit (equilibrium) network of Gao et al. (2022): z* = relu(Ã z* + φ(x)) with Ã = (γ/√m)·A, the fixed
     * point solved to ‖Δ‖_F ≤ tol·‖·‖_F within {@code maxIter} iterations. The paper's network is the default
     * ({@link #paper}): {@code phi} "relu" (φ(x) = s·relu(Wx)), {@code phiScale} "sqrt-m" (s = 1/√m), the output skip
     * (ŷ = uᵀz* + vᵀφ(x)), {@code outputInit} "rademacher" (u, v = ±s_out, s_out = {@code outputInitStd} = 1), nothing
     * frozen, γ = {@link ImplicitNetwork#PAPER_GAMMA}. The earlier variant ({@link #earlier}): "linear", "sqrt-d", no
     * skip, "gaussian".
     */
    record Implicit(
            int width,
            double gamma,
            double tol,
            int maxIter,
            String phi,
            String phiScale,
            boolean outputSkip,
            String outputInit,
            double outputInitStd,
            boolean requireContraction,
            List<String> freeze)
            implements ModelSpec {
        /** The paper's choices, as the command line spells them. */
        public static final String PHI_RELU = "relu",
                PHI_LINEAR = "linear",
                SCALE_SQRT_M = "sqrt-m",
                SCALE_SQRT_D = "sqrt-d",
                INIT_RADEMACHER = "rademacher",
                INIT_GAUSSIAN = "gaussian";

        public static final double DEFAULT_TOL = ImplicitNetwork.Solver.DEFAULT.tol();
        public static final int DEFAULT_MAX_ITER = ImplicitNetwork.Solver.DEFAULT.maxIterations();

        public Implicit {
            freeze = freeze == null ? List.of() : List.copyOf(freeze);
            phi = phi == null ? PHI_RELU : phi;
            phiScale = phiScale == null ? SCALE_SQRT_M : phiScale;
            outputInit = outputInit == null ? INIT_RADEMACHER : outputInit;
        }

        /** Gao et al.'s network at width m and γ: φ = relu(Wx)/√m, the skip vᵀφ, u, v Rademacher, all trained. */
        public static Implicit paper(int width, double gamma) {
            return new Implicit(
                    width,
                    gamma,
                    DEFAULT_TOL,
                    DEFAULT_MAX_ITER,
                    PHI_RELU,
                    SCALE_SQRT_M,
                    true,
                    INIT_RADEMACHER,
                    1.0,
                    false,
                    List.of());
        }

        /**
         * The earlier variant: φ = Wx/√d (linear), no skip, u ~ N(0, 1), with {@code freeze} (e.g. u, as Du et al.
         * fix their output layer) and the contraction required or not.
         */
        public static Implicit earlier(int width, double gamma, boolean requireContraction, List<String> freeze) {
            return new Implicit(
                    width,
                    gamma,
                    DEFAULT_TOL,
                    DEFAULT_MAX_ITER,
                    PHI_LINEAR,
                    SCALE_SQRT_D,
                    false,
                    INIT_GAUSSIAN,
                    1.0,
                    requireContraction,
                    freeze);
        }

        /** Whether these are the paper's network choices (φ, its scale, the skip, the output draw, nothing frozen). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isPaper() {
            return phi.equals(PHI_RELU)
                    && phiScale.equals(SCALE_SQRT_M)
                    && outputSkip
                    && outputInit.equals(INIT_RADEMACHER)
                    && outputInitStd == 1.0
                    && freeze.isEmpty();
        }

        @Override
        public String kind() {
            return ImplicitNetwork.KIND;
        }

        @Override
        public void validate(DataSpec data) {
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new InputException("--gamma must be non-negative and finite, got " + gamma);
            }
            if (!(tol > 0 && tol < 1)) {
                throw new InputException("--tol must be in (0, 1), got " + tol);
            }
            if (maxIter < 1) {
                throw new InputException("--max-iter must be at least 1, got " + maxIter);
            }
            if (!phi.equals(PHI_RELU) && !phi.equals(PHI_LINEAR)) {
                throw new InputException(
                        "--phi must be " + PHI_RELU + " (the paper's) or " + PHI_LINEAR + ", got '" + phi + "'");
            }
            if (!phiScale.equals(SCALE_SQRT_M) && !phiScale.equals(SCALE_SQRT_D)) {
                throw new InputException("--phi-scale must be " + SCALE_SQRT_M + " (1/√m, the paper's) or "
                        + SCALE_SQRT_D + " (1/√d), got '" + phiScale + "'");
            }
            if (!outputInit.equals(INIT_RADEMACHER) && !outputInit.equals(INIT_GAUSSIAN)) {
                throw new InputException("--output-init must be " + INIT_RADEMACHER + " (the paper's) or "
                        + INIT_GAUSSIAN + ", got '" + outputInit + "'");
            }
            if (!(outputInitStd >= 0) || Double.isInfinite(outputInitStd)) {
                throw new InputException("--output-init-std must be non-negative and finite, got " + outputInitStd);
            }
            List<String> names = outputSkip ? List.of("A", "W", "u", "v") : List.of("A", "W", "u");
            for (String f : freeze) {
                if (!names.contains(f)) {
                    throw new InputException("--freeze " + f + ": the implicit network's parameters are "
                            + String.join(", ", names)
                            + (outputSkip ? "" : " (v only with the output skip, which --no-output-skip turned off)"));
                }
            }
            if (new HashSet<>(freeze).containsAll(names)) {
                throw new InputException("--freeze " + String.join(",", freeze) + " leaves nothing to train");
            }
            if (width <= 0) {
                throw new InputException("--width must be positive, got " + width);
            }
        }

        /** The network's own settings (for a validated spec). */
        public ImplicitNetwork.Config config(int d, int capacity, LossKind loss, long contractionCheckEvery) {
            return new ImplicitNetwork.Config(
                    d,
                    width,
                    capacity,
                    gamma,
                    phi.equals(PHI_RELU),
                    phiScale.equals(SCALE_SQRT_M)
                            ? ImplicitNetwork.FeatureScale.SQRT_M
                            : ImplicitNetwork.FeatureScale.SQRT_D,
                    outputSkip,
                    outputInit.equals(INIT_RADEMACHER)
                            ? ImplicitNetwork.OutputInit.RADEMACHER
                            : ImplicitNetwork.OutputInit.GAUSSIAN,
                    outputInitStd,
                    loss,
                    Set.copyOf(freeze),
                    new ImplicitNetwork.Solver(tol, maxIter),
                    requireContraction,
                    contractionCheckEvery);
        }

        /**
         * The contraction check (with {@code requireContraction}) runs at the theory cadence, whether or not the
         * theory columns are on.
         */
        @Override
        public Network create(Kernels kernels, Dataset data, RunSpec spec, int capacity, SplittableRandom rng) {
            var cfg = config(
                    data.d(),
                    capacity,
                    LossKind.parse(spec.optimisation().loss()),
                    spec.theory().cadence(defaultTheoryEvery()));
            return new ImplicitNetwork(kernels, cfg, rng);
        }

        @Override
        public long defaultTheoryEvery() {
            return 10;
        }
    }

    private static void requireReluGradAtZero(int v) {
        if (v != 0 && v != 1) {
            throw new InputException("--relu-grad-at-zero must be 1 or 0, got " + v);
        }
    }
}
