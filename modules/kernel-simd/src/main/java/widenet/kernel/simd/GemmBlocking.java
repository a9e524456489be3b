package widenet.kernel.simd;

/**
 * The GEMM's register and cache blocking (BLIS/Goto) of this process, from the kernel configuration
 * ({@link KernelConfigTable} says why each size), as {@code static final} constants for C2.
 *
 * <p>Loop nest per thread: {@code jc} over NC columns → {@code pc} over KC of the K dimension (pack a KC×NC block of
 * op(B)) → {@code ic} over MC rows (pack an MC×KC block of op(A)) → {@code jr} over NR-column micro-panels of B →
 * {@code ir} over MR-row micro-panels of A → the MR×NR microkernel, a rank-KC update held in registers.
 */
final class GemmBlocking {
    static final int MR = SimdConfiguration.config().mr();
    static final int NR = SimdConfiguration.config().nr();
    static final int KC = SimdConfiguration.config().kc();
    static final int MC = SimdConfiguration.config().mc();
    static final int NC = SimdConfiguration.config().nc();
    /** The generated microkernel for this width and tile. */
    static final Microkernel KERNEL =
            GemmMicrokernels.find(SimdConfiguration.config().bits(), MR, NR);

    private GemmBlocking() {}
}
