package widenet.theory.infinite;

import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The two-layer network's infinite-width kernel (Du et al. 2019) for any pair of input sets, cos θ = xᵀx′/(‖x‖‖x′‖):
 * <pre>
 *   H∞(x, x′) = xᵀx′(π − θ)/(2π)                                   (training W; independent of κ)
 *   G∞(x, x′) = ‖x‖‖x′‖(sin θ + (π − θ) cos θ)/(2π)                (the degree-1 arc-cosine kernel)
 *   Θ = H∞ (+ κ²G∞ when a is trained),   NNGP = κ²G∞
 * </pre>
 * The same formulas as {@code InfiniteWidthGram}, here with the inner products in double and for a test–train block.
 * Width-free: f = (1/√m)Σ a_r relu(w_rᵀx) is in the NTK parameterisation.
 */
public final class TwoLayerKernel implements InfiniteWidthKernel {
    private final double kappa;
    private final boolean trainOutputLayer;

    public TwoLayerKernel(double kappa, boolean trainOutputLayer) {
        this.kappa = kappa;
        this.trainOutputLayer = trainOutputLayer;
    }

    public TwoLayerKernel(TwoLayerNetwork.Config config) {
        this(config.kappa(), config.trainOutputLayer());
    }

    @Override
    public String normalisation() {
        return "NTK parameterisation (1/√m output factor): Θ is the finite infinite-width limit";
    }

    @Override
    public double[] ntk(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, true);
    }

    @Override
    public double[] nngp(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, false);
    }

    private double[] compute(FloatMatrix x1, FloatMatrix x2, int threads, boolean ntk) {
        PairGrid grid = new PairGrid(x1, x2);
        double[] out = grid.inner; // each entry is read before it is written (PairGrid.fill)
        double k2 = kappa * kappa;
        grid.fill(
                threads,
                0,
                (i, j, gij, scratch, o) -> {
                    double r = Math.sqrt(grid.sq1[i] * grid.sq2[j]);
                    double cos = r == 0 ? 0 : Math.max(-1, Math.min(1, gij / r));
                    double theta = Math.acos(cos);
                    double g = r * (Math.sin(theta) + (Math.PI - theta) * cos) / (2 * Math.PI);
                    double h = gij * (Math.PI - theta) / (2 * Math.PI);
                    o[0] = ntk ? h + (trainOutputLayer ? k2 * g : 0) : k2 * g;
                },
                out);
        return out;
    }
}
