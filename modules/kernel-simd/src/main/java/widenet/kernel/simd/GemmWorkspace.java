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
    private final float[] packedB = new float[KC * NC];
    private final float[] tile = new float[MR * NR];

    /** C[m0, m1) × [n0, n1) of the task's product: the BLIS loop nest (see {@link GemmBlocking}). */
    void compute(GemmTask t, int m0, int m1, int n0, int n1) {
        int k = t.k;
        GemmTileStore store = t.store;
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            // do-while: K = 0 still makes one pass that stores α·0 + β·C and the epilogue.
            int pc = 0;
            do {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                boolean last = pc + kc >= k;
                Packing.packB(t.transB, t.b, t.ldb, pc, kc, jc, nc, packedB);
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
                                // A full tile goes straight from the registers into C; the epilogue (after the last
                                // block) then runs over the tile while it is in L1, with VectorActivation's
                                // arithmetic, the same as for edge tiles.
                                long cOff = store.offset(ic + ir, jc + jr);
                                if (writeOnly) {
                                    K.multiplyWrite(kc, packedA, ir * kc, packedB, bOff, store.c(), cOff,
                                            ldc, alpha);
                                } else {
                                    K.multiplyUpdate(kc, packedA, ir * kc, packedB, bOff, store.c(), cOff,
                                            ldc, alpha, betaOrOne);
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
                pc += kc;
            } while (pc < k);
        }
    }
}
