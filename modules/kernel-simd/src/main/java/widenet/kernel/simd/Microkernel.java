package widenet.kernel.simd;

import java.lang.foreign.MemorySegment;

/**
 * One register-blocked MR×NR GEMM microkernel at one vector width: the product of a packed MR×kc A micro-panel and a
 * packed kc×NR B micro-panel, accumulated in MR·NR/lanes vector registers, then written to a tile buffer or straight
 * into C (write-only or update).
 *
 * <p>The implementations are generated ({@link GemmMicrokernels}, from the template in the test sources'
 * {@code MicrokernelGenerator}): C2 keeps the accumulators in registers only when each variant is its own method with
 * its accumulators as locals and one straight-line tail, so the k loop is repeated per variant and per tail — by the
 * generator, not by hand.
 *
 * <p>Summation order: each tile element is Σ_p a_ip·b_pj in increasing p, one FMA per step, whatever the variant,
 * the width or the tile's place in C; so results do not depend on the variant, the width or the thread partition.
 */
abstract class Microkernel {
    /** Vector width in bits, rows MR and columns NR of the register tile. */
    final int bits;

    final int mr;
    final int nr;

    Microkernel(int bits, int mr, int nr) {
        this.bits = bits;
        this.mr = mr;
        this.nr = nr;
    }

    /**
     * tile[r·NR + j] = Σ_{p<kc} a[aOff + p·MR + r] · b[bOff + p·NR + j] for r &lt; MR, j &lt; NR.
     *
     * @param a packed A: for each k step, MR consecutive row values
     * @param b packed B: for each k step, NR consecutive column values
     */
    abstract void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile);

    /**
     * The product stored straight from the registers into a full MR×NR tile of C without reading it: C = α·AB (the
     * first KC block when β = 0). {@code c} is C's memory, the tile's top-left element at byte offset {@code cOff},
     * rows {@code ldc} bytes apart.
     */
    abstract void multiplyWrite(
            int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff, long ldc, float alpha);

    /**
     * C = α·AB + β′·C into a full tile, β′ = β for the first KC block and 1 after it: exactly the arithmetic of
     * {@link GemmTileStore}, so tiles stored either way get the same bits.
     */
    abstract void multiplyUpdate(
            int kc,
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            MemorySegment c,
            long cOff,
            long ldc,
            float alpha,
            float betaOrOne);

    @Override
    public String toString() {
        return mr + "×" + nr + " (" + bits + "-bit, " + (mr * nr / (bits / 32)) + " accumulators)";
    }
}
