package widenet.theory;

import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The empirical neural tangent kernel K = J Jᵀ of any of widenet's networks with one output, over its trained
 * parameters, at the state of its last forward pass (on the N rows of {@code x}): J's row i is ∂f(xᵢ)/∂θ. Each model
 * forms it without J from its outer-product Jacobians, in double (the Grams by {@link FeatureGram}):
 * <ul>
 *   <li>two-layer (Du et al. 2019): ∂f/∂w_r = (1/√m) a_r 1{w_rᵀx ≥ 0} x and ∂f/∂a_r = (1/√m) relu(w_rᵀx), so
 *       K = (1/m)(XXᵀ)⊙(S diag(a²) Sᵀ) [+ (1/m) relu(XWᵀ) relu(XWᵀ)ᵀ when a is trained] — H(k) of eq. (5) when
 *       a = ±1;</li>
 *   <li>deep: the layer recursion of {@link EmpiricalNtk};</li>
 *   <li>implicit (Gao et al. 2022, eq. 14): (γ²/m)(PPᵀ)⊙(ZZᵀ) + s²(GGᵀ)⊙(XXᵀ) + ZZᵀ + ΦΦᵀ over the trained groups, the
 *       sensitivities P, G from {@link ImplicitNetwork#outputSensitivities}: {@link EmpiricalImplicitNtk}.</li>
 * </ul>
 * Cost: a few N×N Grams of N×m (N×n_l) matrices, N²·m multiply-adds each, and N×m float buffers for the call.
 */
public final class EmpiricalKernel {
    private EmpiricalKernel() {}

    /** K (N×N, row-major) of {@code net} at its last forward pass, which was on the N rows of {@code x}. */
    public static double[] of(Kernels kernels, Network net, FloatMatrix x) {
        if (net.outputDim() != 1) {
            throw new IllegalArgumentException(
                    "the empirical NTK here is for one output; the network has " + net.outputDim());
        }
        return switch (net) {
            case TwoLayerNetwork t -> twoLayer(kernels, t, x);
            case DeepNetwork d -> EmpiricalNtk.compute(kernels, d);
            case ImplicitNetwork i -> EmpiricalImplicitNtk.compute(kernels, i, x);
            default -> throw new IllegalArgumentException("no empirical NTK for the " + net.kind() + " network");
        };
    }

    private static double[] twoLayer(Kernels kernels, TwoLayerNetwork net, FloatMatrix x) {
        FloatMatrix mask = net.activationMask();
        int n = x.rows(), m = net.config().width();
        if (mask.rows() != n) {
            throw new IllegalArgumentException("the last forward pass had " + mask.rows() + " rows, x has " + n);
        }
        FloatMatrix a = net.outputWeights();
        double[] k;
        try (FloatMatrix weighted = FloatMatrix.allocate(n, m)) {
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < m; r++) {
                    weighted.set(i, r, mask.get(i, r) * Math.abs(a.get(r, 0))); // S diag(|a|)
                }
            }
            k = FeatureGram.rows(weighted);
        }
        double[] inner = FeatureGram.rows(x);
        for (int i = 0; i < k.length; i++) {
            k[i] *= inner[i] / m;
        }
        if (net.config().trainOutputLayer()) {
            try (FloatMatrix h = FloatMatrix.allocate(n, m)) {
                kernels.gemm(Op.N, Op.T, 1f, x, net.weights(), 0f, h); // X Wᵀ
                kernels.hadamard(h, mask, h); // relu(X Wᵀ) (S is 0 where XWᵀ < 0)
                double[] hh = FeatureGram.rows(h);
                for (int i = 0; i < k.length; i++) {
                    k[i] += hh[i] / m;
                }
            }
        }
        return k;
    }
}
