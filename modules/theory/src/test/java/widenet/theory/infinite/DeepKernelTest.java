package widenet.theory.infinite;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import widenet.model.DeepNetwork;
import widenet.model.Gaussian;
import widenet.model.LossKind;
import widenet.model.WeightInit;
import widenet.tensor.FloatMatrix;
import widenet.theory.EmpiricalNtk;

/**
 * {@link DeepKernel} against Monte-Carlo averages of widenet's own empirical NTK ({@link EmpiricalNtk}, K = JJᵀ) and
 * of the output covariance f(xᵢ)f(xⱼ) over independent networks (tolerances: {@link MonteCarlo}).
 */
class DeepKernelTest {
    static final int N = 5, D = 6, SAMPLES = 40;

    /** Widths like {@code 6-2m-m-1}: a number, or a multiple of m. */
    static int[] widths(String spec, int m) {
        return Arrays.stream(spec.split("-"))
                .mapToInt(s -> s.endsWith("m")
                        ? (s.length() == 1 ? m : (int) (Double.parseDouble(s.substring(0, s.length() - 1)) * m))
                        : Integer.parseInt(s))
                .toArray();
    }

    static DeepNetwork.Config config(
            String spec, int m, String activation, String init, boolean biases, String frozen, double outputScale) {
        Set<Integer> fz = new TreeSet<>();
        if (!frozen.equals("-")) {
            for (String s : frozen.split("/")) {
                fz.add(Integer.parseInt(s));
            }
        }
        List<WeightInit> inits = new ArrayList<>();
        for (String s : init.split("/")) {
            inits.add(WeightInit.parse(s));
        }
        return new DeepNetwork.Config(
                widths(spec, m), N, Activation.parse(activation, false), inits, outputScale, biases, LossKind.SUM, fz);
    }

    static FloatMatrix inputs(long seed) {
        FloatMatrix x = FloatMatrix.allocate(N, D);
        Gaussian.fill(x, new SplittableRandom(seed), 0.5); // norms ≈ 1.2 ± 0.4: not unit, on purpose
        return x;
    }

    /** {K, f fᵀ} of network r. */
    static double[][] draw(Kernels k, DeepNetwork.Config cfg, FloatMatrix x, long seed) {
        try (FloatMatrix y = FloatMatrix.allocate(N, 1);
                DeepNetwork net = new DeepNetwork(k, cfg, new SplittableRandom(seed))) {
            net.forward(x, y);
            double[] ntk = EmpiricalNtk.compute(k, net);
            double[] ff = new double[N * N];
            FloatMatrix f = net.predictions();
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    ff[i * N + j] = (double) f.get(i, 0) * f.get(j, 0);
                }
            }
            return new double[][] {ntk, ff};
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} biases={3} frozen={4} out={5}")
    @CsvSource({
        "6-m-m-1,        relu,                    he,       false, -,   1",
        "6-m-m-1,        leaky-relu:0.2,          lecun,    true,  -,   1",
        "6-m-m-1,        smooth-leaky-relu:0.1:4, ntk:2,    true,  -,   1",
        "6-2m-m-0.5m-1,  relu,                    xavier,   false, 1,   0.5",
        "6-m-m-1,        identity,                ntk:1,    false, -,   1",
        "6-m-1,          smooth-leaky-relu:0.2:2, lecun,    false, -,   1",
        "6-m-m-1,        relu,                    ntk:2/he/lecun, true, 2, 1",
    })
    void analyticKernelsMatchMonteCarloAveragesOfEmpiricalNtks(
            String spec, String activation, String init, boolean biases, String frozen, double outputScale) {
        int m = 512;
        DeepNetwork.Config cfg = config(spec, m, activation, init, biases, frozen, outputScale);
        DeepKernel kernel = new DeepKernel(cfg);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = inputs(11)) {
            double[][] analytic = kernel.compute(x, null, 2);
            double[][][] draws = new double[SAMPLES][][];
            for (int r = 0; r < SAMPLES; r++) {
                draws[r] = draw(k, cfg, x, 1000 + r);
            }
            MonteCarlo.of(N, SAMPLES, r -> draws[r][0]).assertMean(analytic[1], "NTK");
            MonteCarlo.of(N, SAMPLES, r -> draws[r][1]).assertMean(analytic[0], "NNGP");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "6-m-m-1,    relu,                    he",
        "6-m-m-1,    smooth-leaky-relu:0.1:4, ntk:2",
        "6-2m-m-1,   leaky-relu:0.1,          lecun",
    })
    void deviationFromTheLimitFallsLikeOneOverRootWidth(String spec, String activation, String init) {
        int m = 64, samples = 48;
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = inputs(12)) {
            double[][] e = new double[2][];
            for (int w = 0; w < 2; w++) {
                DeepNetwork.Config cfg = config(spec, w == 0 ? m : 4 * m, activation, init, false, "-", 1);
                double[] theta = new DeepKernel(cfg).ntk(x, null, 1);
                e[w] = MonteCarlo.relativeSquaredErrors(N, theta, samples, r -> draw(k, cfg, x, 5000 + r)[0]);
            }
            MonteCarlo.assertInverseSqrtRate(e[0], e[1]);
        }
    }

    @Test
    void crossKernelBlockEqualsTheJointKernelsBlockAndThreadsChangeNoBit() {
        DeepNetwork.Config cfg = config("6-m-m-1", 256, "smooth-leaky-relu:0.1:4", "he", true, "-", 1);
        DeepKernel kernel = new DeepKernel(cfg, 16);
        try (FloatMatrix x = inputs(3);
                FloatMatrix test = FloatMatrix.allocate(2, D);
                FloatMatrix joint = FloatMatrix.allocate(N + 2, D)) {
            Gaussian.fill(test, new SplittableRandom(4), 0.5);
            for (int i = 0; i < N + 2; i++) {
                for (int j = 0; j < D; j++) {
                    joint.set(i, j, i < N ? x.get(i, j) : test.get(i - N, j));
                }
            }
            double[] all = kernel.ntk(joint, null, 1);
            double[] cross = kernel.ntk(test, x, 1);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < N; j++) {
                    assertEquals(
                            all[(N + i) * (N + 2) + j],
                            cross[i * N + j],
                            0.0,
                            "test–train entry (" + i + "," + j + ")");
                }
            }
            assertTrue(Arrays.equals(all, kernel.ntk(joint, null, 3)), "3 threads gave different bits");
        }
    }
}
