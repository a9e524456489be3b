package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * Results are bit-identical run to run for a thread count, and across thread counts: the GEMM's K summation order
 * does not depend on how C is cut between threads, reductions use fixed chunks.
 */
class DeterminismTest {
    /**
     * Shapes cut along M (tall), along N (wide), narrow outputs, with K over several KC blocks, with N over more than
     * one NC block and fewer row panels (three) than 4 threads: the rows-shared-b split, with barriers between NC blocks,
     * on 2 and 3 threads, its fall-back column split on 4, so both splits are compared.
     */
    private static final int[][] SHAPES = {
        {301, 257, 300}, {64, 700, 50}, {2000, 40, 30}, {33, 1000, 600}, {5, 3, 2}, {24, 4200, 30}
    };

    @Test
    void gemmIsBitIdenticalRunToRunAndAcrossThreadCounts() {
        Kernels[] kernels = {
            KernelProviders.open("simd", 1),
            KernelProviders.open("simd", 2),
            KernelProviders.open("simd", 3),
            KernelProviders.open("simd", 4)
        };
        try (TestData data = new TestData(42)) {
            for (int[] s : SHAPES) {
                for (Op opA : Op.values()) {
                    for (Op opB : Op.values()) {
                        int m = s[0], n = s[1], k = s[2];
                        FloatMatrix a = opA == Op.N ? data.matrix(m, k, false) : data.matrix(k, m, false);
                        FloatMatrix b = opB == Op.N ? data.matrix(k, n, false) : data.matrix(n, k, false);
                        FloatMatrix c0 = data.matrix(m, n, false);
                        float[] reference = null;
                        float[] referenceMask = null;
                        for (Kernels kern : kernels) {
                            for (int run = 0; run < 2; run++) {
                                FloatMatrix c = data.copy(c0);
                                FloatMatrix mask = data.filled(m, n, false, 0f);
                                kern.gemm(
                                        opA,
                                        opB,
                                        0.7f,
                                        a,
                                        b,
                                        -1.1f,
                                        c,
                                        Epilogue.activation(Activation.smoothLeakyRelu(0.1f, 4f), mask));
                                if (reference == null) {
                                    reference = c.toArray();
                                    referenceMask = mask.toArray();
                                } else {
                                    String what = "gemm " + opA + opB + " " + m + "×" + n + "×" + k + " on "
                                            + kern.description() + " run " + run;
                                    assertBitsEqual(reference, c.toArray(), what);
                                    assertBitsEqual(referenceMask, mask.toArray(), what + " σ′");
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            for (Kernels k : kernels) {
                k.close();
            }
        }
    }

    private static void assertBitsEqual(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                assertEquals(want[i], got[i], what + " at flat index " + i);
            }
        }
    }
}
