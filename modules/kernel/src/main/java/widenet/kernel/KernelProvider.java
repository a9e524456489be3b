package widenet.kernel;

/**
 * A service that makes {@link Kernels}. Registered with {@code provides widenet.kernel.KernelProvider with …}
 * (and a {@code META-INF/services} file for class-path use); found by {@link KernelProviders}.
 */
public interface KernelProvider {

    /** Short name used on the command line: {@code simd}, {@code scalar}. */
    String name();

    /** Whether this provider can run in this JVM (e.g. the Vector API module is present). */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, for error messages. */
    default String unavailableReason() {
        return "";
    }

    /** Kernels using {@code threads} worker threads (≥ 1). */
    Kernels create(int threads);
}
