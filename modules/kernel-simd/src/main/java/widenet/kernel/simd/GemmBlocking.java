package widenet.kernel.simd;

/**
 * The GEMM's register and cache blocking (BLIS/Goto). Sized for AVX2 with 16 ymm registers and an AMD Zen core:
 * 32 KiB L1d, 512 KiB L2 per core, 8 MiB (Zen 1 CCX) to 32 MiB (Zen 3 CCD) L3 shared.
 *
 * <p>Loop nest per thread: {@code jc} over NC columns → {@code pc} over KC of the K dimension (pack a KC×NC block of
 * op(B)) → {@code ic} over MC rows (pack an MC×KC block of op(A)) → {@code jr} over NR-column micro-panels of B →
 * {@code ir} over MR-row micro-panels of A → the MR×NR microkernel, a rank-KC update held in registers.
 */
final class GemmBlocking {
    /**
     * Rows of the register tile. 6 rows × 2 vectors = 12 accumulators, plus 2 vectors of B and 1 broadcast of A: 15 of
     * the 16 ymm registers. Each k step issues 12 FMAs for 8 loads (2 of B, 6 broadcasts of A), enough to keep both FMA
     * pipes busy with the 4-cycle FMA latency hidden by 12 independent chains.
     */
    static final int MR = 6;
    /** Columns of the register tile: two 8-lane vectors. */
    static final int NR = 16;
    /**
     * Depth of one rank-k update. The B micro-panel (KC×NR floats = 16 KiB) stays in the 32 KiB L1d while the ir loop
     * streams A micro-panels past it; the A micro-panel (MR×KC = 6 KiB) takes most of the rest. Long enough that the
     * accumulators' load and store at either end of the microkernel is amortized over 256 k steps.
     */
    static final int KC = 256;
    /**
     * Rows of the packed A block (a multiple of MR): MC×KC floats = 144 KiB, which stays in the 512 KiB L2 with room
     * for the B micro-panels and C lines streaming through.
     */
    static final int MC = 144;
    /**
     * Columns of the packed B block (a multiple of NR): KC×NC floats ≈ 4 MiB, which lives in L3 and is reused by every
     * MC block of A. Large NC means op(A) is packed fewer times.
     */
    static final int NC = 4080;

    private GemmBlocking() {
    }
}
