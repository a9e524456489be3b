package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * Reductions against the scalar reference, within {@link Tolerances#sum}, and bit-identical across thread counts
 * (their chunks do not depend on the thread count). Column sums and counts are exact.
 */
class ReductionTest {
    /** Shapes around the vector length, across chunk boundaries (16 K elements) and a single long row. */
    private static final int[][] SHAPES = {
        {1, 1},
        {1, 7},
        {2, 15},
        {3, 8},
        {5, 9},
        {15, 16},
        {17, 31},
        {63, 127},
        {64, 65},
        {127, 2},
        {2, 257},
        {128, 128},
        {129, 129},
        {1, 70001},
        {300, 513},
        {70001, 1}
    };

    private static final int[] LENGTHS = {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 100, 16384, 16385, 70001, 200000};

    private static Kernels scalar;
    private static Kernels[] simd;

    @BeforeAll
    static void open() {
        scalar = KernelProviders.open("scalar", 1);
        simd = new Kernels[] {
            KernelProviders.open("simd", 1),
            KernelProviders.open("simd", 2),
            KernelProviders.open("simd", 3),
            KernelProviders.open("simd", 4)
        };
    }

    @AfterAll
    static void close() {
        scalar.close();
        for (Kernels k : simd) {
            k.close();
        }
    }

    private static void assertWithin(double want, double got, double tol, String what) {
        if (!(Math.abs(want - got) <= tol)) {
            fail(what + ": want " + want + ", got " + got + ", tolerance " + tol);
        }
    }

    /** All thread counts must agree bit for bit; the 1-thread value is returned. */
    private static double sameOnEveryThreadCount(java.util.function.ToDoubleFunction<Kernels> op, String what) {
        double first = op.applyAsDouble(simd[0]);
        for (int t = 1; t < simd.length; t++) {
            double v = op.applyAsDouble(simd[t]);
            assertEquals(
                    Double.doubleToLongBits(first), Double.doubleToLongBits(v), what + " on " + simd[t].description());
        }
        return first;
    }

    @Test
    void dot() {
        long seed = 1;
        for (int n : LENGTHS) {
            try (TestData data = new TestData(seed++)) {
                FloatVec x = data.vector(n);
                FloatVec y = data.vector(n);
                double mag = 0;
                for (int i = 0; i < n; i++) {
                    mag += Math.abs((double) x.get(i) * y.get(i));
                }
                double got = sameOnEveryThreadCount(k -> k.dot(x, y), "dot " + n);
                assertWithin(scalar.dot(x, y), got, Tolerances.sum(n, mag), "dot " + n);
            }
        }
    }

    @Test
    void sumsOfSquaresAndOfSquaredDifferences() {
        long seed = 50;
        for (int[] s : SHAPES) {
            for (boolean strided : new boolean[] {false, true}) {
                try (TestData data = new TestData(seed++)) {
                    String what = s[0] + "×" + s[1] + (strided ? " views" : "");
                    FloatMatrix a = data.matrix(s[0], s[1], strided);
                    FloatMatrix b = data.matrix(s[0], s[1], strided);
                    long n = a.size();
                    double magSq = 0;
                    double magDiff = 0;
                    double[] rowSq = new double[s[0]];
                    double[] rowDiff = new double[s[0]];
                    for (int i = 0; i < s[0]; i++) {
                        for (int j = 0; j < s[1]; j++) {
                            double d = a.get(i, j) - b.get(i, j);
                            rowSq[i] += (double) a.get(i, j) * a.get(i, j);
                            rowDiff[i] += d * d;
                        }
                        magSq += rowSq[i];
                        magDiff += rowDiff[i];
                    }
                    double got = sameOnEveryThreadCount(k -> k.sumOfSquares(a), "sumOfSquares " + what);
                    assertWithin(scalar.sumOfSquares(a), got, Tolerances.sum(n, magSq), "sumOfSquares " + what);
                    // (a − b)² adds one rounding per term (the subtraction) on each side: n + 1 more steps.
                    got = sameOnEveryThreadCount(
                            k -> k.sumOfSquaredDifferences(a, b), "sumOfSquaredDifferences " + what);
                    assertWithin(
                            scalar.sumOfSquaredDifferences(a, b),
                            got,
                            Tolerances.sum(2 * n + 1, magDiff),
                            "sumOfSquaredDifferences " + what);

                    FloatVec wantDiff = data.vector(s[0]);
                    scalar.rowSumsOfSquaredDifferences(a, b, wantDiff);
                    FloatVec firstDiff = null;
                    for (Kernels k : simd) {
                        FloatVec got2 = data.vector(s[0]);
                        k.rowSumsOfSquaredDifferences(a, b, got2);
                        if (firstDiff == null) {
                            firstDiff = got2;
                        } else {
                            ElementwiseTest.assertBitsEqual(
                                    firstDiff, got2, "rowSumsOfSquaredDifferences threads " + what);
                        }
                        for (int i = 0; i < s[0]; i++) {
                            // The float result adds one final rounding on our side.
                            assertWithin(
                                    wantDiff.get(i),
                                    got2.get(i),
                                    Tolerances.sum(2L * s[1] + 2, rowDiff[i]),
                                    "rowSumsOfSquaredDifferences " + what + " row " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void columnSumsAreBitIdenticalToTheReference() {
        long seed = 200;
        int[][] shapes = {{0, 5}, {1, 1}, {1, 9}, {7, 1}, {17, 31}, {64, 65}, {257, 300}, {3, 70001}, {300, 513}};
        for (int[] s : shapes) {
            for (boolean strided : new boolean[] {false, true}) {
                try (TestData data = new TestData(seed++)) {
                    FloatMatrix a = data.matrix(s[0], s[1], strided);
                    if (s[0] > 0) {
                        a.set(0, 0, -0f); // a column of −0 must sum to +0, as 0f + (−0f) does
                    }
                    FloatVec want = data.vector(s[1]);
                    scalar.columnSums(a, want);
                    for (Kernels k : simd) {
                        FloatVec got = data.vector(s[1]);
                        k.columnSums(a, got);
                        ElementwiseTest.assertBitsEqual(
                                want, got, "columnSums " + s[0] + "×" + s[1] + " on " + k.description());
                    }
                }
            }
        }
    }

    @Test
    void countDifferentFollowsIeeeComparison() {
        long seed = 300;
        for (int[] s : SHAPES) {
            for (boolean strided : new boolean[] {false, true}) {
                try (TestData data = new TestData(seed++)) {
                    FloatMatrix a = data.matrix(s[0], s[1], strided);
                    FloatMatrix b = data.copyLike(a);
                    for (int i = 0; i < s[0]; i++) {
                        for (int j = 0; j < s[1]; j++) {
                            switch ((i * 7 + j * 3) % 9) {
                                case 0 -> b.set(i, j, -b.get(i, j));
                                case 1 -> {
                                    a.set(i, j, 0f);
                                    b.set(i, j, -0f);
                                } // equal
                                case 2 -> {
                                    a.set(i, j, Float.NaN);
                                    b.set(i, j, Float.NaN);
                                } // different
                                case 3 -> b.set(i, j, Math.nextUp(b.get(i, j)));
                                default -> {}
                            }
                        }
                    }
                    long want = scalar.countDifferent(a, b);
                    for (Kernels k : simd) {
                        assertEquals(
                                want,
                                k.countDifferent(a, b),
                                "countDifferent " + s[0] + "×" + s[1] + " on " + k.description());
                    }
                }
            }
        }
    }

    @Test
    void shapeMismatchesHaveTheSharedMessages() {
        try (TestData data = new TestData(1)) {
            FloatMatrix a = data.matrix(3, 4, false);
            FloatMatrix b = data.matrix(4, 3, false);
            FloatVec v3 = data.vector(3);
            FloatVec v4 = data.vector(4);
            Kernels k = simd[0];
            ElementwiseTest.assertSameMessage(() -> scalar.dot(v3, v4), () -> k.dot(v3, v4));
            ElementwiseTest.assertSameMessage(
                    () -> scalar.sumOfSquaredDifferences(a, b), () -> k.sumOfSquaredDifferences(a, b));
            ElementwiseTest.assertSameMessage(
                    () -> scalar.rowSumsOfSquaredDifferences(a, a, v4), () -> k.rowSumsOfSquaredDifferences(a, a, v4));
            ElementwiseTest.assertSameMessage(() -> scalar.columnSums(a, v3), () -> k.columnSums(a, v3));
            ElementwiseTest.assertSameMessage(() -> scalar.countDifferent(a, b), () -> k.countDifferent(a, b));
        }
    }
}
