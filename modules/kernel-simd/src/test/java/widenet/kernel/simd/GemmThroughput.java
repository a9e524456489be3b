package widenet.kernel.simd;

import java.util.Random;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * A throwaway timing harness for tuning, not a test: prints GEMM GFLOP/s (best of several runs) for the shapes the
 * performance targets name. Run with {@code bin/simd-gemm-throughput [threads...]}. Timings on a shared machine are
 * noisy: compare ratios from one run.
 */
public final class GemmThroughput {
    private GemmThroughput() {
    }

    public static void main(String[] args) {
        int[] threadCounts = args.length == 0 ? new int[] {1, 2} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Object[][] shapes = {
            {"512^3 NN", Op.N, Op.N, 512, 512, 512},
            {"1024^3 NN", Op.N, Op.N, 1024, 1024, 1024},
            {"NT 1000x4000x1000", Op.N, Op.T, 1000, 4000, 1000},
            {"TN 4000x1000x1000", Op.T, Op.N, 4000, 1000, 1000},
            {"narrow NN 4096x256x64", Op.N, Op.N, 4096, 256, 64},
            {"narrow NT 4096x256x64", Op.N, Op.T, 4096, 256, 64},
            {"narrow TN 4096x256x64", Op.T, Op.N, 4096, 256, 64},
        };
        for (int threads : threadCounts) {
            try (Kernels k = KernelProviders.open("simd", threads)) {
                System.out.println(k.description());
                for (Object[] s : shapes) {
                    run(k, (String) s[0], (Op) s[1], (Op) s[2], (int) s[3], (int) s[4], (int) s[5]);
                }
            }
        }
    }

    private static void run(Kernels k, String name, Op opA, Op opB, int m, int n, int kk) {
        Random rnd = new Random(1);
        try (FloatMatrix a = opA == Op.N ? FloatMatrix.allocate(m, kk) : FloatMatrix.allocate(kk, m);
             FloatMatrix b = opB == Op.N ? FloatMatrix.allocate(kk, n) : FloatMatrix.allocate(n, kk);
             FloatMatrix c = FloatMatrix.allocate(m, n)) {
            fill(a, rnd);
            fill(b, rnd);
            double flops = 2.0 * m * n * kk;
            int reps = (int) Math.max(3, Math.min(200, 4e9 / flops));
            for (int i = 0; i < reps; i++) {
                k.gemm(opA, opB, 1f, a, b, 0f, c, Epilogue.NONE);
            }
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 5; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    k.gemm(opA, opB, 1f, a, b, 0f, c, Epilogue.NONE);
                }
                best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
            }
            System.out.printf("  %-24s %6.1f GFLOP/s%n", name, flops / best);
        }
    }

    private static void fill(FloatMatrix m, Random rnd) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, rnd.nextFloat() - 0.5f);
            }
        }
    }
}
