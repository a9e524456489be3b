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
     * Rows of the register tile. 4 rows × 2 vectors = 8 accumulators, enough independent FMA chains to cover the FMA
     * latency on two pipes (4 cycles × 2), with 2 B vectors and the A broadcasts in the remaining registers. A 6×16
     * tile (12 accumulators, the classic AVX2 choice) was measured slower here: C2 schedules the A broadcasts early,
     * needs a 17th register and spills an accumulator inside the loop, which puts a store-load round trip on its FMA
     * chain.
     */
    static final int MR = 4;
    /** Columns of the register tile: two 8-lane vectors. */
    static final int NR = 16;
    /**
     * Depth of one rank-k update. The B micro-panel (KC×NR floats = 16 KiB) stays in the 32 KiB L1d while the ir loop
     * streams A micro-panels past it; the A micro-panel (MR×KC = 4 KiB) takes part of the rest. Long enough that the
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
