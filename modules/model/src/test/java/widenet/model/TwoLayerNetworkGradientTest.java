package widenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/**
 * The analytic gradient of {@link TwoLayerNetwork} (computed in float through the kernels) against central
 * finite differences of the loss evaluated in double precision.
 *
 * <p>Tolerance, derived: the float gradient ĝ_rj = Σᵢ Ĝ_ir xᵢⱼ differs from the exact one by the rounding of the
 * n-long sum, ≤ √n·ε·Σᵢ|G_ir xᵢⱼ|, plus what the residual's error δrᵢ carries through, (c/√m)Σᵢ S_ir|δrᵢ||xᵢⱼ|, with
 * δrᵢ ≤ ε(|uᵢ| + |yᵢ|) + (1/√m)Σ_r |a_r| √d·ε·Σⱼ|w_rj xᵢⱼ| (the d-long dot products of the forward GEMM and the m-long
 * output sum). √k·ε is the standard deviation of a k-term random-rounding sum; the factor 4 below covers the tail for
 * these few hundred comparisons. The finite difference in double (h = 1e-6) adds ≈ 1e-9, negligible.
 */
class TwoLayerNetworkGradientTest {
    static final double EPS = Math.ulp(1f) / 2; // 2⁻²⁴, unit roundoff of float

