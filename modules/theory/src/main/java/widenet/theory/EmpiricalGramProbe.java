package widenet.theory;

import java.util.List;
import widenet.kernel.Kernels;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.train.Probe;

/**
 * {@code lambda_min_H}: λ_min of the empirical Gram matrix H(k) = (1/m)(X Xᵀ) ⊙ (S Sᵀ) from the two-layer network's
 * activation mask at step k (Du et al.: it stays above λ₀/2 while the weights stay within R of their start). One
 * n²m GEMM and an n×n eigenvalue solve (n = 1000: about half a second), so it runs every K steps.
 */
public final class EmpiricalGramProbe implements Probe, AutoCloseable {
    public static final List<String> NAMES = List.of("lambda_min_H");

    private final EmpiricalNtkGram gram;
    private final long every;
    private double first = Double.NaN;
    private double last = Double.NaN;
    private long nanos;

    /** @param every steps between evaluations (the first and last rows are always evaluated) */
    public EmpiricalGramProbe(Kernels kernels, FloatMatrix x, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("probe cadence must be ≥ 1, got " + every);
        }
        this.gram = new EmpiricalNtkGram(kernels, x);
        this.every = every;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public long every() {
        return every;
    }

    @Override
    public void measure(Network network, long step, double[] out) {
        if (!(network instanceof TwoLayerNetwork net)) {
            throw new IllegalArgumentException(
                    "λ_min(H(k)) is defined for the two-layer network, not " + network.kind());
        }
        long t0 = System.nanoTime();
        double v = gram.minEigenvalue(net.activationMask());
        if (Double.isNaN(first)) {
            first = v;
        }
        last = v;
        out[0] = v;
        nanos += System.nanoTime() - t0;
    }

    /** λ_min(H(0)) (the first evaluation). */
    public double first() {
        return first;
    }
    /** The latest evaluation. */
    public double last() {
        return last;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    @Override
    public void close() {
        gram.close();
    }
}
