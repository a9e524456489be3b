package widenet.kernel;

import java.util.Locale;

/**
 * An elementwise activation σ and its derivative σ′. The scalar definitions here are the reference every
 * provider must match.
 *
 * <ul>
 *   <li>{@code identity}: σ(x) = x.</li>
 *   <li>{@code relu}: σ(x) = max(x, 0); σ′(0) is 1 (Du et al. 2019) or 0 (Nguyen 2021), see {@link #gradAtZero()}.</li>
 *   <li>{@code leaky-relu:α}: σ(x) = x for x &gt; 0, αx otherwise; σ′(0) is 1 or α by the same convention.</li>
 *   <li>{@code smooth-leaky-relu:α:β}: σ(x) = αx + (1−α)·softplus(βx)/β; σ′(x) = α + (1−α)·sigmoid(βx) ∈ (α, 1),
 *       strictly increasing, with σ′ Lipschitz (constant (1−α)β/4): the smooth activation Nguyen &amp; Mondelli 2020
 *       need for the discrete-step result.</li>
 * </ul>
 */
public final class Activation {
    public enum Kind {
        IDENTITY,
        RELU,
        LEAKY_RELU,
        SMOOTH_LEAKY_RELU
    }

    private final Kind kind;
    private final float alpha;
    private final float beta;
    private final boolean gradAtZero;

    private Activation(Kind kind, float alpha, float beta, boolean gradAtZero) {
        this.kind = kind;
        this.alpha = alpha;
        this.beta = beta;
        this.gradAtZero = gradAtZero;
    }

    public static Activation identity() {
        return new Activation(Kind.IDENTITY, 1f, 0f, true);
    }

    /** ReLU; {@code gradAtZero} true means σ′(0) = 1, false means σ′(0) = 0. */
    public static Activation relu(boolean gradAtZero) {
        return new Activation(Kind.RELU, 0f, 0f, gradAtZero);
    }

    /** Leaky ReLU with negative slope α ∈ [0, 1); {@code gradAtZero} true means σ′(0) = 1, false means σ′(0) = α. */
    public static Activation leakyRelu(float alpha, boolean gradAtZero) {
        if (!(alpha >= 0f && alpha < 1f)) {
            throw new IllegalArgumentException("leaky-relu slope must be in [0, 1), got " + alpha);
        }
        return new Activation(Kind.LEAKY_RELU, alpha, 0f, gradAtZero);
    }

    /** The smooth leaky ReLU αx + (1−α)·softplus(βx)/β with α ∈ (0, 1), β &gt; 0. */
    public static Activation smoothLeakyRelu(float alpha, float beta) {
        if (!(alpha > 0f && alpha < 1f)) {
            throw new IllegalArgumentException("smooth-leaky-relu slope α must be in (0, 1), got " + alpha);
        }
        if (!(beta > 0f) || Float.isInfinite(beta)) {
            throw new IllegalArgumentException(
                    "smooth-leaky-relu sharpness β must be positive and finite, got " + beta);
        }
        return new Activation(Kind.SMOOTH_LEAKY_RELU, alpha, beta, true);
    }

    /**
     * Parses {@code identity}, {@code relu}, {@code leaky-relu[:α]} (α = 0.1 by default) or
     * {@code smooth-leaky-relu[:α[:β]]} (α = 0.1, β = 4 by default).
     */
    public static Activation parse(String spec, boolean gradAtZero) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (parts[0]) {
                case "identity", "linear" -> {
                    arity(spec, parts, 0);
                    yield identity();
                }
                case "relu" -> {
                    arity(spec, parts, 0);
                    yield relu(gradAtZero);
                }
                case "leaky-relu", "leaky_relu", "leakyrelu" -> {
                    arity(spec, parts, 1);
                    yield leakyRelu(parts.length > 1 ? Float.parseFloat(parts[1]) : 0.1f, gradAtZero);
                }
                case "smooth-leaky-relu", "smooth_leaky_relu" -> {
                    arity(spec, parts, 2);
                    yield smoothLeakyRelu(
                            parts.length > 1 ? Float.parseFloat(parts[1]) : 0.1f,
                            parts.length > 2 ? Float.parseFloat(parts[2]) : 4f);
                }
                default ->
                    throw new IllegalArgumentException("unknown activation '" + spec
                            + "'; expected identity, relu, leaky-relu[:α] or smooth-leaky-relu[:α[:β]]");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("activation '" + spec + "': parameter is not a number");
        }
    }

    private static void arity(String spec, String[] parts, int max) {
        if (parts.length - 1 > max) {
            throw new IllegalArgumentException("activation '" + spec + "' takes at most " + max + " parameter(s)");
        }
    }

    public Kind kind() {
        return kind;
    }
    /** Negative slope α (leaky variants); 0 for ReLU. */
    public float alpha() {
        return alpha;
    }
    /** Sharpness β of the smooth variant. */
    public float beta() {
        return beta;
    }
    /** ReLU/leaky: whether σ′(0) takes the right-hand slope 1. */
    public boolean gradAtZero() {
        return gradAtZero;
    }

    public float apply(float x) {
        return switch (kind) {
            case IDENTITY -> x;
            case RELU -> x > 0f ? x : 0f;
            case LEAKY_RELU -> x > 0f ? x : alpha * x;
            case SMOOTH_LEAKY_RELU -> alpha * x + (1f - alpha) * softplus(beta * x) / beta;
        };
    }

    public float derivative(float x) {
        return switch (kind) {
            case IDENTITY -> 1f;
            case RELU -> x > 0f || (gradAtZero && x == 0f) ? 1f : 0f;
            case LEAKY_RELU -> x > 0f || (gradAtZero && x == 0f) ? 1f : alpha;
            case SMOOTH_LEAKY_RELU -> alpha + (1f - alpha) * sigmoid(beta * x);
        };
    }

    /** log(1 + eᵗ) without overflow. */
    public static float softplus(float t) {
        return t > 0f ? t + (float) Math.log1p(Math.exp(-t)) : (float) Math.log1p(Math.exp(t));
    }

    public static float sigmoid(float t) {
        return t >= 0f ? 1f / (1f + (float) Math.exp(-t)) : (float) (Math.exp(t) / (1.0 + Math.exp(t)));
    }

    /** The spec this activation parses from, e.g. {@code leaky-relu:0.1}. */
    @Override
    public String toString() {
        return switch (kind) {
            case IDENTITY -> "identity";
            case RELU -> "relu";
            case LEAKY_RELU -> "leaky-relu:" + alpha;
            case SMOOTH_LEAKY_RELU -> "smooth-leaky-relu:" + alpha + ":" + beta;
        };
    }
}
