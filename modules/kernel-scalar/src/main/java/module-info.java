/** The scalar reference kernels: plain loops, the oracle every other provider is tested against. */
module widenet.kernel.scalar {
    requires widenet.kernel;

    provides widenet.kernel.KernelProvider with
            widenet.kernel.scalar.ScalarKernelProvider;
}
