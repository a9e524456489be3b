package widenet.kernel.simd;

import static widenet.kernel.simd.GemmBlocking.MR;
import static widenet.kernel.simd.GemmBlocking.NR;
import static widenet.kernel.simd.Lanes.F32;

import java.lang.foreign.MemorySegment;

/**
 * Copies blocks of op(A) and op(B) into the contiguous micro-panel order the {@link GemmMicrokernel} streams through,
 * whatever the stored layout: this is where the four transpose combinations become the same computation. Partial
 * micro-panels at the matrix edges are padded with zeros, so the microkernel never needs an edge case; the padding
 * only feeds tile rows and columns that are never stored.
 */
final class Packing {
    static {
        if (MR % 4 != 0 || NR % 4 != 0) {
            throw new AssertionError(
                    "packing reads four rows (A) or columns (B) side by side: MR and NR must be multiples of 4");
        }
    }

    private Packing() {}

    /**
     * k steps packed per pass over the panels of a transposed A: 8 stored rows' segments stay in L1 while each panel
     * gets 8 consecutive k steps (256 contiguous bytes at MR 8). Measured with {@code PackingCost} on Zen 4 (TN
     * 4000×1000×1000): 4 steps 2.99 ms, 8 steps 2.52, 16 steps 2.81, 32 steps 3.84.
     */
    private static final int TRANSPOSED_A_STEPS = 8;

    /**
     * Packs rows [row0, row0 + rows) × k [p0, p0 + kc) of op(A) into MR-row micro-panels: panel q starts at
     * {@code q·MR·kc}, and within it k step p holds the MR row values at {@code p·MR}.
     *
     * @param lda the stored matrix's stride: op(A)(i, p) is a[i·lda + p] when {@code transposed} is false, a[p·lda + i]
     *            when it is true
     */
    static void packA(boolean transposed, MemorySegment a, long lda, int row0, int rows, int p0, int kc, float[] dst) {
        if (transposed) {
            packTransposedA(a, lda, row0, rows, p0, kc, dst);
            return;
        }
        for (int i = 0, q = 0; i < rows; i += MR, q++) {
            int mr = Math.min(MR, rows - i);
            int off = q * MR * kc;
            if (mr == MR) {
                // The panel's rows are each contiguous in memory: read four of them side by side, so each k step's
                // four values are written together.
                for (int r = 0; r < MR; r += 4) {
                    long r0 = (row0 + i + r) * lda + p0;
                    long r1 = r0 + lda;
                    long r2 = r1 + lda;
                    long r3 = r2 + lda;
                    for (int p = 0, d = off + r; p < kc; p++, d += MR) {
                        dst[d] = a.getAtIndex(F32, r0 + p);
                        dst[d + 1] = a.getAtIndex(F32, r1 + p);
                        dst[d + 2] = a.getAtIndex(F32, r2 + p);
                        dst[d + 3] = a.getAtIndex(F32, r3 + p);
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    long base = (row0 + i + r) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[off + p * MR + r] = r < mr ? a.getAtIndex(F32, base + p) : 0f;
                    }
                }
            }
        }
    }

