package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/** GEMM against the scalar reference: shapes around every blocking boundary, all transposes, α/β, views, epilogues. */
class GemmTest {
    /** Sizes around the vector length (8), the tile (MR = 4, NR = 16) and powers of two. */
    private static final int[] EDGE_SIZES = {1, 2, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 257};

    private static final Op[] OPS = {Op.N, Op.T};

    private static Kernels scalar;
    private static Kernels simd1;
    private static Kernels simd2;
    private static Kernels simd3;

    @BeforeAll
    static void open() {
        scalar = KernelProviders.open("scalar", 1);
        simd1 = KernelProviders.open("simd", 1);
        simd2 = KernelProviders.open("simd", 2);
        simd3 = KernelProviders.open("simd", 3);
    }

    @AfterAll
    static void close() {
        scalar.close();
        simd1.close();
        simd2.close();
        simd3.close();
    }

    /** One GEMM call's description; {@link #run} checks SIMD against the reference. */
    private record Case(
            Op opA,
            Op opB,
            int m,
            int n,
            int k,
            float alpha,
            float beta,
            boolean stridedA,
            boolean stridedB,
            boolean stridedC,
            Activation activation,
            boolean derivative,
            boolean nanC) {
        static Case plain(Op opA, Op opB, int m, int n, int k) {
            return new Case(opA, opB, m, n, k, 1.5f, -0.75f, false, false, false, null, false, false);
        }

        Case with(float alpha, float beta) {
            return new Case(opA, opB, m, n, k, alpha, beta, stridedA, stridedB, stridedC, activation, derivative, nanC);
        }

        Case strided(boolean a, boolean b, boolean c) {
            return new Case(opA, opB, m, n, k, alpha, beta, a, b, c, activation, derivative, nanC);
        }

        Case epilogue(Activation act, boolean deriv) {
            return new Case(opA, opB, m, n, k, alpha, beta, stridedA, stridedB, stridedC, act, deriv, nanC);
        }

        Case withNaNC() {
            return new Case(opA, opB, m, n, k, alpha, 0f, stridedA, stridedB, stridedC, activation, derivative, true);
        }

        @Override
        public String toString() {
            return "gemm " + opA + opB + " M=" + m + " N=" + n + " K=" + k + " α=" + alpha + " β=" + beta
                    + (stridedA ? " A-view" : "") + (stridedB ? " B-view" : "") + (stridedC ? " C-view" : "")
                    + (activation != null ? " σ=" + activation + (derivative ? "+σ′" : "") : "")
                    + (nanC ? " C=NaN" : "");
        }
    }

    /** Runs the case on {@code simd}; returns a failure description or null. */
    private static String run(Kernels simd, Case c, long seed) {
        try (TestData data = new TestData(seed)) {
            FloatMatrix a = c.opA == Op.N ? data.matrix(c.m, c.k, c.stridedA) : data.matrix(c.k, c.m, c.stridedA);
            FloatMatrix b = c.opB == Op.N ? data.matrix(c.k, c.n, c.stridedB) : data.matrix(c.n, c.k, c.stridedB);
            FloatMatrix c0 = c.nanC ? data.filled(c.m, c.n, c.stridedC, Float.NaN) : data.matrix(c.m, c.n, c.stridedC);
            FloatMatrix z = data.copy(c0);
            scalar.gemm(c.opA, c.opB, c.alpha, a, b, c.beta, z, Epilogue.NONE);
            FloatMatrix mag = data.copy(c.nanC ? data.filled(c.m, c.n, false, 0f) : data.abs(c0));
            scalar.gemm(
                    c.opA, c.opB, Math.abs(c.alpha), data.abs(a), data.abs(b), Math.abs(c.beta), mag, Epilogue.NONE);

            FloatMatrix out = data.copyLike(c0);
            FloatMatrix deriv = c.derivative ? data.filled(c.m, c.n, c.stridedC, -7f) : null;
            Epilogue e = c.activation == null ? Epilogue.NONE : Epilogue.activation(c.activation, deriv);
            simd.gemm(c.opA, c.opB, c.alpha, a, b, c.beta, out, e);

            if (!TestData.borderIntact(out) || (deriv != null && !TestData.borderIntact(deriv))) {
                return c + ": wrote outside the C view";
            }
            for (int i = 0; i < c.m; i++) {
                for (int j = 0; j < c.n; j++) {
                    float zij = z.get(i, j);
                    double tol = Tolerances.gemm(c.k, mag.get(i, j));
                    String bad = checkElement(c, zij, tol, out.get(i, j), deriv == null ? 0f : deriv.get(i, j));
                    if (bad != null) {
                        return c + " at (" + i + ", " + j + "): " + bad;
                    }
                }
            }
            return null;
        }
    }

