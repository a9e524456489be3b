package widenet.theory.infinite;

import widenet.kernel.Activation;

/**
 * The two Gaussian expectations an infinitely wide layer with activation σ passes on: for (u, u′) ~ N(0, Σ),
 * Σ = [[a, c], [c, b]],
 * <pre>
 *   q(a, b, c) = E[σ(u) σ(u′)]        (the next layer's NNGP, before its weight variance)
 *   ṗ(a, b, c) = E[σ′(u) σ′(u′)]      (the factor the NTK picks up through the layer)
 * </pre>
 * In closed form for the positively homogeneous activations, with cos θ = c/√(ab) (Cho &amp; Saul 2009's arc-cosine
 * kernels of degree 1 and 0):
 * <pre>
 *   relu:         q = √(ab)(sin θ + (π − θ) cos θ)/(2π) = κ₁,     ṗ = (π − θ)/(2π) = κ₀
 *   leaky α:      σ = αx + (1 − α) relu(x):  q = αc + (1 − α)²κ₁,  ṗ = α + (1 − α)²κ₀   (E[u relu(u′)] = c/2)
 *   identity:     q = c,  ṗ = 1
 * </pre>
 * and for any other σ (the smooth leaky ReLU αx + (1 − α) softplus(βx)/β) by an N×N tensor Gauss–Hermite rule over
 * u = √a z₁, u′ = (c/√a) z₁ + √(b − c²/a) z₂ (exact for polynomials of degree ≤ 2N − 1 in each variable; σ is
 * analytic, so the error falls geometrically in N, at a rate set by the kink's sharpness β√a, and the number of
 * points is chosen from it, up to the given order: {@link #ruleFor}). A zero variance makes
 * u = 0 deterministic: then q = σ(0)·E[σ(u′)] and ṗ = σ′(0)·E[σ′(u′)], with σ′(0) the activation's own convention
 * (it matters for a layer that starts at exactly zero).
 */
public final class DualActivation {
    private static final double TWO_PI = 2 * Math.PI;

    private final Activation.Kind kind;
    private final double alpha;
    private final double beta;
    private final double gradAtZero; // σ′(0)
    private final GaussHermite rule; // the largest rule, --quadrature points
    private final GaussHermite[] smaller; // rules of 8, 12, 16, … points below it, for gentle kinks

    private DualActivation(Activation activation, int points) {
        this.kind = activation.kind();
        this.alpha = kind == Activation.Kind.RELU ? 0 : activation.alpha();
        this.beta = activation.beta();
        this.gradAtZero = switch (kind) {
            case IDENTITY -> 1;
            case RELU -> activation.gradAtZero() ? 1 : 0;
            case LEAKY_RELU -> activation.gradAtZero() ? 1 : alpha;
            case SMOOTH_LEAKY_RELU -> alpha + (1 - alpha) * 0.5;
        };
        this.rule = kind == Activation.Kind.SMOOTH_LEAKY_RELU ? GaussHermite.of(points) : null;
        java.util.List<GaussHermite> rules = new java.util.ArrayList<>();
        if (rule != null) {
            for (int p = 8; p < points; p += 4) {
                rules.add(GaussHermite.of(p));
            }
        }
        this.smaller = rules.toArray(new GaussHermite[0]);
    }

    /**
     * The rule for a pair whose larger variance is a: the kink of σ has width 1/β against a spread √a, and the rule's
     * error is governed by s = β√a (measured against 150 points, relative, q and ṗ: s ≈ 0.9: 16 points 6e-10;
     * s ≈ 2.2: 48 points 2e-8; s ≈ 4: 64 points 2e-6). N = 8 + 20·s points, at most {@code --quadrature}.
     */
    private GaussHermite ruleFor(double a) {
        double sharp = beta * Math.sqrt(a);
        int want = (int) Math.ceil(8 + 20 * sharp);
        for (GaussHermite g : smaller) {
            if (g.size() >= want) {
                return g;
            }
        }
        return rule;
    }

    /** The dual of σ; {@code points} is the Gauss–Hermite order per dimension for activations without a closed form. */
    public static DualActivation of(Activation activation, int points) {
        return new DualActivation(activation, points);
    }

    /** Whether q and ṗ are in closed form (no quadrature). */
    public boolean closedForm() {
        return rule == null;
    }

