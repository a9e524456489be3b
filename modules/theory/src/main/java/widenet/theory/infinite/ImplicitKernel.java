package widenet.theory.infinite;

import widenet.model.ImplicitNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The infinite-width kernels of the implicit network z* = relu(Ãz* + φ(x)), Ã = (γ/√m)A, ŷ = uᵀz* (+ vᵀφ), with
 * A, W ~ N(0, 1), u, v of variance s_u² ({@code outputInitStd}², Rademacher or Gaussian alike), φ = s·Wx (linear
 * feature map; s = 1/√m or 1/√d) — our derivation, checked against Monte-Carlo averages of the empirical H(0).
 *
 * <p>Per unit r the pre-activation is h_r = g_r + φ_r with g = Ãz*. In the limit g is a Gaussian process
 * independent of φ with covariance γ²·z*ᵀz*′/m → γ²Λ, so h is Gaussian with Σ = γ²Λ + Λ_φ, Λ_φ = s²xᵀx′, and the
 * equilibrium kernel Λ = lim z*ᵀz*′/m is the fixed point of the layer map (the DEQ limit of Feng &amp; Kolter 2020,
 * specialised to relu):
 * <pre>
 *   Λ = κ₁(Σ),  Σ = γ²Λ + Λ_φ      diagonal: Λ(x,x) = Σ(x,x)/2  ⇒  Σ(x,x) = Λ_φ(x,x)/(1 − γ²/2)
 *                                 off it: c ← γ²κ₁(a, b, c) + Λ_φ(x,x′), a contraction (∂κ₁/∂c = κ₀ ≤ ½) of factor γ²/2
 * </pre>
 * The output sensitivity p = ∂ŷ/∂z-pre = D(Ãᵀp + u), D = diag 1{h &gt; 0}: with Ãᵀp a Gaussian independent of the
 * forward pass (u is drawn independently of it, so the gradient-independence argument applies), P = lim pᵀp′/m obeys
 * P = κ₀(Σ)(γ²P + s_u²) entry by entry, P = s_u²κ₀/(1 − γ²κ₀). The Jacobian blocks ∂ŷ/∂u = z*, ∂ŷ/∂v = φ,
 * ∂ŷ/∂A = (γ/√m)p z*ᵀ, ∂ŷ/∂W = s(p + v)xᵀ give Gao et al.'s eq. 14 term by term, H = (γ²M + I)∘ZZᵀ + Q∘XXᵀ + ΦΦᵀ:
 * <pre>
 *   H∞/m = [u] Λ + [A] γ²P⊙Λ + [W] s²xᵀx′(P + [skip] s_u²) + [v] Λ_φ,      NNGP/m = s_u²Λ + [skip] s_u²Λ_φ
 * </pre>
 * ([·] when trained). Each term is m times a width-free limit when s = 1/√d (widenet's earlier variant: the features
 * are O(1) per unit), so the kernel is reported at the network's width m, like the standard parameterisation; with
 * s = 1/√m, Λ_φ, Λ and the W-term carry 1/m and H∞ is width-free. The ReLU feature map φ = s·relu(Wx) (the paper's)
 * makes h non-Gaussian (g plus a rectified Gaussian): its H∞ is not derived here; {@link #featureGram} (Gao et al.'s
 * G = ΦΦᵀ, whose λ_min is their λ₀) is exact for both maps.
 */
public final class ImplicitKernel implements InfiniteWidthKernel {
    private static final int MAX_ITERATIONS = 10_000;

    private final ImplicitNetwork.Config config;
    private final double gamma2;
    private final double s2; // s², φ's factor squared
    private final double su2; // E u_r² = E v_r²
    private final int m;

    public ImplicitKernel(ImplicitNetwork.Config config) {
        this.config = config;
        this.gamma2 = config.gamma() * config.gamma();
        this.s2 = config.featureFactor() * config.featureFactor();
        this.su2 = config.outputInitStd() * config.outputInitStd();
        this.m = config.width();
        if (!(gamma2 < 2)) {
            throw new IllegalArgumentException(
                    "γ = " + config.gamma() + " ≥ √2: the infinite-width equilibrium kernel has no finite fixed point");
        }
    }

    /** Whether the full H∞ is derived for this network (the linear feature map). */
    public boolean derived() {
        return !config.phiRelu();
    }

    @Override
    public String normalisation() {
        return config.phiScale() == ImplicitNetwork.FeatureScale.SQRT_M
                ? "φ = relu?(Wx)/√m: H∞ is the finite infinite-width limit"
                : "φ = (Wx)/√d: every term grows like m; evaluated at the network's width m, so H(0)/H∞ → 1";
    }

    /** lim ΦΦᵀ at width m: m·s²·xᵀx′ (linear φ) or m·s²·κ₁(xᵀx′) (ReLU φ; Gao et al.'s G∞ when s = 1/√m). */
    public double[] featureGram(FloatMatrix x1, FloatMatrix x2, int threads) {
        PairGrid grid = new PairGrid(x1, x2);
        double[] out = grid.inner; // each entry is read before it is written (PairGrid.fill)
        grid.fill(threads, 0, (i, j, gij, scratch, o) -> o[0] = m * phiKernel(grid.sq1[i], grid.sq2[j], gij), out);
        return out;
    }

    private double phiKernel(double a, double b, double c) {
        if (!config.phiRelu()) {
            return s2 * c;
        }
        return s2 * arcCosine1(a, b, c);
    }

    @Override
    public double[] ntk(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, false)[1];
    }

    @Override
    public double[] nngp(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, true)[0];
    }

    /** {NNGP, H∞} at width m, rows(X₁)×rows(X₂) row-major (x2 null: X₁ with itself). */
    public double[][] compute(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, true);
    }

    /** As {@link #compute(FloatMatrix, FloatMatrix, int)}; without the NNGP only H∞ is formed, in the Gram's storage. */
    private double[][] compute(FloatMatrix x1, FloatMatrix x2, int threads, boolean wantNngp) {
        if (!derived()) {
            throw new UnsupportedOperationException(
                    "the infinite-width H of the implicit network with the ReLU feature map "
                            + "φ = s·relu(Wx) is not derived (the pre-activation is not Gaussian); only G∞ = lim ΦΦᵀ is");
        }
        if (x1.cols() != config.inputDim() || (x2 != null && x2.cols() != config.inputDim())) {
            throw new IllegalArgumentException("inputs must have d = " + config.inputDim() + " features");
        }
        PairGrid grid = new PairGrid(x1, x2);
        double[] ntk = grid.inner; // each entry is read before it is written (PairGrid.fill)
        double[] nngp = wantNngp ? new double[grid.rows * grid.cols] : null;
        boolean trainU = config.trains("u"), trainA = config.trains("A"), trainW = config.trains("W");
        boolean skip = config.outputSkip(), trainV = skip && config.trains("v");
        grid.fill(
                threads,
                0,
                (i, j, gij, scratch, o) -> {
                    double phiI = s2 * grid.sq1[i], phiJ = s2 * grid.sq2[j], phiIJ = s2 * gij;
                    double a = phiI / (1 - gamma2 / 2), b = phiJ / (1 - gamma2 / 2);
                    double c = equilibrium(a, b, phiIJ);
                    double lambda = arcCosine1(a, b, c);
                    double k0 = arcCosine0(a, b, c);
                    double p = su2 * k0 / (1 - gamma2 * k0);
                    double h = 0;
                    if (trainU) {
                        h += lambda;
                    }
                    if (trainA) {
                        h += gamma2 * p * lambda;
                    }
                    if (trainW) {
                        h += s2 * gij * (p + (skip ? su2 : 0));
                    }
                    if (trainV) {
                        h += phiIJ;
                    }
                    o[0] = m * h;
                    if (o.length > 1) {
                        o[1] = m * (su2 * lambda + (skip ? su2 * phiIJ : 0));
                    }
                },
                wantNngp ? new double[][] {ntk, nngp} : new double[][] {ntk});
        return new double[][] {nngp, ntk};
    }

    /** The off-diagonal fixed point c = γ²κ₁(a, b, c) + φ, iterated until it stops changing. */
    private double equilibrium(double a, double b, double phi) {
        double c = phi;
        double scale = Math.sqrt(a * b);
        if (scale == 0) {
            return 0;
        }
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double next = gamma2 * arcCosine1(a, b, c) + phi;
            if (Math.abs(next - c) <= 1e-15 * scale) {
                return next;
            }
            c = next;
        }
        return c;
    }

    static double arcCosine1(double a, double b, double c) {
        double r = Math.sqrt(a * b);
        if (r == 0) {
            return 0;
        }
        double cos = Math.max(-1, Math.min(1, c / r));
        double theta = Math.acos(cos);
        return r * (Math.sin(theta) + (Math.PI - theta) * cos) / (2 * Math.PI);
    }

    static double arcCosine0(double a, double b, double c) {
        double r = Math.sqrt(a * b);
        double cos = r == 0 ? 0 : Math.max(-1, Math.min(1, c / r));
        return (Math.PI - Math.acos(cos)) / (2 * Math.PI);
    }
}
