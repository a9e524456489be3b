package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * Elementwise kernels against the scalar reference. They perform the reference's arithmetic operation for operation,
 * so results must be bit-identical (except the smooth leaky ReLU, which uses vector EXP/LOG1P: see {@link Tolerances}).
 */
class ElementwiseTest {
    /** Shapes around the vector length, a single long row (split by columns across threads) and > 64 K elements. */
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
        {257, 300},
        {1, 70001},
        {300, 513}
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

    static void assertBitsEqual(FloatMatrix want, FloatMatrix got, String what) {
        assertEquals(want.rows(), got.rows());
        for (int i = 0; i < want.rows(); i++) {
            for (int j = 0; j < want.cols(); j++) {
                if (Float.floatToIntBits(want.get(i, j)) != Float.floatToIntBits(got.get(i, j))) {
                    fail(what + " at (" + i + ", " + j + "): want " + want.get(i, j) + ", got " + got.get(i, j));
                }
            }
        }
        assertTrue(TestData.borderIntact(got), what + ": wrote outside the view");
    }

    static void assertBitsEqual(FloatVec want, FloatVec got, String what) {
        for (int i = 0; i < want.length(); i++) {
            if (Float.floatToIntBits(want.get(i)) != Float.floatToIntBits(got.get(i))) {
                fail(what + " at " + i + ": want " + want.get(i) + ", got " + got.get(i));
            }
        }
    }

