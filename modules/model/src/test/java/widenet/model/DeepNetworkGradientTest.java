package widenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/**
 * The gradients of {@link DeepNetwork} (float, through the kernels) against central finite differences of the loss
 * computed in double precision by {@link DeepReference}, for every activation, every initialisation that changes
 * the parameterisation (NTK factors), biases on and off, sum and mean loss, several depths and width lists (a
 * pyramid, a bottleneck, multi-output, one layer, six layers) and frozen layers.
 *
 * <p>Tolerance, derived: 4 × the float-rounding bound {@link DeepReference} propagates through the forward and the
 * backward pass (√k·ε per k-long sum, 4 for the tail over these few thousand comparisons), plus the finite
 * difference's own error, ≤ 2ε_double·Φ/h + h²·|Φ‴|/6 ≈ 1e-10·Φ for h = 1e-6, which the floor 1e-8·max(1, Φ) covers.
 * For the piecewise-linear activations a coordinate whose ±h perturbation moves a pre-activation across a kink is
 * skipped (the loss is not differentiable there); the test fails if that happens to more than 2 % of them.
 */
class DeepNetworkGradientTest {
    static final double H = 1e-6;

    static DeepNetwork.Config config(
            String widths,
            String activation,
            boolean gradAtZero,
            String inits,
            boolean biases,
            String loss,
            int capacity,
            double outputScale,
            String frozen) {
        int[] w = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        List<WeightInit> is =
                Arrays.stream(inits.split("/")).map(WeightInit::parse).toList();
        Set<Integer> fz = new TreeSet<>();
        if (!frozen.equals("-")) {
            for (String s : frozen.split("/")) {
                fz.add(Integer.parseInt(s));
            }
        }
        return new DeepNetwork.Config(
                w,
                capacity,
                Activation.parse(activation, gradAtZero),
                is,
                outputScale,
                biases,
                LossKind.parse(loss),
                fz);
    }

