package widenet.theory.eigen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two-stage reduction A = Q T Qᵀ checked through its defining identities on awkward sizes (1, 2, 7, below,
 * at and across the band b and the panel steps, 257) and two bands (2L and 4L, L the vector length):
 * A(Qx) = Q(Tx) for random x, Q orthogonal (‖Qx‖ = ‖x‖, QᵀQx = x), and T's eigenvalues equal to those of the
 * one-stage reduction.
 *
 * <p>Tolerances, derived: both stages are products of O(n) reflectors (stage one: n − b of length ≤ n; stage two:
 * ≈ n²/(2b) of length ≤ b, but any one entry meets O(n) of them), each backward stable with error O(n)·ε per
 * application in its n-long dot products, adding in quadrature: the computed T is exactly similar to A + E with
 * ‖E‖₂ ≤ p(n)·ε·‖A‖₂, p(n) = 8n as in SymmetricEigenTest; ‖AQx − QTx‖ ≤ 2p(n)·ε·‖A‖₂‖x‖ (E plus the rounding of
 * applying Q once more); Weyl's inequality bounds the eigenvalue differences by the two reductions' p(n)·ε·‖A‖₂ each.
 * ‖A‖₂ is bounded by the Frobenius norm.
 */
class TwoStageTridiagonalTest {
    private static final double EPS = Math.ulp(1.0);
    private static final int[] SIZES = {1, 2, 3, 7, 16, 17, 33, 65, 100, 257};

    @Test
    void similarityAndOrthogonalityOnAwkwardSizes() {
        int l2 = 2 * DoubleKernels.L;
        for (int b : new int[] {l2, 2 * l2}) {
            for (int n : SIZES) {
                for (int threads = 1; threads <= (n >= 65 ? 2 : 1); threads++) {
                    check(randomSymmetric(n, 31L * n + b), n, b, threads);
                }
            }
        }
    }

    /** Large enough for the parallel product (m ≥ 256) and many panels, on an H∞-like PSD matrix of rank 40. */
    @Test
    void lowRankGramOnTwoThreadsIsDeterministic() {
        int n = 600;
        int d = 40;
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += x[i * d + k] * x[j * d + k];
                }
                g[i * n + j] = s;
            }
        }
        check(g, n, TwoStageTridiagonal.DEFAULT_BAND, 2);
        TwoStageTridiagonal a =
                TwoStageTridiagonal.reduceInPlace(g.clone(), n, 2, TwoStageTridiagonal.DEFAULT_BAND, false);
        TwoStageTridiagonal b =
                TwoStageTridiagonal.reduceInPlace(g.clone(), n, 2, TwoStageTridiagonal.DEFAULT_BAND, false);
        assertArrayEquals(a.diagonal(), b.diagonal(), 0.0, "same thread count ⇒ same bits");
        assertArrayEquals(a.offDiagonal(), b.offDiagonal(), 0.0, "same thread count ⇒ same bits");
    }

    private static void check(double[] a, int n, int b, int threads) {
        double norm = 0;
        for (double v : a) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double p = 8.0 * n;
        TwoStageTridiagonal two = TwoStageTridiagonal.reduceInPlace(a.clone(), n, threads, b, true);
        double[] d = two.diagonal();
        double[] e = two.offDiagonal();
        SplittableRandom rng = new SplittableRandom(n);
        for (int trial = 0; trial < 2; trial++) {
            double[] x = new double[n];
            double xx = 0;
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextGaussian();
                xx += x[i] * x[i];
            }
            double xn = Math.sqrt(xx);
            double[] qx = x.clone();
            two.apply(qx);
            double[] tx = new double[n];
            for (int i = 0; i < n; i++) {
                tx[i] = d[i] * x[i] + (i > 0 ? e[i - 1] * x[i - 1] : 0) + (i + 1 < n ? e[i] * x[i + 1] : 0);
            }
            two.apply(tx);
            double res = 0, qq = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a[i * n + j] * qx[j];
                }
                res += (s - tx[i]) * (s - tx[i]);
                qq += qx[i] * qx[i];
            }
            String at = "n = " + n + ", b = " + b + ", threads = " + threads;
            assertTrue(Math.sqrt(res) <= 2 * p * EPS * norm * xn, "‖AQx − QTx‖ = " + Math.sqrt(res) + " (" + at + ")");
            assertEquals(xn, Math.sqrt(qq), p * EPS * xn, "‖Qx‖ = ‖x‖ (" + at + ")");
            two.applyTranspose(qx);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i], qx[i], 2 * p * EPS * xn, "QᵀQx = x (" + at + ")");
            }
        }
        double[] want = TridiagonalQl.solve(
                HouseholderTridiagonal.reduceInPlace(a.clone(), n, 1).diagonal(),
                HouseholderTridiagonal.reduceInPlace(a.clone(), n, 1).offDiagonal());
        double[] got = TridiagonalQl.solve(d, e);
        assertArrayEquals(want, got, 2 * p * EPS * norm, "spectrum, n = " + n + ", b = " + b);
    }

    static double[] randomSymmetric(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = a[j * n + i] = rng.nextGaussian();
            }
        }
        return a;
    }
}
