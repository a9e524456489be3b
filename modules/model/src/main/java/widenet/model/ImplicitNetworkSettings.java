package widenet.model;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of the {@link ImplicitNetwork} (Gao et al. 2022): its {@link Config}, the fixed-point {@link Solver},
 * the feature scale and the output weights' draw, and the paper's γ. A separate type so that the network's file holds
 * the computation; the network implements it, so these are reachable as {@code ImplicitNetwork.Config} etc.
 */
public interface ImplicitNetworkSettings {
    /** Parameter names, in {@link #parameters()} order (v only with the output skip). */
    public static final List<String> PARAMETER_NAMES = List.of("A", "W", "u", "v");

    /**
     * How the two fixed points are solved: stop when ‖X_{t+1} − X_t‖_F ≤ tol·‖X_{t+1}‖_F, fail after
     * {@code maxIterations}. What float32 can reach: near the fixed point the float map is a deterministic function
     * whose iterates end up changing only in the last bit of a few entries, so the relative change stalls at a few
     * times 1e-8 (measured: 2.6e-8 at m = 500, 4–5e-8 at m = 2000, scalar and simd providers). The default 1e-6 is
     * 20× above that. The change is not the error: with contraction ρ the iterate is within
     * (ρ·tol·‖Z‖ + e)/(1 − ρ) of the exact z*, e the rounding of one application (up to ≈ √m·ε·‖Z‖ worst case).
     */
    public record Solver(double tol, int maxIterations) {
        public static final Solver DEFAULT = new Solver(1e-6, 500);

        public Solver {
            if (!(tol > 0 && tol < 1)) {
                throw new IllegalArgumentException("fixed-point tolerance must be in (0, 1), got " + tol);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException(
                        "fixed-point iteration budget must be at least 1, got " + maxIterations);
            }
        }
    }

    /**
     * γ = 0.1, the paper's setting: its theorems take γ ≤ min(½, 1/(4c)) with ‖A(0)‖₂ ≤ c√m, and a Gaussian m×m A
     * has ‖A‖₂ ≈ 2√m (c ≈ 2), so γ ≤ 1/8; its Figure 1 (panel c) shows ‖γ̃A(k)‖ ≈ 0.198–0.199 = 2γ, i.e. γ ≈ 0.1.
     */
    public static final double PAPER_GAMMA = 0.1;

    /** The factor s in φ(x) = s·(relu)(Wx). */
    public enum FeatureScale {
        /** s = 1/√m, the paper's: ‖φ(x)‖² ≈ ½ for a unit x whatever the width. */
        SQRT_M,
        /** s = 1/√d, the earlier variant: ‖φ(x)‖² ≈ m/d, so the outputs at initialisation grow like √(m/d). */
        SQRT_D;

        double factor(int d, int m) {
            return this == SQRT_M ? 1 / Math.sqrt(m) : 1 / Math.sqrt(d);
        }

        @Override
        public String toString() {
            return this == SQRT_M ? "1/sqrt(m)" : "1/sqrt(d)";
        }
    }

    /** How u and v are drawn at initialisation (scaled by {@link Config#outputInitStd()}). */
    public enum OutputInit {
        /** ±s, each sign with probability ½: the paper's. */
        RADEMACHER,
        /** N(0, s²), the earlier variant. */
        GAUSSIAN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The settings. {@code capacity}: the largest batch, usually n. {@code gamma}: γ in Ã = (γ/√m)A.
     * {@code phiRelu}: φ(x) = s·relu(Wx) (the paper's) instead of the linear s·Wx. {@code phiScale}: s = 1/√m (the
     * paper's) or 1/√d. {@code outputSkip}: ŷ = uᵀz* + vᵀφ(x) (the paper's) instead of uᵀz*. {@code outputInit},
     * {@code outputInitStd}: u (and v) Rademacher ±s or N(0, s²), s = 1 by default; s = 1/√m gives NTK-style outputs.
     * {@code frozen}: names of parameters gradient descent leaves fixed (subset of A, W, u, v; the paper trains all).
     * {@code requireContraction}: check ‖Ã‖₂ &lt; 1 at the first forward pass and at the first one after every
     * {@code contractionCheckEvery} backward passes (training steps), failing otherwise.
     */
    public record Config(
            int inputDim,
            int width,
            int capacity,
            double gamma,
            boolean phiRelu,
            FeatureScale phiScale,
            boolean outputSkip,
            OutputInit outputInit,
            double outputInitStd,
            LossKind loss,
            Set<String> frozen,
            Solver solver,
            boolean requireContraction,
            long contractionCheckEvery) {
        public Config {
            if (inputDim <= 0) {
                throw new IllegalArgumentException("input dimension d" + " must be positive, got " + inputDim);
            }
            if (width <= 0) {
                throw new IllegalArgumentException("width m" + " must be positive, got " + width);
            }
            if (capacity <= 0) {
                throw new IllegalArgumentException("batch capacity" + " must be positive, got " + capacity);
            }
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("γ must be non-negative and finite, got " + gamma);
            }
            if (!(outputInitStd >= 0) || Double.isInfinite(outputInitStd)) {
                throw new IllegalArgumentException(
                        "output init std must be non-negative and finite, got " + outputInitStd);
            }
            if (contractionCheckEvery < 1) {
                throw new IllegalArgumentException(
                        "contraction check interval must be at least 1, got " + contractionCheckEvery);
            }
            java.util.Objects.requireNonNull(phiScale, "phiScale");
            java.util.Objects.requireNonNull(outputInit, "outputInit");
            frozen = Set.copyOf(frozen);
            for (String f : frozen) {
                if (!PARAMETER_NAMES.contains(f) || (f.equals("v") && !outputSkip)) {
                    throw new IllegalArgumentException(
                            "cannot freeze '" + f + "': the implicit network's parameters are A, W, u"
                                    + (outputSkip ? ", v" : " (and v with the output skip)"));
                }
            }
        }

        /**
         * The earlier variant's settings in their old order: φ = (relu)(Wx)/√d and Gaussian output weights, the
         * other choices as given.
         */
        public Config(
                int inputDim,
                int width,
                int capacity,
                double gamma,
                boolean phiRelu,
                boolean outputSkip,
                double outputInitStd,
                LossKind loss,
                Set<String> frozen,
                Solver solver,
                boolean requireContraction,
                long contractionCheckEvery) {
            this(
                    inputDim,
                    width,
                    capacity,
                    gamma,
                    phiRelu,
                    FeatureScale.SQRT_D,
                    outputSkip,
                    OutputInit.GAUSSIAN,
                    outputInitStd,
                    loss,
                    frozen,
                    solver,
                    requireContraction,
                    contractionCheckEvery);
        }

        /**
         * Gao et al.'s network: φ = relu(Wx)/√m, the skip term, u and v Rademacher, all four parameters trained, γ as
         * given ({@link #PAPER_GAMMA} is the paper's), the default solver, no contraction check.
         */
        public static Config paper(int inputDim, int width, int capacity, double gamma, LossKind loss) {
            return new Config(
                    inputDim,
                    width,
                    capacity,
                    gamma,
                    true,
                    FeatureScale.SQRT_M,
                    true,
                    OutputInit.RADEMACHER,
                    1.0,
                    loss,
                    Set.of(),
                    Solver.DEFAULT,
                    false,
                    1);
        }

        public boolean trains(String name) {
            return !frozen.contains(name);
        }

        /** The factor s of φ(x) = s·(relu)(Wx). */
        public double featureFactor() {
            return phiScale.factor(inputDim, width);
        }
    }
}
