package widenet.theory;

import java.util.List;
import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.Network;
import widenet.train.Probe;

/**
 * Column {@code lambda_min_zz}: λ_min(Z Zᵀ) of the implicit network's equilibrium features on the n samples (the
 * Gram matrix that drives the rate in Gao et al. 2022), at step 0, every K steps and at the end.
 */
public final class EquilibriumGramProbe implements Probe, AutoCloseable {
    private final KernelFeatureGram gram;
    private final long every;

    public EquilibriumGramProbe(Kernels kernels, int n, long every) {
        this.gram = new KernelFeatureGram(kernels, n);
        this.every = every;
    }

    @Override
    public List<String> names() {
        return List.of("lambda_min_zz");
    }

    @Override
    public long every() {
        return every;
    }

    @Override
    public void measure(Network network, long step, double[] out) {
        out[0] = gram.minEigenvalue(((ImplicitNetwork) network).equilibrium());
    }

    @Override
    public void close() {
        gram.close();
    }
}
