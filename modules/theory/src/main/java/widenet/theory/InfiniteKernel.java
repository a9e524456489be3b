package widenet.theory;

import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.Network;
import widenet.tensor.FloatMatrix;
import widenet.theory.infinite.InfiniteWidthKernel;

/**
 * The infinite-width kernel of a network's model, on the rows of x, where widenet has one for it: the kernel that
 * K(0) = J(0)J(0)ᵀ tends to as the width grows, at the model's initialisation, in the units of GD on the summed loss.
 * {@link widenet.theory.infinite.InfiniteWidthKernel} gives it for the two-layer network (H∞, + κ²G∞ with a
 * trained), deep networks (the layer recursion, at the network's own widths in the standard parameterisation) and the
 * implicit network with the linear feature map (the equilibrium fixed point); for Gao et al.'s network (ReLU feature
 * map), where that is not derived, the leading-order-in-γ kernel 2G∞ + 2H∞ + γ²K⁰⊙G∞ of {@link ImplicitInfiniteWidth}
 * (our derivation) when the network is exactly the paper's; otherwise none (null).
 */
public record InfiniteKernel(double[] values, int size, String name) {

    /** The kernel of {@code net}'s model on the rows of {@code x}, or null when there is none. */
    public static InfiniteKernel of(Kernels kernels, Network net, FloatMatrix x) {
        int n = x.rows();
        try {
            InfiniteWidthKernel k = InfiniteWidthKernel.of(net);
            return new InfiniteKernel(
                    k.ntk(x, null, kernels.threads()), n, net.kind() + " infinite-width NTK: " + k.normalisation());
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no kernel for these settings: the ReLU feature map (not derived), or γ ≥ √2 (no finite fixed point)
            if (net instanceof ImplicitNetwork i && isPapers(i.config())) {
                return new InfiniteKernel(
                        ImplicitInfiniteWidth.ntk(kernels, x, i.config().gamma())
                                .raw(),
                        n,
                        "2 G_inf + 2 H_inf + gamma^2 K0 o G_inf (Gao et al.'s network, leading order in gamma; our derivation)");
            }
            return null;
        }
    }
    /** Whether the implicit network is the one {@link ImplicitInfiniteWidth} describes. */
    static boolean isPapers(ImplicitNetwork.Config c) {
        return c.phiRelu()
                && c.phiScale() == ImplicitNetwork.FeatureScale.SQRT_M
                && c.outputSkip()
                && c.outputInit() == ImplicitNetwork.OutputInit.RADEMACHER
                && c.outputInitStd() == 1.0
                && c.frozen().isEmpty();
    }
}