    /** Writes q(a, b, c) to out[0] and ṗ(a, b, c) to out[1]; a, b ≥ 0, c² ≤ ab up to rounding. */
    public void eval(double a, double b, double c, double[] out) {
        if (kind == Activation.Kind.IDENTITY) {
            out[0] = c;
            out[1] = 1;
            return;
        }
        if (!(a > 0) || !(b > 0)) {
            degenerate(a, b, out);
            return;
        }
        if (rule == null) {
            double r = Math.sqrt(a * b);
            double cos = Math.max(-1, Math.min(1, c / r));
            double theta = Math.acos(cos);
            double k1 = r * (Math.sin(theta) + (Math.PI - theta) * cos) / TWO_PI;
            double k0 = (Math.PI - theta) / TWO_PI;
            double s = (1 - alpha) * (1 - alpha);
            out[0] = alpha * c + s * k1;
            out[1] = alpha + s * k0;
            return;
        }
        if (a < b) {
            // The rule is not symmetric in (u, u′): order the pair so that q(a, b, c) = q(b, a, c) to the bit.
            double swap = a;
            a = b;
            b = swap;
        }
        GaussHermite rule = ruleFor(a);
        double sa = Math.sqrt(a);
        double slope = c / sa;
        double rest = Math.sqrt(Math.max(0, b - slope * slope));
        int n = rule.size();
        double q = 0, p = 0;
        for (int k = 0; k < n; k++) {
            double z1 = rule.node(k);
            double u = sa * z1;
            double f = sigma(u), fd = sigmaPrime(u);
            double base = slope * z1;
            double gq = 0, gp = 0;
            for (int l = 0; l < n; l++) {
                double v = base + rest * rule.node(l);
                double wl = rule.weight(l);
                gq += wl * sigma(v);
                gp += wl * sigmaPrime(v);
            }
            q += rule.weight(k) * f * gq;
            p += rule.weight(k) * fd * gp;
        }
        out[0] = q;
        out[1] = p;
    }

    /** q(a, a, a) and ṗ(a, a, a): the diagonal, by a one-dimensional rule (or in closed form). */
    public void evalDiagonal(double a, double[] out) {
        if (rule == null || !(a > 0)) {
            eval(a, a, a, out);
            return;
        }
        GaussHermite rule = ruleFor(a);
        double sa = Math.sqrt(a);
        double q = 0, p = 0;
        for (int k = 0; k < rule.size(); k++) {
            double u = sa * rule.node(k);
            double f = sigma(u), fd = sigmaPrime(u);
            q += rule.weight(k) * f * f;
            p += rule.weight(k) * fd * fd;
        }
        out[0] = q;
        out[1] = p;
    }

    /** At least one of u, u′ is identically 0. */
    private void degenerate(double a, double b, double[] out) {
        double other = a > 0 ? a : b; // the variance of the one that is not 0 (or 0 for both)
        double s0 = sigma(0);
        if (!(other > 0)) {
            out[0] = s0 * s0;
            out[1] = gradAtZero * gradAtZero;
            return;
        }
        double mean, meanPrime;
        if (rule == null) {
            // relu, leaky: E[σ(√v z)] = (1 − α)√v/√(2π), E[σ′] = α + (1 − α)/2.
            mean = (1 - alpha) * Math.sqrt(other / TWO_PI);
            meanPrime = alpha + (1 - alpha) * 0.5;
        } else {
            double so = Math.sqrt(other);
            GaussHermite rule = ruleFor(other);
            mean = 0;
            meanPrime = 0;
            for (int k = 0; k < rule.size(); k++) {
                double u = so * rule.node(k);
                mean += rule.weight(k) * sigma(u);
                meanPrime += rule.weight(k) * sigmaPrime(u);
            }
        }
        out[0] = s0 * mean;
        out[1] = gradAtZero * meanPrime;
    }

    /** σ in double precision (the network evaluates the same formula in float). */
    double sigma(double x) {
        return switch (kind) {
            case IDENTITY -> x;
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case SMOOTH_LEAKY_RELU -> {
                double t = beta * x;
                double softplus = Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
                yield alpha * x + (1 - alpha) * softplus / beta;
            }
        };
    }

    double sigmaPrime(double x) {
        return switch (kind) {
            case IDENTITY -> 1;
            case RELU -> x > 0 ? 1 : x == 0 ? gradAtZero : 0;
            case LEAKY_RELU -> x > 0 ? 1 : x == 0 ? gradAtZero : alpha;
            case SMOOTH_LEAKY_RELU -> {
                double t = beta * x;
                double sig = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
                yield alpha + (1 - alpha) * sig;
            }
        };
    }
}
