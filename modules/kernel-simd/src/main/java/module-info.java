/**
 * The Vector API kernels: a packed, register-blocked GEMM (BLIS/Goto style) with fused activation epilogues,
 * vectorized elementwise operations and reductions, all on a fixed pool of worker threads and allocation-free
 * after warm-up. Nothing is exported: the kernels are reached through {@link widenet.kernel.KernelProvider}.
 */
module widenet.kernel.simd {
    requires widenet.kernel;
    requires jdk.incubator.vector;
    // Only the allocation test uses com.sun.management.ThreadMXBean.
    requires static jdk.management;

    provides widenet.kernel.KernelProvider with
            widenet.kernel.simd.SimdKernelProvider;
}
