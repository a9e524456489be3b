package widenet.kernel.scalar;

import widenet.kernel.KernelProvider;
import widenet.kernel.Kernels;

/** Registers {@link ScalarKernels} under the name {@code scalar}. */
public final class ScalarKernelProvider implements KernelProvider {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    /** The reference is single-threaded whatever is asked: it is the oracle and the baseline, not a competitor. */
    @Override
    public Kernels create(int threads) {
        return new ScalarKernels();
    }
}
