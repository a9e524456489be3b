package widenet.theory.infinite;

import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The infinite-width neural tangent kernel Θ of one of widenet's networks, in double precision, in the units of
 * gradient descent on the summed loss ½Σᵢ(f(xᵢ) − yᵢ)²: the linearised predictions move as
 * u(k+1) − u(k) = −ηΘ(u(k) − y) on the training set and u_test(k+1) − u_test(k) = −ηΘ(X_test, X)(u(k) − y) off it
 * (with the mean loss the step is η/n). For parameterisations whose kernel grows with the width (the standard one)
 * Θ is evaluated at the network's own widths, so that K(0)/Θ → 1 as the widths grow in proportion; see
 * {@link #normalisation()}.
 */
public interface InfiniteWidthKernel {
    /** Θ(X₁, X₂): rows(X₁)×rows(X₂), row-major; {@code x2} null for Θ(X₁, X₁) (symmetric, half the work). */
    double[] ntk(FloatMatrix x1, FloatMatrix x2, int threads);

    /** The NNGP Σ(X₁, X₂) of the output at initialisation (the covariance of f(x) over the draw), same layout. */
    double[] nngp(FloatMatrix x1, FloatMatrix x2, int threads);

    /** One sentence on how the kernel is normalised with the width(s). */
    String normalisation();

    /**
     * The kernel of {@code net}'s settings (its weights are not read): {@link DeepKernel}, {@link ImplicitKernel} (whose
     * {@link #ntk} throws {@link UnsupportedOperationException} for the ReLU feature map) or {@link TwoLayerKernel}.
     */
    static InfiniteWidthKernel of(Network net) {
        return switch (net) {
            case DeepNetwork deep -> new DeepKernel(deep.config());
            case ImplicitNetwork imp -> new ImplicitKernel(imp.config());
            case TwoLayerNetwork two -> new TwoLayerKernel(two.config());
            default ->
                throw new IllegalArgumentException("no infinite-width kernel for the " + net.kind() + " network");
        };
    }
}