    /** Scales values up so activations see large, tiny, zero and negative-zero inputs too. */
    private static void spread(FloatMatrix m) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                int h = (i * 31 + j) % 11;
                float v = m.get(i, j);
                m.set(i, j, h == 0 ? 0f : h == 1 ? -0f : h == 2 ? v * 40f : h == 3 ? v * 1e-3f : v * 3f);
            }
        }
    }

    @Test
    void activateEveryKindBitExactOrWithinTolerance() {
        Activation[] acts = {
            Activation.identity(),
            Activation.relu(true),
            Activation.relu(false),
            Activation.leakyRelu(0.1f, true),
            Activation.leakyRelu(0.01f, false),
            Activation.smoothLeakyRelu(0.1f, 4f),
            Activation.smoothLeakyRelu(0.5f, 30f)
        };
        long seed = 10;
        for (Kernels k : simd) {
            for (int[] s : SHAPES) {
                for (Activation act : acts) {
                    for (int variant = 0; variant < 3; variant++) {
                        // 0: separate outputs with derivative; 1: in place, no derivative; 2: strided views, derivative
                        boolean strided = variant == 2;
                        try (TestData data = new TestData(seed++)) {
                            FloatMatrix z = data.matrix(s[0], s[1], strided);
                            spread(z);
                            FloatMatrix wantOut = data.copy(z);
                            FloatMatrix wantD = variant == 1 ? null : data.filled(s[0], s[1], false, 5f);
                            scalar.activate(act, z, wantOut, wantD);
                            FloatMatrix zIn = data.copyLike(z);
                            FloatMatrix out = variant == 1 ? zIn : data.filled(s[0], s[1], strided, 9f);
                            FloatMatrix d = variant == 1 ? null : data.filled(s[0], s[1], strided, 5f);
                            k.activate(act, zIn, out, d);
                            String what = "activate " + act + " " + s[0] + "×" + s[1] + " variant " + variant + " on "
                                    + k.description();
                            if (act.kind() != Activation.Kind.SMOOTH_LEAKY_RELU) {
                                assertBitsEqual(wantOut, out, what);
                                if (d != null) {
                                    assertBitsEqual(wantD, d, what + " σ′");
                                }
                            } else {
                                checkSmooth(act, z, out, d, what);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void checkSmooth(Activation act, FloatMatrix z, FloatMatrix out, FloatMatrix d, String what) {
        for (int i = 0; i < z.rows(); i++) {
            for (int j = 0; j < z.cols(); j++) {
                float x = z.get(i, j);
                double tol = Tolerances.smoothLeakyValue(act, x);
                if (!(Math.abs(out.get(i, j) - act.apply(x)) <= tol)) {
                    fail(what + " at x = " + x + ": got " + out.get(i, j) + ", want " + act.apply(x) + " ± " + tol);
                }
                if (d != null) {
                    double tolD = Tolerances.smoothLeakyDerivative(act, x);
                    if (!(Math.abs(d.get(i, j) - act.derivative(x)) <= tolD)) {
                        fail(what + " σ′ at x = " + x + ": got " + d.get(i, j) + ", want " + act.derivative(x) + " ± "
                                + tolD);
                    }
                }
            }
        }
        assertTrue(TestData.borderIntact(out), what + ": wrote outside the view");
    }

    @Test
    void smoothLeakyHandlesExtremeInputs() {
        Activation act = Activation.smoothLeakyRelu(0.1f, 4f);
        float[] xs = {0f, -0f, 1e-30f, -1e-30f, 20f, -20f, 88f, -88f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE};
        try (TestData data = new TestData(3)) {
            FloatMatrix z = data.filled(1, xs.length, false, 0f);
            for (int j = 0; j < xs.length; j++) {
                z.set(0, j, xs[j]);
            }
            FloatMatrix out = data.filled(1, xs.length, false, 0f);
            FloatMatrix d = data.filled(1, xs.length, false, 0f);
            simd[0].activate(act, z, out, d);
            for (int j = 0; j < xs.length; j++) {
                float x = xs[j];
                double want = act.apply(x);
                if (Double.isInfinite(want)) {
                    assertEquals(want, out.get(0, j), "σ(" + x + ")");
                } else {
                    assertEquals(want, out.get(0, j), Tolerances.smoothLeakyValue(act, x), "σ(" + x + ")");
                }
                assertEquals(act.derivative(x), d.get(0, j), Tolerances.smoothLeakyDerivative(act, x), "σ′(" + x + ")");
            }
        }
    }

    @Test
    void smoothLeakyAcrossItsRange() {
        // Dense sweeps through the zero crossing of σ, the saturated tails and tiny |x|, for several shapes of σ.
        float[][] params = {{0.1f, 4f}, {0.01f, 30f}, {0.5f, 0.5f}, {0.9f, 100f}, {0.001f, 1f}};
        int n = 24001;
        for (float[] p : params) {
            Activation act = Activation.smoothLeakyRelu(p[0], p[1]);
            try (TestData data = new TestData(9)) {
                FloatMatrix z = data.filled(1, n, false, 0f);
                for (int j = 0; j < n; j++) {
                    float x = (j - n / 2) * (60f / n) / p[1] * 4;
                    z.set(0, j, j % 3 == 0 ? x * 1e-4f : x);
                }
                FloatMatrix out = data.filled(1, n, false, 0f);
                FloatMatrix d = data.filled(1, n, false, 0f);
                simd[0].activate(act, z, out, d);
                checkSmooth(act, z, out, d, "activate " + act + " sweep");
            }
        }
    }

    @Test
    void scaleOuterMaskedHadamardAxpyScaleCopyAddToRows() {
        long seed = 100;
        for (Kernels k : simd) {
            for (int[] s : SHAPES) {
                for (boolean strided : new boolean[] {false, true}) {
                    try (TestData data = new TestData(seed++)) {
                        int r = s[0], c = s[1];
                        String where = s[0] + "×" + s[1] + (strided ? " views" : "") + " on " + k.description();
                        FloatMatrix a = data.matrix(r, c, strided);
                        FloatMatrix b = data.matrix(r, c, strided);
                        FloatVec rs = data.vector(r);
                        FloatVec cs = data.vector(c);

                        FloatMatrix want = data.copy(a);
                        scalar.scaleOuterMasked(-1.7f, rs, cs, b, want);
                        FloatMatrix got = data.copyLike(a);
                        k.scaleOuterMasked(-1.7f, rs, cs, b, got);
                        assertBitsEqual(want, got, "scaleOuterMasked " + where);
                        FloatMatrix inPlace = data.copyLike(b);
                        k.scaleOuterMasked(-1.7f, rs, cs, inPlace, inPlace);
                        assertBitsEqual(want, inPlace, "scaleOuterMasked in place " + where);

                        scalar.hadamard(a, b, want);
                        k.hadamard(a, b, got);
                        assertBitsEqual(want, got, "hadamard " + where);
                        FloatMatrix aIn = data.copyLike(a);
                        k.hadamard(aIn, b, aIn);
                        assertBitsEqual(want, aIn, "hadamard in place " + where);

                        FloatMatrix wantY = data.copy(b);
                        FloatMatrix gotY = data.copyLike(b);
                        scalar.axpy(0.37f, a, wantY);
                        k.axpy(0.37f, a, gotY);
                        assertBitsEqual(wantY, gotY, "axpy " + where);

                        scalar.scale(-2.5f, wantY);
                        k.scale(-2.5f, gotY);
                        assertBitsEqual(wantY, gotY, "scale " + where);

                        FloatMatrix dst = data.filled(r, c, strided, 3f);
                        k.copy(a, dst);
                        assertBitsEqual(a, dst, "copy " + where);

                        scalar.addToRows(cs, wantY);
                        k.addToRows(cs, gotY);
                        assertBitsEqual(wantY, gotY, "addToRows " + where);
                    }
                }
            }
            for (int n : new int[] {0, 1, 7, 8, 9, 33, 70001}) {
                try (TestData data = new TestData(seed++)) {
                    FloatVec x = data.vector(n);
                    FloatVec wantY = data.vector(n);
                    FloatVec gotY = data.copy(wantY);
                    scalar.axpy(-0.61f, x, wantY);
                    k.axpy(-0.61f, x, gotY);
                    assertBitsEqual(wantY, gotY, "axpy vector " + n + " on " + k.description());
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
            FloatVec v5 = data.vector(5);
            Kernels k = simd[0];
            assertSameMessage(() -> scalar.hadamard(a, b, a), () -> k.hadamard(a, b, a));
            assertSameMessage(() -> scalar.axpy(1f, a, b), () -> k.axpy(1f, a, b));
            assertSameMessage(() -> scalar.axpy(1f, v3, v5), () -> k.axpy(1f, v3, v5));
            assertSameMessage(() -> scalar.copy(a, b), () -> k.copy(a, b));
            assertSameMessage(() -> scalar.addToRows(v3, a), () -> k.addToRows(v3, a));
            assertSameMessage(
                    () -> scalar.activate(Activation.relu(true), a, b, null),
                    () -> k.activate(Activation.relu(true), a, b, null));
            assertSameMessage(
                    () -> scalar.scaleOuterMasked(1f, v5, v5, a, a), () -> k.scaleOuterMasked(1f, v5, v5, a, a));
        }
    }

    static void assertSameMessage(
            org.junit.jupiter.api.function.Executable reference, org.junit.jupiter.api.function.Executable candidate) {
        String want = assertThrows(IllegalArgumentException.class, reference).getMessage();
        String got = assertThrows(IllegalArgumentException.class, candidate).getMessage();
        assertEquals(want, got);
    }
}
