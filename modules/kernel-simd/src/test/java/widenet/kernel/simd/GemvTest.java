package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * gemv against the scalar reference. op(A) = A sums each row in vector lanes (within {@link Tolerances#gemm});
 * op(A) = Aᵀ accumulates in the reference's order and must be bit-identical. Both must agree across thread counts.
 */
class GemvTest {
    private static final int[][] SHAPES = {
        {1, 1}, {1, 9}, {9, 1}, {7, 8}, {16, 17}, {31, 63}, {65, 64}, {127, 257}, {300, 513}, {2, 40000}, {40000, 3}
    };

    private static Kernels scalar;
    private static Kernels[] simd;

    @BeforeAll
    static void open() {
        scalar = KernelProviders.open("scalar", 1);
        simd = new Kernels[] {
            KernelProviders.open("simd", 1), KernelProviders.open("simd", 2), KernelProviders.open("simd", 3)
        };
    }

    @AfterAll
    static void close() {
        scalar.close();
        for (Kernels k : simd) {
            k.close();
        }
    }

    @Test
    void bothTransposesAgainstTheReference() {
        float[][] alphaBeta = {{1.5f, -0.75f}, {-0.5f, 0f}, {2f, 1f}};
        long seed = 1;
        for (int[] s : SHAPES) {
            for (Op op : Op.values()) {
                for (float[] ab : alphaBeta) {
                    for (boolean strided : new boolean[] {false, true}) {
                        try (TestData data = new TestData(seed++)) {
                            FloatMatrix a = data.matrix(s[0], s[1], strided);
                            int rows = op.rows(a);
                            int k = op.cols(a);
                            FloatVec x = data.vector(k);
                            FloatVec y0 = data.vector(rows);
                            if (ab[1] == 0f) {
                                y0.fill(Float.NaN); // β = 0 must ignore y
                            }
                            FloatVec want = data.copy(y0);
                            scalar.gemv(op, ab[0], a, x, ab[1], want);
                            String what = "gemv " + op + " " + s[0] + "×" + s[1] + " α=" + ab[0] + " β=" + ab[1]
                                    + (strided ? " view" : "");
                            FloatVec first = null;
                            for (Kernels kern : simd) {
                                FloatVec got = data.copy(y0);
                                kern.gemv(op, ab[0], a, x, ab[1], got);
                                if (first == null) {
                                    first = got;
                                } else {
                                    ElementwiseTest.assertBitsEqual(first, got, what + " threads " + kern.threads());
                                }
                            }
                            if (op == Op.T) {
                                ElementwiseTest.assertBitsEqual(want, first, what);
                            } else {
                                for (int i = 0; i < rows; i++) {
                                    double mag = ab[1] == 0f ? 0 : Math.abs(ab[1] * y0.get(i));
                                    for (int p = 0; p < k; p++) {
                                        mag += Math.abs(ab[0] * a.get(i, p) * x.get(p));
                                    }
                                    double tol = Tolerances.gemm(k, mag);
                                    if (!(Math.abs(first.get(i) - want.get(i)) <= tol)) {
                                        fail(what + " at " + i + ": got " + first.get(i) + ", want " + want.get(i)
                                                + " ± " + tol);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void shapeMismatchHasTheSharedMessage() {
        try (TestData data = new TestData(1)) {
            FloatMatrix a = data.matrix(3, 4, false);
            FloatVec x = data.vector(3);
            FloatVec y = data.vector(3);
            ElementwiseTest.assertSameMessage(
                    () -> scalar.gemv(Op.N, 1f, a, x, 0f, y), () -> simd[0].gemv(Op.N, 1f, a, x, 0f, y));
            assertEquals(3, y.length());
        }
    }
}