    /**
     * op(A) = Aᵀ: each k step's MR row values are MR contiguous floats of the stored row p. The loop runs along the stored rows (four at a time),
     * not down the micro-panels: walking a panel would read one line per stored row at the matrix's stride, which for
     * a power-of-two stride maps every read to the same L1 set.
     */
    private static void packTransposedA(MemorySegment a, long lda, int row0, int rows, int p0, int kc, float[] dst) {
        for (int p = 0; p < kc; p += TRANSPOSED_A_STEPS) {
            int steps = Math.min(TRANSPOSED_A_STEPS, kc - p);
            for (int i = 0, q = 0; i < rows; i += MR, q++) {
                int mr = Math.min(MR, rows - i);
                int d = q * MR * kc + p * MR;
                for (int s = 0; s < steps; s++, d += MR) {
                    long src = (p0 + p + s) * lda + row0 + i;
                    if (mr == MR) {
                        // Scalar copies, four at a time: a 128-bit vector here was boxed by C2 (allocating on every
                        // TN and TT call), and MemorySegment.copy costs more than it moves at a few floats.
                        for (int r = 0; r < MR; r += 4) {
                            dst[d + r] = a.getAtIndex(F32, src + r);
                            dst[d + r + 1] = a.getAtIndex(F32, src + r + 1);
                            dst[d + r + 2] = a.getAtIndex(F32, src + r + 2);
                            dst[d + r + 3] = a.getAtIndex(F32, src + r + 3);
                        }
                    } else {
                        for (int r = 0; r < MR; r++) {
                            dst[d + r] = r < mr ? a.getAtIndex(F32, src + r) : 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs k [p0, p0 + kc) × columns [col0, col0 + cols) of op(B) into NR-column micro-panels: panel q starts at
     * {@code q·NR·kc}, and within it k step p holds the NR column values at {@code p·NR}.
     *
     * @param ldb the stored matrix's stride: op(B)(p, j) is b[p·ldb + j] when {@code transposed} is false, b[j·ldb + p]
     *            when it is true
     */
    static void packB(boolean transposed, MemorySegment b, long ldb, int p0, int kc, int col0, int cols, float[] dst) {
        packB(transposed, b, ldb, p0, kc, col0, cols, dst, 0);
    }

    /** {@link #packB} into {@code dst} from {@code dstOff} on: a share of a block that several threads pack together. */
    static void packB(
            boolean transposed,
            MemorySegment b,
            long ldb,
            int p0,
            int kc,
            int col0,
            int cols,
            float[] dst,
            int dstOff) {
        for (int j = 0, q = 0; j < cols; j += NR, q++) {
            int nr = Math.min(NR, cols - j);
            int off = dstOff + q * NR * kc;
            if (!transposed) {
                // Each k step's NR column values are contiguous in memory: one bulk copy per k step (an intrinsic
                // that allocates nothing; vector loads here were boxed by C2 on some shapes), zero padding beyond
                // a partial panel at the right edge.
                for (int p = 0; p < kc; p++) {
                    long src = ((p0 + p) * ldb + col0 + j) * Float.BYTES;
                    int d = off + p * NR;
                    MemorySegment.copy(b, F32, src, dst, d, nr);
                    if (nr < NR) {
                        java.util.Arrays.fill(dst, d + nr, d + NR, 0f);
                    }
                }
            } else if (nr == NR) {
                // Column c of the panel is contiguous in memory. Eight columns side by side when NR allows (eight
                // sequential read streams, each k step's eight values stored as one 32-byte run), else four.
                int c = 0;
                if (NR % 8 == 0) {
                    for (; c < NR; c += 8) {
                        long c0 = (col0 + j + c) * ldb + p0;
                        long c1 = c0 + ldb;
                        long c2 = c1 + ldb;
                        long c3 = c2 + ldb;
                        long c4 = c3 + ldb;
                        long c5 = c4 + ldb;
                        long c6 = c5 + ldb;
                        long c7 = c6 + ldb;
                        for (int p = 0, d = off + c; p < kc; p++, d += NR) {
                            dst[d] = b.getAtIndex(F32, c0 + p);
                            dst[d + 1] = b.getAtIndex(F32, c1 + p);
                            dst[d + 2] = b.getAtIndex(F32, c2 + p);
                            dst[d + 3] = b.getAtIndex(F32, c3 + p);
                            dst[d + 4] = b.getAtIndex(F32, c4 + p);
                            dst[d + 5] = b.getAtIndex(F32, c5 + p);
                            dst[d + 6] = b.getAtIndex(F32, c6 + p);
                            dst[d + 7] = b.getAtIndex(F32, c7 + p);
                        }
                    }
                }
                for (; c < NR; c += 4) {
                    long c0 = (col0 + j + c) * ldb + p0;
                    long c1 = c0 + ldb;
                    long c2 = c1 + ldb;
                    long c3 = c2 + ldb;
                    for (int p = 0, d = off + c; p < kc; p++, d += NR) {
                        dst[d] = b.getAtIndex(F32, c0 + p);
                        dst[d + 1] = b.getAtIndex(F32, c1 + p);
                        dst[d + 2] = b.getAtIndex(F32, c2 + p);
                        dst[d + 3] = b.getAtIndex(F32, c3 + p);
                    }
                }
            } else {
                // A partial panel at the right edge: column by column, zero padding beyond it.
                for (int c = 0; c < nr; c++) {
                    long base = (col0 + j + c) * ldb + p0;
                    int d = off + c;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * NR] = b.getAtIndex(F32, base + p);
                    }
                }
                if (nr < NR) {
                    for (int p = 0; p < kc; p++) {
                        for (int c = nr; c < NR; c++) {
                            dst[off + p * NR + c] = 0f;
                        }
                    }
                }
            }
        }
    }
}
