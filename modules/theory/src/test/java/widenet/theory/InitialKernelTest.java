package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.theory.eigen.LanczosExtremes;
import widenet.train.Dataset;

/** {@link InitialKernel#lambdaMax}'s Lanczos ({@link LanczosExtremes#largest}) against the full eigen-decomposition, and the two-layer K(0) against {@link EmpiricalNtkGram}. */
class InitialKernelTest {

    @Test
    void lanczosFindsTheLargestEigenvalueOfTheFullSolve() {
        int n = 300, p = 40;
        SplittableRandom rng = new SplittableRandom(5);
        double[] a = new double[n * p];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() + (i % p == 0 ? 3 : 0); // a constant-ish mode, as NTKs have
        }
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < p; q++) {
                    s += a[i * p + q] * a[j * p + q];
                }
                k[i * n + j] = s;
            }
        }
        double full = SymmetricEigen.of(k, n, false).max();
        LanczosExtremes.Extremes e =
                LanczosExtremes.largest(k, n, 2, InitialKernel.LAMBDA_MAX_TOLERANCE, InitialKernel.LAMBDA_MAX_STEPS);
        double lanczos = e.max();
        assertTrue(e.iterations() < n, "stopped on its certificate (" + e.iterations() + " steps), not at n");
        assertTrue(e.maxError() <= InitialKernel.LAMBDA_MAX_TOLERANCE * lanczos, "certified: " + e.maxError());
        assertEquals(
                Double.doubleToLongBits(lanczos),
                Double.doubleToLongBits(LanczosExtremes.largest(
                                k, n, 2, InitialKernel.LAMBDA_MAX_TOLERANCE, InitialKernel.LAMBDA_MAX_STEPS)
                        .max()),
                "same thread count ⇒ same bits");
        // Both are backward stable: each is within ≈ n·ε·‖K‖ of the exact value; the Lanczos stop adds ≤ 1e-10
        // relative.
        double tol = 1e-10 * full + 10 * n * Math.ulp(full);
        assertEquals(full, lanczos, tol);
        assertTrue(lanczos <= full + 10 * n * Math.ulp(full), "Ritz values approach λ_max from below");
    }

    @Test
    void twoLayerInitialKernelIsDuEtAlsHAtStepZeroPlusGWhenATrains() {
        int n = 40, d = 10, m = 300;
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, new SplittableRandom(3))) {
            for (boolean trainA : new boolean[] {false, true}) {
                var cfg = new TwoLayerNetwork.Config(d, m, n, 1.0, trainA, LossKind.SUM, true);
                try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, new SplittableRandom(4));
                        EmpiricalNtkGram h = new EmpiricalNtkGram(k, data.x())) {
                    double[] got = InitialKernel.empirical(k, net, data.x(), data.y());
                    FloatMatrix hk = h.compute(net.activationMask());
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double expected = hk.get(i, j);
                            if (trainA) {
                                double g = 0;
                                for (int r = 0; r < m; r++) {
                                    double zi = 0, zj = 0;
                                    for (int c = 0; c < d; c++) {
                                        zi += (double) net.weights().get(r, c)
                                                * data.x().get(i, c);
                                        zj += (double) net.weights().get(r, c)
                                                * data.x().get(j, c);
                                    }
                                    g += Math.max(0, zi) * Math.max(0, zj);
                                }
                                expected += g / m;
                            }
                            // The float Gram H(k) (m-long 0/1 sums are exact; XXᵀ is a d-long float sum) and the float
                            // pre-activations w_rᵀx (d-long): a few √d·ε relative, times the entry's scale.
                            double tol = 20 * Math.sqrt(d) * 6e-8 * (1 + Math.abs(expected) + (trainA ? 2 : 0));
                            assertEquals(
                                    expected, got[i * n + j], tol, "K(0) entry (" + i + "," + j + ") trainA=" + trainA);
                        }
                    }
                }
            }
        }
    }

    @Test
    void autoStepIsCOverLambdaMaxInTheLossUnits() {
        assertEquals(0.5, InitialKernel.step(1, 2, LossKind.SUM, 10), 0);
        assertEquals(5.0, InitialKernel.step(1, 2, LossKind.MEAN, 10), 0);
        assertEquals(0.25, InitialKernel.step(0.5, 2, LossKind.SUM, 10), 0);
    }
}
