package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

class PredictionsTest {

    /**
     * The eigenbasis formula ‖r(k)‖² = Σᵢ (1 − ηλᵢ)^{2k} (vᵢᵀr(0))² against iterating u ← u − ηH∞(u − y) directly in
     * double. Both are exact for the linear recursion, so they agree to double rounding: k steps of an n-long
     * matrix-vector product, ≈ k·n·ε relative, bounded here by 1e-9.
     */
    @Test
    void trajectoryEqualsTheLinearisedSimulation() {
        int n = 30, d = 8;
        double eta = 0.4;
        SplittableRandom rng = new SplittableRandom(2);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, rng.split())) {
            Gram h = InfiniteWidthGram.ntk(k, data.x());
            NtkSpectrum spectrum = NtkSpectrum.of(h);
            assertTrue(eta < spectrum.stabilityLimit(), "η below 2/λ_max");
            double[] y = new double[n], u = new double[n], r0 = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = data.y().get(i, 0);
                u[i] = 0.3 * rng.nextGaussian();
                r0[i] = y[i] - u[i];
            }
            LinearisedTrajectory t = new LinearisedTrajectory(spectrum.values(), spectrum.coordinates(r0), eta);
            for (int step = 0; step <= 200; step++) {
                double r2 = 0;
                for (int i = 0; i < n; i++) {
                    r2 += (y[i] - u[i]) * (y[i] - u[i]);
                }
                assertEquals(r2, t.residualNormSquared(step), 1e-9 * r2 + 1e-300, "step " + step);
                double[] next = u.clone();
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += h.get(i, j) * (u[j] - y[j]);
                    }
                    next[i] -= eta * s;
                }
                u = next;
            }
        }
    }

    /**
     * yᵀK⁻¹y through the eigenbasis against Gaussian elimination of K z = y (double), the projections summing to
     * ‖y‖² (v orthonormal), and the measure's definition.
     */
    @Test
    void spectralFacts() {
        int n = 25, d = 6;
        SplittableRandom rng = new SplittableRandom(4);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, rng.split())) {
            Gram h = InfiniteWidthGram.ntk(k, data.x());
            NtkSpectrum s = NtkSpectrum.of(h);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = data.y().get(i, 0);
            }
            double[] z = solve(h.toArray(), y.clone(), n);
            double expected = InfiniteWidthGramTest.dot(y, z);
            // Relative error of both solves ≈ κ(K)·n·ε; κ(K) is λ_max/λ₀ here.
            double tol = 1e3 * n * Math.ulp(1.0) * s.lambdaMax() / s.lambdaMin() * expected;
            assertEquals(expected, s.inverseQuadratic(y), tol);
            double sum = 0;
            for (double p : s.projections(y)) {
                sum += p;
            }
            assertEquals(InfiniteWidthGramTest.dot(y, y), sum, 1e-10 * sum);
            assertEquals(Math.sqrt(2 * expected / n), s.generalisationMeasure(y), 1e-6 * Math.sqrt(2 * expected / n));
            assertEquals(
                    Math.pow(n, 6) / (Math.pow(s.lambdaMin(), 4) * 1e-3),
                    s.requiredWidth(0.1),
                    1e-9 * s.requiredWidth(0.1));
            assertEquals(2 / s.lambdaMax(), s.stabilityLimit(), 0);
        }
    }

    private static double[] solve(double[] a, double[] b, int n) {
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) {
                    p = r;
                }
            }
            for (int j = 0; j < n; j++) {
                double t = a[c * n + j];
                a[c * n + j] = a[p * n + j];
                a[p * n + j] = t;
            }
            double t = b[c];
            b[c] = b[p];
            b[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r * n + c] / a[c * n + c];
                for (int j = c; j < n; j++) {
                    a[r * n + j] -= f * a[c * n + j];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int j = r + 1; j < n; j++) {
                s -= a[r * n + j] * x[j];
            }
            x[r] = s / a[r * n + r];
        }
        return x;
    }

    /**
     * A real run (m ≫ n) keeps below Du et al.'s bound L(k) ≤ (1 − ηλ₀/2)^k L(0) computed with the run's own λ₀,
     * on every row; λ_min(H(k)) stays above λ₀/2 (the invariant of the proof); the weights stay within R′; at step 0
     * the predictions equal the measured loss (up to the float sum of the loss, ≈ √n·ε relative).
     */
    @Test
    void realRunStaysBelowDuBound() {
        int n = 12, d = 10, m = 4000;
        double eta = 0.5;
        long steps = 60;
        SplittableRandom root = new SplittableRandom(3);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, root.split())) {
            var cfg = new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, true);
            try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, root.split());
                    TwoLayerTheoryRun theory = new TwoLayerTheoryRun(k, data, cfg, eta, true, 5, 0.1);
                    Trainer t = new Trainer(k, net, data, new TrainSettings(eta, steps, n, 1, 1), theory.probes())) {
                List<String> cols = t.columns();
                int loss = cols.indexOf("loss"),
                        du = cols.indexOf("pred_du_bound"),
                        arora = cols.indexOf("pred_arora"),
                        lmin = cols.indexOf("lambda_min_H"),
                        dist = cols.indexOf("w_dist_max_row"),
                        radius = cols.indexOf("radius_R");
                List<double[]> rows = new ArrayList<>();
                t.run(r -> rows.add(r.values()));
                double lambda0 = theory.theory().lambda0();
                assertTrue(lambda0 > 0);
                assertTrue(eta < theory.theory().stabilityLimitEta());
                double[] first = rows.get(0);
                assertEquals(first[loss], first[du], 1e-5 * first[loss]);
                assertEquals(first[loss], first[arora], 1e-5 * first[loss]);
                int gramRows = 0;
                for (double[] row : rows) {
                    assertTrue(
                            row[loss] <= row[du] * (1 + 1e-5),
                            "step " + row[0] + ": loss " + row[loss] + " > bound " + row[du]);
                    assertTrue(
                            row[dist] <= row[radius],
                            "max_r ‖w_r(k) − w_r(0)‖ = " + row[dist] + " > R′ = " + row[radius]);
                    if (!Double.isNaN(row[lmin])) {
                        gramRows++;
                        assertTrue(row[lmin] >= lambda0 / 2, "λ_min(H(k)) = " + row[lmin] + " < λ₀/2 = " + lambda0 / 2);
                    }
                }
                assertEquals(steps / 5 + 1, gramRows, "λ_min(H(k)) every 5 steps");
                double[] last = rows.get(rows.size() - 1);
                assertTrue(last[loss] < 0.5 * first[loss], "the loss fell: " + first[loss] + " → " + last[loss]);
                Map<String, Object> s = theory.summary();
                assertEquals(lambda0, (Double) s.get("lambda_0"), 0);
                assertEquals(n, ((double[]) s.get("spectrum")).length);
                assertEquals(first[radius], (Double) s.get("radius_R"), 0);
            }
        }
    }

    /**
     * Training a as well adds κ²G∞ to the kernel. One step at small η with m ≫ n: the measured ‖y − u(1)‖² follows
     * the prediction with K = H∞ + κ²G∞ to within the finite-width fluctuation of the kernel (≈ 1/√m relative, times
     * 2η‖r‖²λ_max) and the nonlinear terms, while dropping κ²G∞ moves the prediction by 2η·rᵀκ²G∞r ≈ 1 % of ‖r‖²
     * here: the test asks for a gap below a fifth of that shift.
     */
    @Test
    void outputLayerTrainingAddsKappaSquaredArcCosineKernel() {
        int n = 8, d = 5, m = 40_000;
        double eta = 0.05, kappa = 0.7;
        SplittableRandom root = new SplittableRandom(12);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, root.split())) {
            var cfg = new TwoLayerNetwork.Config(d, m, n, kappa, true, LossKind.SUM, true);
            try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, root.split());
                    TwoLayerTheoryRun theory = new TwoLayerTheoryRun(k, data, cfg, eta, true, 0, 0.1);
                    Trainer t = new Trainer(k, net, data, new TrainSettings(eta, 1, n, 1, 1), theory.probes())) {
                List<double[]> rows = new ArrayList<>();
                t.run(r -> rows.add(r.values()));
                List<String> cols = t.columns();
                double measured = rows.get(1)[cols.indexOf("loss")],
                        predicted = rows.get(1)[cols.indexOf("pred_arora")];
                double loss0 = rows.get(0)[cols.indexOf("loss")];
                TwoLayerTheory withoutG = new TwoLayerTheory(k, data.x(), null, eta, LossKind.SUM, false, kappa);
                double predictedWithoutG =
                        0.5 * withoutG.trajectory(residual0(k, data, cfg)).residualNormSquared(1);
                double shift = Math.abs(predicted - predictedWithoutG);
                assertTrue(shift > 0.005 * loss0, "κ²G∞ matters here: shift " + shift + " of L(0) = " + loss0);
                assertTrue(
                        Math.abs(measured - predicted) < shift / 5,
                        "measured " + measured + ", predicted " + predicted + ", without κ²G∞ " + predictedWithoutG);
            }
        }
    }

    /** y − u(0) for the network the test's seed draws (the same stream: data first, then the weights). */
    private static double[] residual0(Kernels k, Dataset data, TwoLayerNetwork.Config cfg) {
        SplittableRandom root = new SplittableRandom(12);
        root.split();
        try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, root.split())) {
            net.forward(data.x(), data.y());
            double[] r = new double[data.n()];
            for (int i = 0; i < r.length; i++) {
                r[i] = data.y().get(i, 0) - net.predictions().get(i, 0);
            }
            return r;
        }
    }
}