    /** Compares one element: {@code got} (and {@code gotDeriv}) against σ(z) (σ′(z)), z within {@code tol} of exact. */
    private static String checkElement(Case c, float z, double tol, float got, float gotDeriv) {
        if (Float.isNaN(z)) {
            return "reference is NaN";
        }
        Activation act = c.activation;
        if (act == null) {
            return Math.abs(got - z) <= tol ? null : "got " + got + ", reference " + z + ", tolerance " + tol;
        }
        // σ is 1-Lipschitz for every activation here, so the GEMM error carries over unchanged.
        double tolValue =
                tol + (act.kind() == Activation.Kind.SMOOTH_LEAKY_RELU ? Tolerances.smoothLeakyValue(act, z) : 0);
        float want = act.apply(z);
        if (!(Math.abs(got - want) <= tolValue)) {
            return "σ: got " + got + ", reference " + want + " (z = " + z + "), tolerance " + tolValue;
        }
        if (c.derivative) {
            float wantD = act.derivative(z);
            if (act.kind() == Activation.Kind.SMOOTH_LEAKY_RELU) {
                // σ″ ≤ (1−α)β/4 bounds how far σ′ moves within the GEMM tolerance.
                double tolD = (1 - act.alpha()) * act.beta() / 4 * tol + Tolerances.smoothLeakyDerivative(act, z);
                if (!(Math.abs(gotDeriv - wantD) <= tolD)) {
                    return "σ′: got " + gotDeriv + ", reference " + wantD + " (z = " + z + "), tolerance " + tolD;
                }
            } else if (Math.abs(z) > tol) {
                if (gotDeriv != wantD) {
                    return "σ′: got " + gotDeriv + ", reference " + wantD + " (z = " + z + ")";
                }
            } else if (gotDeriv != act.derivative(-1f)
                    && gotDeriv != act.derivative(0f)
                    && gotDeriv != act.derivative(1f)) {
                // z is within rounding of the kink: either side's slope (or the one at 0) is right.
                return "σ′ near 0: got " + gotDeriv;
            }
        }
        return null;
    }

