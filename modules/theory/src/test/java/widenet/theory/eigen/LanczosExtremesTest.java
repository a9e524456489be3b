package widenet.theory.eigen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Lanczos extremes against the full decomposition: each extreme within its certified error plus the reference's own
 * rounding (8n·ε·‖A‖, as in SymmetricEigenTest), the certified errors within the tolerance asked, on tiny sizes
 * (where n steps make T similar to A), a random matrix and an H∞-like PSD Gram with a small λ_min.
 */
class LanczosExtremesTest {
    private static final double EPS = Math.ulp(1.0);

    @Test
    void matchesTheFullSpectrum() {
        for (int n : new int[] {1, 2, 3, 7, 65, 300}) {
            check(TwoStageTridiagonalTest.randomSymmetric(n, 5 + n), n, 1);
        }
        int n = 400;
        int d = 30;
        SplittableRandom rng = new SplittableRandom(4);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() / Math.sqrt(d);
        }
        double[] h = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, ni = 0, nj = 0;
                for (int k = 0; k < d; k++) {
                    s += x[i * d + k] * x[j * d + k];
                    ni += x[i * d + k] * x[i * d + k];
                    nj += x[j * d + k] * x[j * d + k];
                }
                double c = Math.max(-1, Math.min(1, s / Math.sqrt(ni * nj)));
                h[i * n + j] = s * (Math.PI - Math.acos(c)) / (2 * Math.PI);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                h[i * n + j] = h[j * n + i];
            }
        }
        check(h, n, 2);
    }

    private static void check(double[] a, int n, int threads) {
        double tol = 1e-10;
        LanczosExtremes.Extremes e = LanczosExtremes.of(a, n, threads, tol, 2000);
        double[] ref = TridiagonalQl.solve(
                HouseholderTridiagonal.reduceInPlace(a.clone(), n, 1).diagonal(),
                HouseholderTridiagonal.reduceInPlace(a.clone(), n, 1).offDiagonal());
        double norm = Math.max(Math.abs(ref[0]), Math.abs(ref[n - 1]));
        double rounding = 8 * n * EPS * norm;
        String at = "n = " + n + " after " + e.iterations() + " steps";
        assertTrue(
                e.minError() <= tol * norm * 1.01 && e.maxError() <= tol * norm * 1.01,
                "certified to the tolerance, " + at);
        assertEquals(ref[0], e.min(), e.minError() + rounding, "λ_min, " + at);
        assertEquals(ref[n - 1], e.max(), e.maxError() + rounding, "λ_max, " + at);
        LanczosExtremes.Extremes again = LanczosExtremes.of(a, n, threads, tol, 2000);
        assertEquals(e, again, "same thread count ⇒ same bits");
    }
}
