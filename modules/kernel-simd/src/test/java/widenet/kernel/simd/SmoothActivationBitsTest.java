package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * The smooth leaky ReLU's bits do not depend on where an element is computed: full vectors and scalar row tails give
 * the same bits ({@link SmoothLeakyMath} is the vectors' scalar twin), GEMM epilogue tiles the same as
 * {@code activate}, and — the cause of issue 17's non-deterministic runs — the interpreter, C1 and C2 the same
 * ({@link #sameBitsInterpretedC1AndC2}, in child JVMs).
 */
class SmoothActivationBitsTest {
    static final float[][] PARAMS = {{0.1f, 10f}, {0.1f, 4f}, {0.01f, 30f}, {0.5f, 0.5f}, {0.9f, 1e-3f}};

    /** Inputs through every region: tails, the zero crossing, tiny, huge, the flush-to-zero edge, specials. */
    static float[] inputs(float beta) {
        List<Float> xs = new ArrayList<>();
        for (int i = -400; i <= 400; i++) {
            xs.add(i / 20f / beta);
        }
        for (float f : new float[] {
            0f,
            -0f,
            1e-30f,
            -1e-30f,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            1e30f,
            -1e30f,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN
        }) {
            xs.add(f);
        }
        for (float t = -88.5f; t <= -86.5f; t += 0.125f) {
            xs.add(t / beta);
        }
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < 500; i++) {
            xs.add((float) (r.nextGaussian() * 30 / beta));
        }
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i);
        }
        return out;
    }

    @Test
    void vectorLanesEqualTheScalarTwin() {
        try (Kernels k = KernelProviders.open("simd", 1);
                TestData data = new TestData(1)) {
            for (float[] p : PARAMS) {
                Activation act = Activation.smoothLeakyRelu(p[0], p[1]);
                float[] xs = inputs(p[1]);
                // Odd row lengths put every input both inside full vectors and in the scalar tails.
                for (int cols : new int[] {xs.length, 7, 33}) {
                    int rows = (xs.length + cols - 1) / cols;
                    FloatMatrix z = data.filled(rows, cols, true, 0f);
                    for (int i = 0; i < xs.length; i++) {
                        z.set(i / cols, i % cols, xs[i]);
                    }
                    FloatMatrix out = data.filled(rows, cols, true, 0f);
                    FloatMatrix d = data.filled(rows, cols, true, 0f);
                    k.activate(act, z, out, d);
                    for (int i = 0; i < rows * cols; i++) {
                        float x = z.get(i / cols, i % cols);
                        String what = act + " x=" + x + " cols=" + cols;
                        assertEquals(
                                Float.floatToRawIntBits(SmoothLeakyMath.value(x, p[0], p[1])),
                                Float.floatToRawIntBits(out.get(i / cols, i % cols)),
                                what);
                        assertEquals(
                                Float.floatToRawIntBits(SmoothLeakyMath.derivative(x, p[0], p[1])),
                                Float.floatToRawIntBits(d.get(i / cols, i % cols)),
                                what + " σ′");
                        if (Float.isNaN(x)) {
                            assertTrue(Float.isNaN(out.get(i / cols, i % cols)), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemmEpilogueEqualsActivate() {
        Activation act = Activation.smoothLeakyRelu(0.1f, 10f);
        try (Kernels k = KernelProviders.open("simd", 2);
                TestData data = new TestData(2)) {
            for (int[] s : new int[][] {{65, 70, 33}, {64, 64, 300}, {7, 129, 5}}) {
                FloatMatrix a = data.matrix(s[0], s[2], false);
                FloatMatrix b = data.matrix(s[2], s[1], false);
                FloatMatrix c = data.filled(s[0], s[1], false, 0f);
                FloatMatrix d = data.filled(s[0], s[1], false, 0f);
                k.gemm(Op.N, Op.N, 1f, a, b, 0f, c, Epilogue.activation(act, d));
                FloatMatrix z = data.filled(s[0], s[1], false, 0f);
                k.gemm(Op.N, Op.N, 1f, a, b, 0f, z);
                FloatMatrix out = data.filled(s[0], s[1], false, 0f);
                FloatMatrix d2 = data.filled(s[0], s[1], false, 0f);
                k.activate(act, z, out, d2);
                for (int i = 0; i < s[0]; i++) {
                    for (int j = 0; j < s[1]; j++) {
                        assertEquals(Float.floatToRawIntBits(out.get(i, j)), Float.floatToRawIntBits(c.get(i, j)));
                        assertEquals(Float.floatToRawIntBits(d2.get(i, j)), Float.floatToRawIntBits(d.get(i, j)));
                    }
                }
            }
        }
    }

    /**
     * The same activations in a child JVM that only interprets ({@code -Xint}), one that stops at C1, and this one
     * after C2 has compiled the kernels: one checksum of all bits.
     */
    @Test
    void sameBitsInterpretedC1AndC2() throws Exception {
        for (int i = 0; i < 300; i++) {
            SmoothBitsProbe.checksum(); // warm up so that C2 compiles the loops here
        }
        long here = SmoothBitsProbe.checksum();
        for (String mode : new String[] {"-Xint", "-XX:TieredStopAtLevel=1"}) {
            assertEquals(Long.toHexString(here), child(mode), "checksum under " + mode + " vs C2 here");
        }
    }

    private static String child(String mode) throws IOException, InterruptedException {
        String cp = String.join(
                File.pathSeparator,
                System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""),
                Path.of("target", "test-classes").toAbsolutePath().toString());
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                mode,
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                cp));
        String cfg = System.getProperty(KernelConfig.PROPERTY);
        if (cfg != null) {
            cmd.add("-D" + KernelConfig.PROPERTY + "=" + cfg);
        }
        cmd.add(SmoothBitsProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
