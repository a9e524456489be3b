package widenet.theory;

import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The infinite-width kernel of a network's model, on the rows of x, where widenet has one for it: the kernel that
 * K(0) = J(0)J(0)ᵀ tends to as the width grows, at the model's initialisation.
 * <ul>
 *   <li>two-layer: H∞ (training W), plus κ²G∞ when a is trained ({@link InfiniteWidthGram});</li>
 *   <li>implicit, Gao et al.'s network only (φ = relu(Wx)/√m, the skip term, u and v Rademacher ±1, all four
 *       trained): 2G∞ + 2H∞ + γ²K⁰⊙G∞ to leading order in γ ({@link ImplicitInfiniteWidth}, our derivation);</li>
 *   <li>deep: none yet (null).</li>
 * </ul>
 */
public record InfiniteKernel(double[] values, int size, String name) {

    /** The kernel of {@code net}'s model on the rows of {@code x}, or null when there is none. */
    public static InfiniteKernel of(Kernels kernels, Network net, FloatMatrix x) {
        int n = x.rows();
        if (net instanceof TwoLayerNetwork t) {
            double[] h = InfiniteWidthGram.ntk(kernels, x).raw();
            if (!t.config().trainOutputLayer()) {
                return new InfiniteKernel(h, n, "H_inf (Du et al. 2019, training W)");
            }
            double[] g = InfiniteWidthGram.arcCosine(kernels, x).raw();
            double k2 = t.config().kappa() * t.config().kappa();
            double[] out = new double[h.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = h[i] + k2 * g[i];
            }
            return new InfiniteKernel(out, n, "H_inf + kappa^2 G_inf (training W and a)");
        }
        if (net instanceof ImplicitNetwork i && isPapers(i.config())) {
            return new InfiniteKernel(ImplicitInfiniteWidth.ntk(kernels, x, i.config().gamma()).raw(), n,
                    "2 G_inf + 2 H_inf + gamma^2 K0 o G_inf (Gao et al.'s network, leading order in gamma; our derivation)");
        }
        return null;
    }

    /** Whether the implicit network is the one {@link ImplicitInfiniteWidth} describes. */
    static boolean isPapers(ImplicitNetwork.Config c) {
        return c.phiRelu() && c.phiScale() == ImplicitNetwork.FeatureScale.SQRT_M && c.outputSkip()
                && c.outputInit() == ImplicitNetwork.OutputInit.RADEMACHER && c.outputInitStd() == 1.0 && c.frozen().isEmpty();
    }
}
