package widenet.theory;

import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.model.DeepNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The empirical neural tangent kernel K = J Jᵀ (n×n) of a {@link DeepNetwork} with one output, at the state of its
 * last forward pass, over the trained parameters: J's row i is ∂f(xᵢ)/∂θ.
 *
 * <p>It is formed without J (n·P numbers) from the per-layer identity
 * <pre>
 *   K = Σ_l s_l² (F_{l−1} F_{l−1}ᵀ) ⊙ (Δ_l Δ_lᵀ)  [+ Δ_l Δ_lᵀ for b_l]
 * </pre>
 * because ∂f(xᵢ)/∂W_l = s_l f_{l−1,i} Δ_{l,i}ᵀ is an outer product, whose inner products factor. Δ_l (n×n_l) holds
 * the per-sample backpropagated vectors ∂f(xᵢ)/∂Z_l: Δ_L = 1, Δ_{l−1} = s_l (Δ_l W_lᵀ) ⊙ σ′(Z_{l−1}), the backward
 * pass of the network with the residual replaced by ones (float, through the kernels; the Grams in double). Memory:
 * two n×n doubles and n×max n_l floats, whatever P is.
 */
public final class EmpiricalNtk {
    private EmpiricalNtk() {}

    /** K (n×n, row-major) for the n rows of the network's last forward pass. */
    public static double[] compute(Kernels kernels, DeepNetwork net) {
        if (net.outputDim() != 1) {
            throw new IllegalArgumentException(
                    "the empirical NTK here is for one output; the network has " + net.outputDim());
        }
        int depth = net.depth();
        int n = net.features(0).rows();
        double[] k = new double[n * n];
        FloatMatrix delta = FloatMatrix.allocate(n, 1);
        try {
            delta.fill(1f); // Δ_L = ∂f/∂Z_L = 1
            for (int l = depth; l >= 1; l--) {
                if (net.isTrainable(l)) {
                    double[] dd = FeatureGram.rows(delta);
                    double[] ff = FeatureGram.rows(net.features(l - 1));
                    double s2 = (double) net.layerScale(l) * net.layerScale(l);
                    boolean bias = net.bias(l) != null;
                    for (int i = 0; i < k.length; i++) {
                        k[i] += s2 * ff[i] * dd[i] + (bias ? dd[i] : 0);
                    }
                }
                if (l == 1 || !anyTrainableBelow(net, l)) {
                    break;
                }
                FloatMatrix next = FloatMatrix.allocate(n, net.width(l - 1));
                kernels.gemm(Op.N, Op.T, net.layerScale(l), delta, net.weight(l), 0f, next);
                kernels.hadamard(next, net.activationDerivative(l - 1), next); // Δ_{l−1}
                delta.close();
                delta = next;
            }
        } finally {
            delta.close();
        }
        return k;
    }

    private static boolean anyTrainableBelow(DeepNetwork net, int l) {
        for (int j = 1; j < l; j++) {
            if (net.isTrainable(j)) {
                return true;
            }
        }
        return false;
    }
}
