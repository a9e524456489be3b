package widenet.theory.infinite;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.Gaussian;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.tensor.FloatMatrix;
import widenet.theory.EmpiricalImplicitNtk;
import widenet.theory.FeatureGram;

/**
 * {@link ImplicitKernel} (the equilibrium fixed point, our derivation) against Monte-Carlo averages of the implicit
 * network's empirical H(0) = JJᵀ ({@link EmpiricalImplicitNtk}) and of ŷŷᵀ and ΦΦᵀ over independent networks, with
 * the tolerances of {@link MonteCarlo}.
 */
class ImplicitKernelTest {
    static final int N = 5, D = 6;

    static ImplicitNetwork.Config config(
            int m, double gamma, boolean phiRelu, String scale, boolean skip, String frozen) {
        Set<String> fz = frozen.equals("-") ? Set.of() : Set.of(frozen.split("/"));
        return new ImplicitNetwork.Config(
                D,
                m,
                N,
                gamma,
                phiRelu,
                scale.equals("m") ? ImplicitNetwork.FeatureScale.SQRT_M : ImplicitNetwork.FeatureScale.SQRT_D,
                skip,
                ImplicitNetwork.OutputInit.GAUSSIAN,
                1.0,
                LossKind.SUM,
                fz,
                new ImplicitNetwork.Solver(1e-6, 500),
                false,
                1);
    }

    static FloatMatrix inputs() {
        FloatMatrix x = FloatMatrix.allocate(N, D);
        Gaussian.fill(x, new SplittableRandom(21), 0.45);
        return x;
    }

    /** {H, ŷŷᵀ, ΦΦᵀ} of one network. */
    static double[][] draw(Kernels k, ImplicitNetwork.Config cfg, FloatMatrix x, long seed) {
        try (FloatMatrix y = FloatMatrix.allocate(N, 1);
                ImplicitNetwork net = new ImplicitNetwork(k, cfg, new SplittableRandom(seed))) {
            net.forward(x, y);
            double[] h = EmpiricalImplicitNtk.compute(k, net, x);
            double[] yy = new double[N * N];
            FloatMatrix f = net.predictions();
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    yy[i * N + j] = (double) f.get(i, 0) * f.get(j, 0);
                }
            }
            return new double[][] {h, yy, FeatureGram.rows(net.features())};
        }
    }

    @ParameterizedTest(name = "γ={0} scale=1/√{1} skip={2} frozen={3}")
    @CsvSource({
        "0.2,  d, false, -",
        "0.4,  d, true,  -",
        "0.3,  m, true,  u",
        "0.48, d, false, A/u",
    })
    void equilibriumKernelMatchesMonteCarloAveragesOfEmpiricalH(
            double gamma, String scale, boolean skip, String frozen) {
        int m = 512, samples = 32;
        ImplicitNetwork.Config cfg = config(m, gamma, false, scale, skip, frozen);
        ImplicitKernel kernel = new ImplicitKernel(cfg);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = inputs()) {
            double[][] analytic = kernel.compute(x, null, 1);
            double[][][] draws = new double[samples][][];
            for (int r = 0; r < samples; r++) {
                draws[r] = draw(k, cfg, x, 300 + r);
            }
            MonteCarlo.of(N, samples, r -> draws[r][0]).assertMean(analytic[1], "H");
            MonteCarlo.of(N, samples, r -> draws[r][1]).assertMean(analytic[0], "NNGP");
            MonteCarlo.of(N, samples, r -> draws[r][2]).assertMean(kernel.featureGram(x, null, 1), "ΦΦᵀ");
        }
    }

    @ParameterizedTest(name = "γ={0}")
    @CsvSource({"0.45"})
    void deviationFromTheLimitFallsLikeOneOverRootWidth(double gamma) {
        int m = 96, samples = 48;
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = inputs()) {
            double[][] e = new double[2][];
            for (int w = 0; w < 2; w++) {
                ImplicitNetwork.Config cfg = config(w == 0 ? m : 4 * m, gamma, false, "d", true, "-");
                double[] theta = new ImplicitKernel(cfg).ntk(x, null, 1);
                e[w] = MonteCarlo.relativeSquaredErrors(N, theta, samples, r -> draw(k, cfg, x, 900 + r)[0]);
            }
            MonteCarlo.assertInverseSqrtRate(e[0], e[1]);
        }
    }

    @ParameterizedTest(name = "paper's φ = relu(Wx)/√m")
    @CsvSource({"0.1"})
    void reluFeatureMapGivesGaoGramOnlyAndRefusesTheFullH(double gamma) {
        int m = 512, samples = 40;
        ImplicitNetwork.Config cfg = config(m, gamma, true, "m", true, "-");
        ImplicitKernel kernel = new ImplicitKernel(cfg);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = inputs()) {
            MonteCarlo.of(N, samples, r -> draw(k, cfg, x, 70 + r)[2])
                    .assertMean(kernel.featureGram(x, null, 1), "G = ΦΦᵀ");
            assertThrows(UnsupportedOperationException.class, () -> kernel.ntk(x, null, 1));
        }
    }
}
