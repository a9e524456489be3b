package widenet.theory;

import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The empirical neural tangent kernel K(0) = JJᵀ of any of widenet's networks at its current (initial) weights, and
 * the step {@code --lr auto} derives from it.
 *
 * <p>Why η = c/λ_max(K(0)): near initialisation GD on the summed loss moves the predictions as
 * u(k+1) − u(k) ≈ −ηK(u(k) − y), a linear map whose error components shrink by |1 − ηλᵢ| per step, so it is stable
 * only for η &lt; 2/λ_max. c = 1 (the default) halves that limit: the slowest-to-converge top direction then
 * contracts at once (1 − ηλ_max = 0) and the margin of 2 absorbs the kernel's drift during training (λ_max(K(k))
 * rises with k in the deep networks, "progressive sharpening") and the Hessian's residual term Σᵢ rᵢ∇²fᵢ that the
 * linearisation drops. With the mean loss (1/2n)Σᵢ(…)² the same step on the sum is η/n, so η = c·n/λ_max.
 * K is formed in double (n² values) and its λ_max found by {@link Lanczos}, not by a full eigen-decomposition.
 */
public final class InitialKernel {
    /** c in η = c/λ_max(K(0)) when {@code --lr auto} gives none. */
    public static final double DEFAULT_FACTOR = 1.0;

    private InitialKernel() {}

    /**
     * K = JJᵀ (n×n, row-major, double, one output) of {@code net} on the rows of x at its current weights; runs a
     * forward pass on (x, y) first.
     */
    public static double[] empirical(Kernels kernels, Network net, FloatMatrix x, FloatMatrix y) {
        if (net.outputDim() != 1) {
            throw new IllegalArgumentException(
                    "the empirical NTK is formed for one output; the network has " + net.outputDim());
        }
        net.forward(x, y);
        return switch (net) {
            case DeepNetwork deep -> EmpiricalNtk.compute(kernels, deep);
            case ImplicitNetwork imp -> EmpiricalImplicitNtk.compute(kernels, imp, x);
            case TwoLayerNetwork two -> twoLayer(kernels, two, x);
            default -> throw new IllegalArgumentException("no empirical NTK for the " + net.kind() + " network");
        };
    }

    /**
     * The two-layer network's K(0): H(0) = (1/m)(XXᵀ)⊙(S diag(a²) Sᵀ) for W, plus G(0) = (1/m) relu(XWᵀ)relu(XWᵀ)ᵀ
     * when a is trained (Du et al.'s H(k) and G(k) at k = 0).
     */
    static double[] twoLayer(Kernels kernels, TwoLayerNetwork net, FloatMatrix x) {
        int n = x.rows();
        int m = net.config().width();
        FloatMatrix s = net.activationMask();
        FloatMatrix a = net.outputWeights();
        double[] xx = FeatureGram.rows(x);
        double[] k;
        try (FloatMatrix scaled = FloatMatrix.allocate(n, m)) {
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < m; r++) {
                    scaled.set(i, r, s.get(i, r) * Math.abs(a.get(r, 0)));
                }
            }
            k = FeatureGram.rows(scaled);
        }
        for (int i = 0; i < k.length; i++) {
            k[i] *= xx[i] / m;
        }
        if (net.config().trainOutputLayer()) {
            try (FloatMatrix z = FloatMatrix.allocate(n, m)) {
                kernels.gemm(Op.N, Op.T, 1f, x, net.weights(), 0f, z); // X Wᵀ
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < m; r++) {
                        z.set(i, r, Math.max(0f, z.get(i, r)));
                    }
                }
                double[] g = FeatureGram.rows(z);
                for (int i = 0; i < k.length; i++) {
                    k[i] += g[i] / m;
                }
            }
        }
        return k;
    }

    /** λ_max(K(0)) of {@code net} on (x, y), by Lanczos. */
    public static double lambdaMax(Kernels kernels, Network net, FloatMatrix x, FloatMatrix y) {
        return Lanczos.lambdaMax(empirical(kernels, net, x, y), x.rows());
    }

    /** η = c/λ_max for the summed loss, c·n/λ_max for the mean over n samples. */
    public static double step(double c, double lambdaMax, LossKind loss, int n) {
        return loss == LossKind.SUM ? c / lambdaMax : c * n / lambdaMax;
    }
}
