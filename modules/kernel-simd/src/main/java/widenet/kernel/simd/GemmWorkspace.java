package widenet.kernel.simd;

import static widenet.kernel.simd.GemmBlocking.KC;
import static widenet.kernel.simd.GemmBlocking.MC;
import static widenet.kernel.simd.GemmBlocking.MR;
import static widenet.kernel.simd.GemmBlocking.NC;
import static widenet.kernel.simd.GemmBlocking.NR;

/**
 * One thread's packing buffers and the Goto loop nest over its block of C. Allocated once per worker; heap arrays,
 * which the JIT reads with hoisted bounds checks.
 */
final class GemmWorkspace {
    private static final Microkernel K = GemmBlocking.KERNEL;
    private final float[] packedA = new float[MC * KC];
    /** This thread's own packed op(B) block, for the private-packing split; made on first use. */
    private float[] packedB;

    private final float[] tile = new float[MR * NR];

    /**
     * C[m0, m1) × [n0, n1) of the task's product, packing both operands itself: the BLIS loop nest (see
     * {@link GemmBlocking}).
     */
    void compute(GemmTask t, int m0, int m1, int n0, int n1) {
        if (packedB == null) {
            packedB = new float[KC * NC];
        }
        int k = t.k;
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            // do-while: K = 0 still makes one pass that stores α·0 + β·C and the epilogue.
            int pc = 0;
            do {
                int kc = Math.min(KC, k - pc);
                Packing.packB(t.transB, t.b, t.ldb, pc, kc, jc, nc, packedB);
                multiplyBlock(t, packedB, jc, nc, pc, kc, m0, m1);
                pc += kc;
            } while (pc < k);
        }
    }

    /**
     * Rows [m0, m1) of C for share {@code worker} of {@code workers}, with the other threads: each KC×NC block of op(B)
     * is packed once into the task's shared buffer, every thread packing its share of the NR-column micro-panels;
     * then every thread multiplies its rows by the whole block. Two barriers per block: after packing (the block is
     * complete) and after multiplying (nobody still reads it when it is overwritten). Packing B is then done once
     * in parallel instead of once per thread, and every thread's A block stays its own.
     */
    void computeShared(GemmTask t, int worker, int workers, int m0, int m1) {
        float[] shared = t.sharedB;
        SpinBarrier barrier = t.barrier;
        int n = t.n;
        int k = t.k;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + NR - 1) / NR;
            int q0 = GemmTask.share(panels, worker, workers);
            int q1 = GemmTask.share(panels, worker + 1, workers);
            int pc = 0;
            do {
                int kc = Math.min(KC, k - pc);
                if (q0 < q1) {
                    int c0 = q0 * NR;
                    Packing.packB(t.transB, t.b, t.ldb, pc, kc, jc + c0, Math.min(nc, q1 * NR) - c0, shared, c0 * kc);
                }
                barrier.await();
                if (m0 < m1) {
                    multiplyBlock(t, shared, jc, nc, pc, kc, m0, m1);
                }
                pc += kc;
                if (pc < k || jc + NC < n) {
                    barrier.await();
                }
            } while (pc < k);
        }
    }

    /** Rows [m0, m1) × the packed op(B) block's nc columns at jc, k [pc, pc + kc): the ic → jr → ir loops. */
    private void multiplyBlock(GemmTask t, float[] packedB, int jc, int nc, int pc, int kc, int m0, int m1) {
        GemmTileStore store = t.store;
        boolean first = pc == 0;
        boolean last = pc + kc >= t.k;
        for (int ic = m0; ic < m1; ic += MC) {
            int mc = Math.min(MC, m1 - ic);
            Packing.packA(t.transA, t.a, t.lda, ic, mc, pc, kc, packedA);
            float alpha = store.alpha();
            float betaOrOne = first ? store.beta() : 1f;
            boolean writeOnly = first && store.beta() == 0f;
            long ldc = store.rowBytes();
            boolean epilogue = last && store.hasActivation();
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                int bOff = jr * kc; // panel jr/NR starts at (jr/NR)·NR·kc
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    if (mr == MR && nr == NR) {
                        // A full tile goes straight from the registers into C; the epilogue (after the last block)
                        // then runs over the tile while it is in L1, with VectorActivation's arithmetic, the same as
                        // for edge tiles.
                        long cOff = store.offset(ic + ir, jc + jr);
                        if (writeOnly) {
                            K.multiplyWrite(kc, packedA, ir * kc, packedB, bOff, store.c(), cOff, ldc, alpha);
                        } else {
                            K.multiplyUpdate(
                                    kc, packedA, ir * kc, packedB, bOff, store.c(), cOff, ldc, alpha, betaOrOne);
                        }
                        if (epilogue) {
                            store.activateTile(ic + ir, jc + jr);
                        }
                    } else {
                        K.multiply(kc, packedA, ir * kc, packedB, bOff, tile);
                        store.store(tile, ic + ir, jc + jr, mr, nr, first, last);
                    }
                }
            }
        }
    }
}
