package widenet.kernel.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Tuning tool: time of the packing calls one thread makes for a GEMM (same sequence as GemmWorkspace), best of many. */
public final class PackingCost {
    public static void main(String[] args) {
        int[][] shapes = {{0, 0, 1024, 1024, 1024}, {0, 1, 1000, 4000, 1000}, {1, 0, 4000, 1000, 1000}};
        try (Arena arena = Arena.ofConfined()) {
            for (int[] s : shapes) {
                boolean ta = s[0] == 1, tb = s[1] == 1;
                int m = s[2], n = s[3], k = s[4];
                MemorySegment a = arena.allocate((long) m * k * 4, 64), b = arena.allocate((long) k * n * 4, 64);
                long lda = ta ? m : k, ldb = tb ? k : n;
                float[] pa = new float[GemmBlocking.MC * GemmBlocking.KC],
                        pb = new float[GemmBlocking.KC * GemmBlocking.NC];
                double bestA = 1e18, bestB = 1e18;
                for (int round = 0; round < 30; round++) {
                    long ta0 = 0, tb0 = 0;
                    for (int jc = 0; jc < n; jc += GemmBlocking.NC) {
                        int nc = Math.min(GemmBlocking.NC, n - jc);
                        for (int pc = 0; pc < k; pc += GemmBlocking.KC) {
                            int kc = Math.min(GemmBlocking.KC, k - pc);
                            long t0 = System.nanoTime();
                            Packing.packB(tb, b, ldb, pc, kc, jc, nc, pb);
                            long t1 = System.nanoTime();
                            tb0 += t1 - t0;
                            for (int ic = 0; ic < m; ic += GemmBlocking.MC) {
                                int mc = Math.min(GemmBlocking.MC, m - ic);
                                long t2 = System.nanoTime();
                                Packing.packA(ta, a, lda, ic, mc, pc, kc, pa);
                                ta0 += System.nanoTime() - t2;
                            }
                        }
                    }
                    bestA = Math.min(bestA, ta0);
                    bestB = Math.min(bestB, tb0);
                }
                System.out.printf(
                        "%s%s %dx%dx%d: packA %.2f ms, packB %.2f ms; GEMM at 100 GFLOP/s %.1f ms%n",
                        ta ? "T" : "N", tb ? "T" : "N", m, n, k, bestA / 1e6, bestB / 1e6, 2.0 * m * n * k / 1e8);
            }
        }
    }
}
