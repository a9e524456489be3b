/**
 * The kernel API: the dense operations a ReLU network's forward and backward passes need, and the lookup of
 * their providers through {@link java.util.ServiceLoader}. Providers: {@code widenet.kernel.scalar} (plain loops,
 * the oracle) and {@code widenet.kernel.simd} (Vector API).
 */
module widenet.kernel {
    requires transitive widenet.tensor;

    exports widenet.kernel;

    uses widenet.kernel.KernelProvider;
}