    @ParameterizedTest(name = "n={0} d={1} m={2} loss={3} relu'(0)={4} trainA={5}")
    @CsvSource({
        "7, 5, 17, sum, true, false",
        "7, 5, 17, sum, false, true",
        "13, 9, 33, mean, true, true",
        "13, 9, 33, mean, false, false",
        "1, 3, 8, sum, true, true",
        "20, 16, 65, sum, true, true",
    })
    void analyticGradientMatchesFiniteDifferences(
            int n, int d, int m, String loss, boolean gradAtZero, boolean trainA) {
        SplittableRandom rng = new SplittableRandom(1234 + n * 31L + m);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(n, d);
                FloatMatrix y = FloatMatrix.allocate(n, 1)) {
            Gaussian.fill(x, rng, 1.0);
            Gaussian.fill(y, rng, 1.0);
            var config = new TwoLayerNetwork.Config(d, m, n, 1.0, trainA, LossKind.parse(loss), gradAtZero);
            try (TwoLayerNetwork net = new TwoLayerNetwork(k, config, rng)) {
                double lossF = net.forward(x, y);
                net.backward();
                Reference ref = new Reference(net, x, y);
                assertEquals(ref.loss(), lossF, 1e-5 * Math.max(1, ref.loss()), "loss");
                double h = 1e-6;
                for (int r = 0; r < m; r++) {
                    for (int j = 0; j < d; j++) {
                        double saved = ref.w[r][j];
                        ref.w[r][j] = saved + h;
                        double lp = ref.loss();
                        ref.w[r][j] = saved - h;
                        double lm = ref.loss();
                        ref.w[r][j] = saved;
                        double fd = (lp - lm) / (2 * h);
                        double got = net.parameters().get(0).gradient().get(r, j);
                        double tol = 4 * ref.gradWErrorBound(r, j) + 1e-8;
                        assertTrue(
                                Math.abs(got - fd) <= tol,
                                "dL/dW[" + r + "][" + j + "]: analytic " + got + ", finite difference " + fd
                                        + ", tolerance " + tol);
                    }
                }
                if (trainA) {
                    for (int r = 0; r < m; r++) {
                        double saved = ref.a[r];
                        ref.a[r] = saved + h;
                        double lp = ref.loss();
                        ref.a[r] = saved - h;
                        double lm = ref.loss();
                        ref.a[r] = saved;
                        double fd = (lp - lm) / (2 * h);
                        double got = net.parameters().get(1).gradient().get(r, 0);
                        double tol = 4 * ref.gradAErrorBound(r) + 1e-8;
                        assertTrue(
                                Math.abs(got - fd) <= tol,
                                "dL/da[" + r + "]: analytic " + got + ", finite difference " + fd + ", tolerance "
                                        + tol);
                    }
                }
            }
        }
    }

    /** At w_rᵀxᵢ = 0 exactly the convention decides: ReLU′(0) = 1 lets the gradient through, 0 blocks it. */
    @ParameterizedTest(name = "relu'(0)={0}")
    @CsvSource({"true", "false"})
    void reluDerivativeAtZeroFollowsTheConvention(boolean gradAtZero) {
        int n = 6, d = 4, m = 9;
        SplittableRandom rng = new SplittableRandom(99);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(n, d);
                FloatMatrix y = FloatMatrix.allocate(n, 1)) {
            Gaussian.fill(x, rng, 1.0);
            Gaussian.fill(y, rng, 1.0);
            var config = new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, gradAtZero);
            try (TwoLayerNetwork net = new TwoLayerNetwork(k, config, rng)) {
                for (int j = 0; j < d; j++) {
                    net.weights().set(0, j, 0f); // neuron 0 sits exactly on every kink
                }
                net.forward(x, y);
                net.backward();
                Reference ref = new Reference(net, x, y);
                for (int j = 0; j < d; j++) {
                    double expected = ref.analyticGradW(0, j, gradAtZero);
                    double got = net.parameters().get(0).gradient().get(0, j);
                    assertEquals(expected, got, 4 * ref.gradWErrorBound(0, j) + 1e-7, "dL/dw_0[" + j + "]");
                    if (gradAtZero) {
                        assertTrue(Math.abs(got) > 1e-4, "gradient flows through the kink with ReLU'(0) = 1");
                    } else {
                        assertEquals(0.0, got, "no gradient through the kink with ReLU'(0) = 0");
                    }
                }
            }
        }
    }

    /** The loss and gradient error bounds in double precision, from the network's current float weights. */
    static final class Reference {
        final int n, d, m;
        final double[][] x, w;
        final double[] y, a;
        final double c;

        Reference(TwoLayerNetwork net, FloatMatrix xs, FloatMatrix ys) {
            n = xs.rows();
            d = xs.cols();
            m = net.config().width();
            x = new double[n][d];
            w = new double[m][d];
            y = new double[n];
            a = new double[m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = xs.get(i, j);
                }
                y[i] = ys.get(i, 0);
            }
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < d; j++) {
                    w[r][j] = net.weights().get(r, j);
                }
                a[r] = net.outputWeights().get(r, 0);
            }
            c = net.config().loss() == LossKind.SUM ? 1.0 : 1.0 / n;
        }

        double z(int i, int r) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += w[r][j] * x[i][j];
            }
            return s;
        }

        double u(int i) {
            double s = 0;
            for (int r = 0; r < m; r++) {
                s += a[r] * Math.max(0, z(i, r));
            }
            return s / Math.sqrt(m);
        }

        double loss() {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double r = u(i) - y[i];
                s += r * r;
            }
            return 0.5 * c * s;
        }

        double analyticGradW(int r, int j, boolean gradAtZero) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double zi = z(i, r);
                double mask = zi > 0 || (gradAtZero && zi == 0) ? 1 : 0;
                s += (u(i) - y[i]) * mask * x[i][j];
            }
            return c * a[r] * s / Math.sqrt(m);
        }

        /** Bound on |δrᵢ|: rounding of the forward pass (d-long dots, m-long output sum, the subtraction). */
        double residualError(int i) {
            double hidden = 0, dots = 0;
            for (int r = 0; r < m; r++) {
                double abs = 0;
                for (int j = 0; j < d; j++) {
                    abs += Math.abs(w[r][j] * x[i][j]);
                }
                dots += Math.abs(a[r]) * Math.sqrt(d) * EPS * abs;
                hidden += Math.abs(a[r] * Math.max(0, z(i, r)));
            }
            return (dots + Math.sqrt(m) * EPS * hidden) / Math.sqrt(m) + EPS * (Math.abs(u(i)) + Math.abs(y[i]));
        }

        double gradWErrorBound(int r, int j) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double ri = u(i) - y[i];
                s += (residualError(i) + Math.sqrt(n) * EPS * Math.abs(ri)) * Math.abs(x[i][j]);
            }
            return c * Math.abs(a[r]) * s / Math.sqrt(m);
        }

        double gradAErrorBound(int r) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double h = Math.max(0, z(i, r));
                double hErr = Math.sqrt(d) * EPS * sumAbs(i, r);
                s += residualError(i) * h + Math.abs(u(i) - y[i]) * (hErr + Math.sqrt(n) * EPS * h);
            }
            return c * s / Math.sqrt(m);
        }

        double sumAbs(int i, int r) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += Math.abs(w[r][j] * x[i][j]);
            }
            return s;
        }
    }
}