    private static void runAll(Kernels simd, List<Case> cases) {
        List<String> failures = new ArrayList<>();
        long seed = 1;
        for (Case c : cases) {
            String f = run(simd, c, seed++);
            if (f != null) {
                failures.add(f);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " cases failed on " + simd.description() + ", e.g.\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(10, failures.size()))));
        }
    }

    @Test
    void smallShapeGridAllTransposes() {
        int[] sizes = {1, 7, 16, 17, 63, 65};
        List<Case> cases = new ArrayList<>();
        for (Op opA : OPS) {
            for (Op opB : OPS) {
                for (int m : sizes) {
                    for (int n : sizes) {
                        for (int k : sizes) {
                            cases.add(Case.plain(opA, opB, m, n, k));
                        }
                    }
                }
            }
        }
        runAll(simd1, cases);
    }

    @Test
    void everyEdgeSizeInEveryDimension() {
        List<Case> cases = new ArrayList<>();
        for (Op opA : OPS) {
            for (Op opB : OPS) {
                for (int d : EDGE_SIZES) {
                    cases.add(Case.plain(opA, opB, d, 33, 29));
                    cases.add(Case.plain(opA, opB, 37, d, 29));
                    cases.add(Case.plain(opA, opB, 37, 33, d));
                }
            }
        }
        runAll(simd1, cases);
        runAll(simd2, cases);
    }

    @Test
    void largerThanEveryCacheBlock() {
        List<Case> cases = new ArrayList<>();
        for (Op opA : OPS) {
            for (Op opB : OPS) {
                cases.add(Case.plain(opA, opB, 300, 513, 129));
                cases.add(Case.plain(opA, opB, 70, 50, 600)); // K spans 3 KC blocks
                cases.add(Case.plain(opA, opB, 289, 40, 20)); // M spans 3 MC blocks
            }
        }
        cases.add(Case.plain(Op.N, Op.T, 9, 4100, 3)); // N spans 2 NC blocks
        cases.add(Case.plain(Op.T, Op.N, 9, 4100, 3));
        runAll(simd1, cases);
        runAll(simd2, cases);
        runAll(simd3, cases);
    }

    @Test
    void alphaBetaCombinations() {
        float[][] ab = {{1f, 1f}, {1f, 0f}, {-2f, 0.5f}, {0.3f, 0f}, {0f, 1.25f}, {0f, 0f}, {-1f, -1f}};
        List<Case> cases = new ArrayList<>();
        for (Op opA : OPS) {
            for (Op opB : OPS) {
                for (float[] x : ab) {
                    cases.add(Case.plain(opA, opB, 23, 41, 300).with(x[0], x[1]));
                }
            }
        }
        runAll(simd1, cases);
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        List<Case> cases = new ArrayList<>();
        for (Op opA : OPS) {
            for (Op opB : OPS) {
                cases.add(Case.plain(opA, opB, 17, 31, 7).withNaNC());
                cases.add(
                        Case.plain(opA, opB, 65, 17, 300).withNaNC()); // later KC blocks must read what the first wrote
                cases.add(Case.plain(opA, opB, 9, 10, 0).withNaNC()); // K = 0: C = 0
                cases.add(Case.plain(opA, opB, 19, 33, 5)
                        .withNaNC()
                        .strided(true, true, true)
                        .epilogue(Activation.relu(true), true));
            }
        }
        runAll(simd1, cases);
        runAll(simd2, cases);
    }

    @Test
    void emptyDimensions() {
        List<Case> cases = new ArrayList<>();
        for (Op opA : OPS) {
            for (Op opB : OPS) {
                cases.add(Case.plain(opA, opB, 9, 10, 0));
                cases.add(Case.plain(opA, opB, 0, 10, 5));
                cases.add(Case.plain(opA, opB, 9, 0, 5));
                cases.add(Case.plain(opA, opB, 9, 10, 0).epilogue(Activation.leakyRelu(0.1f, true), true));
            }
        }
        runAll(simd1, cases);
    }

    @Test
    void stridedViewsAsOperandsAndOutput() {
        List<Case> cases = new ArrayList<>();
        for (Op opA : OPS) {
            for (Op opB : OPS) {
                for (int mask = 1; mask < 8; mask++) {
                    cases.add(Case.plain(opA, opB, 37, 45, 29)
                            .strided((mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0));
                }
                cases.add(Case.plain(opA, opB, 130, 70, 260).strided(true, true, true));
            }
        }
        runAll(simd1, cases);
        runAll(simd2, cases);
    }

    @Test
    void everyEpilogueWithAndWithoutDerivative() {
        Activation[] acts = {
            Activation.identity(),
            Activation.relu(true),
            Activation.relu(false),
            Activation.leakyRelu(0.1f, true),
            Activation.leakyRelu(0.2f, false),
            Activation.smoothLeakyRelu(0.1f, 4f),
            Activation.smoothLeakyRelu(0.3f, 0.5f)
        };
        List<Case> cases = new ArrayList<>();
        for (Activation act : acts) {
            for (boolean deriv : new boolean[] {false, true}) {
                for (Op opA : OPS) {
                    for (Op opB : OPS) {
                        cases.add(Case.plain(opA, opB, 31, 47, 17).epilogue(act, deriv));
                        // K over several KC blocks with β ≠ 0: the epilogue must see the final sum only.
                        cases.add(Case.plain(opA, opB, 21, 19, 530)
                                .epilogue(act, deriv)
                                .strided(false, false, true));
                    }
                }
            }
        }
        runAll(simd1, cases);
        runAll(simd2, cases);
    }

    @Test
    void edgeTilesMatchFullTilesBitForBit() {
        // The same elements computed inside full tiles (8×32: two 4×16 tiles each way) and in edge tiles (7×31):
        // full tiles go straight from registers to C, edge tiles through the tile buffer and scalar stores of partial
        // rows. Both
        // must do the same arithmetic, so every element shared by the two calls is bit-identical.
        Epilogue[] kinds = {
            Epilogue.NONE,
            Epilogue.relu(null, true),
            Epilogue.relu(null, false),
            Epilogue.activation(Activation.leakyRelu(0.1f, true), null),
            Epilogue.activation(Activation.identity(), null),
            Epilogue.activation(Activation.smoothLeakyRelu(0.1f, 4f), null)
        };
        try (TestData data = new TestData(77)) {
            for (Op opA : OPS) {
                for (Op opB : OPS) {
                    for (int k : new int[] {5, 300}) {
                        for (float beta : new float[] {0f, 0.5f}) {
                            for (int e = 0; e < kinds.length; e++) {
                                FloatMatrix a = opA == Op.N ? data.matrix(8, k, false) : data.matrix(k, 8, false);
                                FloatMatrix b = opB == Op.N ? data.matrix(k, 32, false) : data.matrix(32, k, false);
                                FloatMatrix c0 = data.matrix(8, 32, false);
                                FloatMatrix full = data.copy(c0);
                                FloatMatrix fullD = data.filled(8, 32, false, 0f);
                                FloatMatrix edge = data.copy(c0.block(0, 7, 0, 31));
                                FloatMatrix edgeD = data.filled(7, 31, false, 0f);
                                FloatMatrix aEdge = opA == Op.N ? a.block(0, 7, 0, k) : a.block(0, k, 0, 7);
                                FloatMatrix bEdge = opB == Op.N ? b.block(0, k, 0, 31) : b.block(0, 31, 0, k);
                                Activation act = kinds[e].activationOrNull();
                                simd1.gemm(
                                        opA,
                                        opB,
                                        -0.7f,
                                        a,
                                        b,
                                        beta,
                                        full,
                                        act == null ? Epilogue.NONE : Epilogue.activation(act, fullD));
                                simd1.gemm(
                                        opA,
                                        opB,
                                        -0.7f,
                                        aEdge,
                                        bEdge,
                                        beta,
                                        edge,
                                        act == null ? Epilogue.NONE : Epilogue.activation(act, edgeD));
                                for (int i = 0; i < 7; i++) {
                                    for (int j = 0; j < 31; j++) {
                                        String where = opA + "" + opB + " K=" + k + " β=" + beta + " " + kinds[e]
                                                + " at (" + i + ", " + j + ")";
                                        assertEquals(
                                                Float.floatToIntBits(full.get(i, j)),
                                                Float.floatToIntBits(edge.get(i, j)),
                                                where);
                                        assertEquals(
                                                Float.floatToIntBits(fullD.get(i, j)),
                                                Float.floatToIntBits(edgeD.get(i, j)),
                                                where + " σ′");
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
    void reluEpilogueOnExactZerosAndNegatives() {
        // A = 0 makes every z exactly β·c; with β = 0 every z is +0 (α·0): σ′(0) must follow gradAtZero exactly.
        try (TestData data = new TestData(5)) {
            FloatMatrix a = data.filled(20, 9, false, 0f);
            FloatMatrix b = data.matrix(9, 33, false);
            for (boolean gradAtZero : new boolean[] {true, false}) {
                FloatMatrix c = data.filled(20, 33, false, Float.NaN);
                FloatMatrix mask = data.filled(20, 33, false, -1f);
                simd1.gemm(Op.N, Op.N, 1f, a, b, 0f, c, Epilogue.relu(mask, gradAtZero));
                for (int i = 0; i < 20; i++) {
                    for (int j = 0; j < 33; j++) {
                        assertEquals(0f, c.get(i, j));
                        assertEquals(gradAtZero ? 1f : 0f, mask.get(i, j));
                    }
                }
            }
        }
    }

    @Test
    void shapeMismatchHasTheSharedMessage() {
        try (TestData data = new TestData(1)) {
            FloatMatrix a = data.matrix(3, 4, false);
            FloatMatrix b = data.matrix(5, 6, false);
            FloatMatrix c = data.matrix(3, 6, false);
            IllegalArgumentException want = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> scalar.gemm(Op.N, Op.N, 1f, a, b, 0f, c));
            IllegalArgumentException got = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> simd1.gemm(Op.N, Op.N, 1f, a, b, 0f, c));
            assertEquals(want.getMessage(), got.getMessage());
            FloatMatrix wrongMask = data.matrix(3, 5, false);
            FloatMatrix b2 = data.matrix(4, 6, false);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> simd1.gemm(Op.N, Op.N, 1f, a, b2, 0f, c, Epilogue.relu(wrongMask, true)));
            assertTrue(e.getMessage().contains("derivative"), e.getMessage());
        }
    }
}