    @ParameterizedTest(name = "{0} {1} relu''(0)={2} init={3} biases={4} {5} n={6} out×{7} frozen={8}")
    @CsvSource({
        "6-12-8-5-1,    relu,                    false, lecun,          false, sum,  10, 1,   -",
        "6-12-8-5-1,    leaky-relu:0.1,          false, he,             true,  mean, 10, 1,   -",
        "6-12-8-5-1,    smooth-leaky-relu:0.2:3, true,  ntk:1,          false, sum,  10, 1,   -",
        "6-12-8-5-1,    smooth-leaky-relu:0.1:4, true,  ntk:2,          true,  sum,  10, 0.5, -",
        "6-3-9-2,       relu,                    false, xavier,         true,  sum,  8,  1,   -",
        "6-3-9-2,       leaky-relu:0.2,          true,  standard,       false, mean, 8,  1,   -",
        "5-16-8-3,      identity,                true,  ntk:1,          true,  sum,  9,  1,   -",
        "5-16-8-3,      leaky-relu:0.1,          false, lecun/ntk:2/he, false, sum,  9,  2,   -",
        "4-7-1,         relu,                    true,  he,             true,  sum,  12, 1,   -",
        "5-3,           identity,                true,  lecun,          true,  mean, 6,  1,   -",
        "6-12-8-5-1,    relu,                    false, ntk:2,          true,  sum,  10, 1,   1/3",
        "6-12-8-5-1,    smooth-leaky-relu:0.2:3, true,  xavier,         true,  mean, 10, 1,   2/4",
        "6-10-10-8-8-6-1, relu,                  false, he,             false, sum,  8,  1,   -",
        "6-10-10-8-8-6-1, leaky-relu:0.1,        false, ntk:2,          true,  sum,  8,  1,   -",
        "6-12-8-5-1,    smooth-leaky-relu:0.2:3, true,  he/zero/lecun/lecun, false, sum, 10, 1, -",
        "6-12-8-5-1,    smooth-leaky-relu:0.2:3, true,  lecun/lecun*0.1/he/lecun*0.5, true, mean, 10, 1, -",
    })
    void analyticGradientMatchesFiniteDifferences(
            String widths,
            String activation,
            boolean gradAtZero,
            String inits,
            boolean biases,
            String loss,
            int rows,
            double outputScale,
            String frozen) {
        DeepNetwork.Config cfg = config(widths, activation, gradAtZero, inits, biases, loss, rows, outputScale, frozen);
        SplittableRandom rng = new SplittableRandom(widths.hashCode() * 31L + activation.hashCode() + inits.hashCode());
        int[] n = cfg.widths();
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(rows, n[0]);
                FloatMatrix y = FloatMatrix.allocate(rows, n[n.length - 1]);
                DeepNetwork net = new DeepNetwork(k, cfg, rng)) {
            Gaussian.fill(x, rng, 1.0);
            Gaussian.fill(y, rng, 1.0);
            if (biases) { // biases start at 0; move them so that their gradient path is exercised
                for (int l = 1; l <= net.depth(); l++) {
                    Gaussian.fill(net.bias(l), rng, 0.3);
                }
            }
            for (Parameter p : net.parameters()) {
                p.gradient().fill(Float.NaN); // frozen layers' gradients must stay untouched
            }
            double lossF = net.forward(x, y);
            net.backward();
            DeepReference ref = new DeepReference(net, x, y);
            double phi = ref.forward();
            assertNull(ref.derivativeMismatch(net));
            assertEquals(phi, lossF, 4 * ref.lossErrorBound() + 1e-12, "loss");
            ref.backward();
            double[][][] baseZ = ref.z;
            double floor = 1e-8 * Math.max(1, phi);
            int checked = 0, skipped = 0;
            for (int l = 1; l <= net.depth(); l++) {
                Parameter pw = net.parameters().get(l - 1);
                assertEquals("W" + l, pw.name());
                if (!net.isTrainable(l)) {
                    assertAllNaN(pw.gradient(), "frozen W" + l);
                    if (biases) {
                        assertAllNaN(net.parameters().get(net.depth() + l - 1).gradient(), "frozen b" + l);
                    }
                    continue;
                }
                double[][] wl = ref.w[l];
                for (int a = 0; a < wl.length; a++) {
                    for (int q = 0; q < wl[a].length; q++) {
                        double saved = wl[a][q];
                        wl[a][q] = saved + H;
                        double lp = ref.forward();
                        boolean same = ref.samePatterns(baseZ);
                        wl[a][q] = saved - H;
                        double lm = ref.forward();
                        same &= ref.samePatterns(baseZ);
                        wl[a][q] = saved;
                        if (!same) {
                            skipped++;
                            continue;
                        }
                        checked++;
                        double fd = (lp - lm) / (2 * H);
                        assertEquals(
                                fd,
                                ref.gw[l][a][q],
                                floor,
                                "double reference's own ∂Φ/∂W" + l + "[" + a + "][" + q + "]");
                        double got = pw.gradient().get(a, q);
                        double tol = 4 * ref.egw[l][a][q] + floor;
                        assertTrue(
                                Math.abs(got - fd) <= tol,
                                "∂Φ/∂W" + l + "[" + a + "][" + q + "]: analytic " + got + ", finite difference " + fd
                                        + ", tolerance " + tol);
                    }
                }
                if (biases) {
                    Parameter pb = net.parameters().get(net.depth() + l - 1);
                    assertEquals("b" + l, pb.name());
                    double[] bl = ref.b[l];
                    for (int q = 0; q < bl.length; q++) {
                        double saved = bl[q];
                        bl[q] = saved + H;
                        double lp = ref.forward();
                        boolean same = ref.samePatterns(baseZ);
                        bl[q] = saved - H;
                        double lm = ref.forward();
                        same &= ref.samePatterns(baseZ);
                        bl[q] = saved;
                        if (!same) {
                            skipped++;
                            continue;
                        }
                        checked++;
                        double fd = (lp - lm) / (2 * H);
                        assertEquals(fd, ref.gb[l][q], floor, "double reference's own ∂Φ/∂b" + l + "[" + q + "]");
                        double got = pb.gradient().get(q, 0);
                        double tol = 4 * ref.egb[l][q] + floor;
                        assertTrue(
                                Math.abs(got - fd) <= tol,
                                "∂Φ/∂b" + l + "[" + q + "]: analytic " + got + ", finite difference " + fd
                                        + ", tolerance " + tol);
                    }
                }
            }
            assertTrue(checked > 0);
            assertTrue(
                    skipped <= 0.02 * (checked + skipped),
                    skipped + " of " + (checked + skipped) + " coordinates straddle a kink");
        }
    }

    private static void assertAllNaN(FloatMatrix m, String what) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                assertTrue(Float.isNaN(m.get(i, j)), what + ": gradient computed although the layer is frozen");
            }
        }
    }

    /**
     * One gradient-descent step W ← W − η∇W from given weights, as the trainer makes it (forward, backward, axpy),
     * against the same step computed entirely in double: equal to float32 precision, i.e. within 4 × (η·e_∇W +
     * ε·(|W_new| + η|∇W|)), the gradient's propagated rounding bound plus the two roundings of the update.
     */
    @ParameterizedTest(name = "{0} {1} init={2} biases={3}")
    @CsvSource({
        "6-12-8-5-1, leaky-relu:0.1,          lecun, false",
        "6-12-8-5-1, relu,                    ntk:2, true",
        "5-16-8-3,   smooth-leaky-relu:0.2:3, he,    true",
    })
    void oneGradientStepMatchesADoublePrecisionStep(String widths, String activation, String inits, boolean biases) {
        DeepNetwork.Config cfg = config(widths, activation, false, inits, biases, "sum", 11, 1, "-");
        SplittableRandom rng = new SplittableRandom(77);
        int[] n = cfg.widths();
        double eta = 0.05;
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(11, n[0]);
                FloatMatrix y = FloatMatrix.allocate(11, n[n.length - 1]);
                DeepNetwork net = new DeepNetwork(k, cfg, rng)) {
            Gaussian.fill(x, rng, 1.0);
            Gaussian.fill(y, rng, 1.0);
            if (biases) {
                for (int l = 1; l <= net.depth(); l++) {
                    Gaussian.fill(net.bias(l), rng, 0.3);
                }
            }
            DeepReference ref = new DeepReference(net, x, y); // the weights before the step
            ref.backward();
            net.forward(x, y);
            net.backward();
            for (Parameter p : net.parameters()) {
                k.axpy((float) -eta, p.gradient(), p.value());
            }
            for (int l = 1; l <= net.depth(); l++) {
                FloatMatrix wl = net.weight(l);
                for (int a = 0; a < wl.rows(); a++) {
                    for (int q = 0; q < wl.cols(); q++) {
                        double g = ref.gw[l][a][q];
                        double expected = ref.w[l][a][q] - eta * g;
                        double tol = 4
                                * (eta * ref.egw[l][a][q]
                                        + DeepReference.EPS * (Math.abs(expected) + eta * Math.abs(g)));
                        assertEquals(expected, wl.get(a, q), tol, "W" + l + "[" + a + "][" + q + "] after one step");
                    }
                }
                if (biases) {
                    FloatMatrix bl = net.bias(l);
                    for (int q = 0; q < bl.rows(); q++) {
                        double g = ref.gb[l][q];
                        double expected = ref.b[l][q] - eta * g;
                        double tol = 4
                                * (eta * ref.egb[l][q] + DeepReference.EPS * (Math.abs(expected) + eta * Math.abs(g)));
                        assertEquals(expected, bl.get(q, 0), tol, "b" + l + "[" + q + "] after one step");
                    }
                }
            }
        }
    }

    /** A zero output layer: Φ's gradient reaches W_L only; every other layer's gradient is exactly 0 at k = 0. */
    @Test
    void zeroOutputLayerPassesGradientOnlyToTheLastLayer() {
        DeepNetwork.Config cfg = config("6-12-8-5-1", "leaky-relu:0.1", false, "lecun", true, "sum", 10, 0, "-");
        SplittableRandom rng = new SplittableRandom(5);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(10, 6);
                FloatMatrix y = FloatMatrix.allocate(10, 1);
                DeepNetwork net = new DeepNetwork(k, cfg, rng)) {
            Gaussian.fill(x, rng, 1.0);
            Gaussian.fill(y, rng, 1.0);
            net.forward(x, y);
            net.backward();
            for (int l = 1; l <= 4; l++) {
                double max = 0;
                FloatMatrix g = net.parameters().get(l - 1).gradient();
                for (int a = 0; a < g.rows(); a++) {
                    for (int q = 0; q < g.cols(); q++) {
                        max = Math.max(max, Math.abs(g.get(a, q)));
                    }
                }
                if (l < 4) {
                    assertEquals(0.0, max, "∇W" + l);
                } else {
                    assertTrue(max > 0, "∇W4 is not zero");
                }
                assertEquals(0f, net.weight(4).get(0, 0));
            }
        }
    }

    /** Z₁[:, 0] = 0 exactly (no bias, column 0 of W₁ zero): ReLU′(0) = 1 lets gradient through unit 0, 0 blocks it. */
    @ParameterizedTest(name = "relu'(0)={0}")
    @CsvSource({"true", "false"})
    void reluDerivativeAtZeroFollowsTheConvention(boolean gradAtZero) {
        DeepNetwork.Config cfg = config("5-9-6-1", "relu", gradAtZero, "he", false, "sum", 7, 1, "-");
        SplittableRandom rng = new SplittableRandom(8);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(7, 5);
                FloatMatrix y = FloatMatrix.allocate(7, 1);
                DeepNetwork net = new DeepNetwork(k, cfg, rng)) {
            Gaussian.fill(x, rng, 1.0);
            Gaussian.fill(y, rng, 1.0);
            for (int a = 0; a < 5; a++) {
                net.weight(1).set(a, 0, 0f);
            }
            net.forward(x, y);
            net.backward();
            DeepReference ref = new DeepReference(net, x, y);
            ref.backward();
            FloatMatrix g = net.parameters().get(0).gradient();
            for (int a = 0; a < 5; a++) {
                assertEquals(ref.gw[1][a][0], g.get(a, 0), 4 * ref.egw[1][a][0] + 1e-12, "∂Φ/∂W1[" + a + "][0]");
                if (gradAtZero) {
                    assertTrue(Math.abs(g.get(a, 0)) > 1e-4, "gradient flows through the kink with ReLU′(0) = 1");
                } else {
                    assertEquals(0f, g.get(a, 0), "no gradient through the kink with ReLU′(0) = 0");
                }
            }
        }
    }

    /** Two batch sizes share the buffers: the forward pass on a prefix gives the same loss as a fresh network. */
    @Test
    void smallerBatchesReuseTheBuffers() {
        DeepNetwork.Config cfg = config("6-12-8-5-2", "leaky-relu:0.1", false, "lecun", true, "mean", 20, 1, "-");
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(20, 6);
                FloatMatrix y = FloatMatrix.allocate(20, 2);
                DeepNetwork net = new DeepNetwork(k, cfg, new SplittableRandom(3));
                DeepNetwork same = new DeepNetwork(k, cfg, new SplittableRandom(3))) {
            SplittableRandom rng = new SplittableRandom(4);
            Gaussian.fill(x, rng, 1.0);
            Gaussian.fill(y, rng, 1.0);
            net.forward(x, y);
            double small = net.forward(x.rows(0, 7), y.rows(0, 7));
            assertEquals(same.forward(x.rows(0, 7), y.rows(0, 7)), small);
            assertEquals(7, net.predictions().rows());
            DeepReference ref = new DeepReference(net, x.rows(0, 7), y.rows(0, 7));
            assertEquals(ref.forward(), small, 4 * ref.lossErrorBound() + 1e-12);
        }
    }

    @Test
    void configurationErrorsNameTheProblem() {
        List<String> messages = new ArrayList<>();
        Runnable[] bad = {
            () -> config("6", "relu", false, "lecun", false, "sum", 4, 1, "-"),
            () -> config("6-0-1", "relu", false, "lecun", false, "sum", 4, 1, "-"),
            () -> config("6-4-1", "relu", false, "lecun/he/he", false, "sum", 4, 1, "-"),
            () -> config("6-4-1", "relu", false, "lecun", false, "sum", 4, 1, "3"),
            () -> config("6-4-1", "relu", false, "orthogonal", false, "sum", 4, 1, "-"),
            () -> config("6-4-1", "relu", false, "ntk:-1", false, "sum", 4, 1, "-"),
        };
        for (Runnable r : bad) {
            try {
                r.run();
                messages.add("no error");
            } catch (IllegalArgumentException e) {
                messages.add(e.getMessage());
            }
        }
        assertTrue(messages.get(0).contains("at least 2 widths"), messages.get(0));
        assertTrue(messages.get(1).contains("width n1 must be positive"), messages.get(1));
        assertTrue(messages.get(2).contains("3 weight inits for 2 layers"), messages.get(2));
        assertTrue(messages.get(3).contains("cannot freeze layer 3"), messages.get(3));
        assertTrue(messages.get(4).contains("unknown weight init 'orthogonal'"), messages.get(4));
        assertTrue(messages.get(5).contains("positive"), messages.get(5));
    }

    @Test
    void pyramidCheck() {
        assertNull(config("64-512-64-32-1", "relu", false, "lecun", false, "sum", 512, 1, "-")
                .pyramidViolation(512));
        String few = config("64-256-64-1", "relu", false, "lecun", false, "sum", 512, 1, "-")
                .pyramidViolation(512);
        assertTrue(few.contains("n1 = 256 < N = 512"), few);
        String up = config("6-3-9-2", "relu", false, "lecun", false, "sum", 3, 1, "-")
                .pyramidViolation(3);
        assertTrue(up.contains("n1 = 3 < n2 = 9") && !up.contains("< N"), up);
    }

    @Test
    void ntkFactorIsTheSquareRootOfCOverFanIn() {
        DeepNetwork.Config cfg = config("8-32-1", "relu", false, "ntk:2/lecun", false, "sum", 4, 1, "-");
        try (Kernels k = KernelProviders.open("scalar", 1);
                DeepNetwork net = new DeepNetwork(k, cfg, new SplittableRandom(1))) {
            assertEquals((float) Math.sqrt(2.0 / 8), net.layerScale(1));
            assertEquals(1f, net.layerScale(2));
        }
    }
}
