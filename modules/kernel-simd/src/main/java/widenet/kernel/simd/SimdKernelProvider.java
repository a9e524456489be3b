package widenet.kernel.simd;

import widenet.kernel.KernelProvider;
import widenet.kernel.Kernels;

/**
 * Registers {@link SimdKernels} under the name {@code simd}. Touches no Vector API class until {@link #create}, so
 * that {@link #isAvailable()} can answer even when {@code jdk.incubator.vector} is missing (class-path use without
 * {@code --add-modules}).
 */
public final class SimdKernelProvider implements KernelProvider {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    @Override
    public String unavailableReason() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return "the Vector API module " + VECTOR_MODULE + " is not loaded (run java with --add-modules "
                    + VECTOR_MODULE + ")";
        }
        String problem = VectorShape.configurationProblem();
        if (!problem.isEmpty()) {
            return problem;
        }
        return "";
    }

    @Override
    public Kernels create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        String reason = unavailableReason();
        if (!reason.isEmpty()) {
            throw new IllegalStateException("simd kernels are not available: " + reason);
        }
        return new SimdKernels(threads);
    }

    /** Kept in its own class so that loading the provider does not load the Vector API. */
    private static final class VectorShape {
        static String configurationProblem() {
            return SimdConfiguration.problem();
        }
    }
}
