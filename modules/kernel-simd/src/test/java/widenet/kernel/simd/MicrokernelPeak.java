package widenet.kernel.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A tuning tool, not a test: the GEMM microkernels' own speed, with no packing and no C traffic beyond the tiles, next
 * to the core's FMA peak measured by independent FMA chains in registers. Run:
 * {@code java --add-modules jdk.incubator.vector -cp ... widenet.kernel.simd.MicrokernelPeak [kc] [mcPanels]}.
 * Short timing windows, best of many: on a shared machine the best window is the one the scheduler left alone.
 */
public final class MicrokernelPeak {
    private MicrokernelPeak() {}

    public static void main(String[] args) {
        int kc = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int panels = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        System.out.printf(
                "FMA peak, 512-bit chains: %.1f GFLOP/s; 256-bit chains: %.1f GFLOP/s%n",
                peak(FloatVector.SPECIES_512), peak(FloatVector.SPECIES_256));
        int[][] variants = {{512, 8, 32}, {512, 4, 32}, {256, 8, 16}, {256, 4, 16}, {512, 12, 32}};
        for (int[] v : variants) {
            if (!GemmMicrokernels.exists(v[0], v[1], v[2])) {
                continue;
            }
            Microkernel k = GemmMicrokernels.find(v[0], v[1], v[2]);
            System.out.printf(
                    "%-32s kc %d, %d A panels per B panel: %.1f GFLOP/s, C tiles cold (ldc 1000): %.1f, write-only cold: %.1f%n",
                    k,
                    kc,
                    panels,
                    kernel(k, kc, panels, false, true),
                    kernel(k, kc, panels, true, true),
                    kernel(k, kc, panels, true, false));
        }
    }

    static double peak(VectorSpecies<Float> s) {
        double best = 0;
        float sink = 0;
        int n = 20_000;
        for (int round = 0; round < 2000; round++) {
            long t0 = System.nanoTime();
            sink += s.length() == 16 ? chains512(n) : chains256(n);
            long t = System.nanoTime() - t0;
            best = Math.max(best, 2.0 * 12 * s.length() * n / t);
        }
        if (sink == 42) {
            System.out.println();
        }
        return best;
    }

    // Twelve independent FMA chains: more than latency × pipes (4 × 2 on Zen 3/4), so only throughput limits.
    private static float chains512(int n) {
        VectorSpecies<Float> s = FloatVector.SPECIES_512;
        FloatVector x = FloatVector.broadcast(s, 1.0000001f), y = FloatVector.broadcast(s, 0.9999999f);
        FloatVector c0 = FloatVector.zero(s), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < n; i++) {
            c0 = x.fma(y, c0);
            c1 = x.fma(y, c1);
            c2 = x.fma(y, c2);
            c3 = x.fma(y, c3);
            c4 = x.fma(y, c4);
            c5 = x.fma(y, c5);
            c6 = x.fma(y, c6);
            c7 = x.fma(y, c7);
            c8 = x.fma(y, c8);
            c9 = x.fma(y, c9);
            c10 = x.fma(y, c10);
            c11 = x.fma(y, c11);
        }
        return c0.add(c1)
                .add(c2)
                .add(c3)
                .add(c4)
                .add(c5)
                .add(c6)
                .add(c7)
                .add(c8)
                .add(c9)
                .add(c10)
                .add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static float chains256(int n) {
        VectorSpecies<Float> s = FloatVector.SPECIES_256;
        FloatVector x = FloatVector.broadcast(s, 1.0000001f), y = FloatVector.broadcast(s, 0.9999999f);
        FloatVector c0 = FloatVector.zero(s), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < n; i++) {
            c0 = x.fma(y, c0);
            c1 = x.fma(y, c1);
            c2 = x.fma(y, c2);
            c3 = x.fma(y, c3);
            c4 = x.fma(y, c4);
            c5 = x.fma(y, c5);
            c6 = x.fma(y, c6);
            c7 = x.fma(y, c7);
            c8 = x.fma(y, c8);
            c9 = x.fma(y, c9);
            c10 = x.fma(y, c10);
            c11 = x.fma(y, c11);
        }
        return c0.add(c1)
                .add(c2)
                .add(c3)
                .add(c4)
                .add(c5)
                .add(c6)
                .add(c7)
                .add(c8)
                .add(c9)
                .add(c10)
                .add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    static double kernel(Microkernel k, int kc, int panels, boolean cold, boolean update) {
        Random r = new Random(1);
        float[] a = new float[panels * k.mr * kc];
        float[] b = new float[k.nr * kc];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat();
        }
        try (Arena arena = Arena.ofConfined()) {
            long ldc = (cold ? 1000L : 4096L) * Float.BYTES;
            int strips = cold ? 1000 / k.nr : 1;
            MemorySegment c = arena.allocate(ldc * panels * k.mr * (cold ? 8 : 1), 64);
            int strip = 0, rowBlock = 0;
            double best = 0;
            for (int round = 0; round < 3000; round++) {
                long t0 = System.nanoTime();
                long base = cold ? (rowBlock * panels * k.mr * ldc + strip * k.nr * 4L) : 0;
                for (int q = 0; q < panels; q++) {
                    if (update) {
                        k.multiplyUpdate(kc, a, q * k.mr * kc, b, 0, c, base + q * k.mr * ldc, ldc, 1f, 1f);
                    } else {
                        k.multiplyWrite(kc, a, q * k.mr * kc, b, 0, c, base + q * k.mr * ldc, ldc, 1f);
                    }
                }
                if (cold && ++strip == strips) {
                    strip = 0;
                    rowBlock = (rowBlock + 1) % 8;
                }
                long t = System.nanoTime() - t0;
                best = Math.max(best, 2.0 * k.mr * k.nr * kc * panels / t);
            }
            return best;
        }
    }
}
