package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import widenet.tensor.FloatMatrix;
import widenet.theory.eigen.TridiagonalForm;

/**
 * The eigensolver against a cyclic Jacobi reference on awkward sizes (below, at and across the panel width 32, the
 * unblocked crossover 128 and the parallel threshold 384) and on awkward spectra (repeated, zero, graded).
 *
 * <p>Tolerances, derived: Householder reduction and QL are backward stable, the computed spectrum is exact for
 * A + E with ‖E‖₂ ≤ p(n)·ε·‖A‖₂, so by Weyl |λ̂ᵢ − λᵢ| ≤ p(n)·ε·‖A‖₂; the error analysis gives p(n) = O(n) for the
 * reduction (a product of n − 1 reflectors, each exact to O(n)·ε in its n-long dot products would give O(n²), but
 * rounding errors add in quadrature, ≈ n) — we take p(n) = 8n, and the Jacobi reference carries its own O(n)·ε.
 * Residuals ‖Av − λv‖₂ obey the same p(n)·ε·‖A‖₂; orthogonality |vᵢᵀvⱼ| ≤ p(n)·ε·‖A‖₂ / gap (Davis–Kahan), checked
 * only where the gap is at least 10⁻³‖A‖.
 */
class SymmetricEigenTest {
    private static final double EPS = Math.ulp(1.0);

    @Test
    void knownSpectrum() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        SymmetricEigen e = SymmetricEigen.of(new double[] {2, 1, 1, 2}, 2, true);
        assertArrayEquals(new double[] {1, 3}, e.values(), 1e-12);
        double[] v = e.vector(1);
        assertEquals(1 / Math.sqrt(2), Math.abs(v[0]), 1e-12);
        assertEquals(v[0], v[1], 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 31, 32, 33, 63, 65, 129, 161, 257})
    void matchesJacobiOnRandomMatrices(int n) {
        double[] a = randomSymmetric(n, 11 + n);
        for (int threads : new int[] {1, 2}) {
            SymmetricEigen e = SymmetricEigen.of(a, n, true, threads);
            checkAgainstReference(a, n, e);
            checkEigenpairs(a, n, e);
        }
    }

    @Test
    void repeatedZeroAndGradedSpectra() {
        int n = 150;
        double[] identity = new double[n * n];
        double[] zero = new double[n * n];
        double[] graded = new double[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
            graded[i * n + i] = Math.pow(10, -i / 15.0);
        }
        // A rotated diag(1, 1, …, 2, 2, …): exact multiplicity n/2 twice.
        double[] q = randomOrthogonal(n, 5);
        double[] clustered = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * (k < n / 2 ? 1 : 2) * q[j * n + k];
                }
                clustered[i * n + j] = s;
            }
        }
        symmetrise(clustered, n);
        for (double[] a : new double[][] {identity, zero, graded, clustered}) {
            SymmetricEigen e = SymmetricEigen.of(a, n, true, 2);
            checkAgainstReference(a, n, e);
            checkEigenpairs(a, n, e);
        }
    }

    /** The blocked path with the parallel symmetric products (n > 384), on an H∞-like PSD matrix. */
    @Test
    void parallelBlockedReductionOnAGram() {
        int n = 450;
        SplittableRandom rng = new SplittableRandom(9);
        int d = 40;
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
        SymmetricEigen one = SymmetricEigen.of(g, n, true, 1);
        SymmetricEigen two = SymmetricEigen.of(g, n, true, 2);
        SymmetricEigen twoAgain = SymmetricEigen.of(g, n, true, 2);
        assertArrayEquals(two.values(), twoAgain.values(), 0.0, "same thread count ⇒ same bits");
        double norm = Math.max(Math.abs(one.min()), Math.abs(one.max()));
        assertArrayEquals(one.values(), two.values(), 2 * 8 * n * EPS * norm);
        // Rank d: n − d eigenvalues are 0 up to rounding.
        for (int i = 0; i < n - d; i++) {
            assertEquals(0, two.value(i), 8 * n * EPS * norm);
        }
        checkEigenpairs(g, n, two);
    }

    /**
     * Above {@link TridiagonalForm#TWO_STAGE_MIN} the two-stage reduction serves: eigenpairs (residual, orthogonality),
     * projections (Parseval) and the same bits for the same thread count, on a graded random matrix.
     */
    @Test
    void twoStagePathGivesEigenpairsAndProjections() {
        int n = TridiagonalForm.TWO_STAGE_MIN + 9;
        double[] a = randomSymmetric(n, 21);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += 0.05 * i; // spread the spectrum so that the eigenvectors are well defined
        }
        SymmetricEigen one = SymmetricEigen.of(a, n, true, 1);
        SymmetricEigen two = SymmetricEigen.of(a, n, true, 2);
        assertArrayEquals(
                two.values(), SymmetricEigen.of(a, n, true, 2).values(), 0.0, "same thread count ⇒ same bits");
        double norm = Math.max(Math.abs(one.min()), Math.abs(one.max()));
        assertArrayEquals(one.values(), two.values(), 2 * 8 * n * EPS * norm);
        checkEigenpairs(a, n, two);
        double[] y = new double[n];
        SplittableRandom rng = new SplittableRandom(2);
        double yy = 0;
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian();
            yy += y[i] * y[i];
        }
        double[] c = two.project(y);
        double cc = 0;
        for (double v : c) {
            cc += v * v;
        }
        assertEquals(yy, cc, 8 * n * EPS * yy, "Parseval: Q₁, Q₂ and Z are orthogonal");
        double[] v0 = two.vector(0);
        double dot = 0;
        for (int r = 0; r < n; r++) {
            dot += v0[r] * y[r];
        }
        assertEquals(Math.abs(dot), Math.abs(c[0]), 8 * n * EPS * Math.sqrt(yy) * 1e3);
    }

    @Test
    void projectionsAreCoordinatesInTheEigenbasis() {
        int n = 97;
        double[] a = randomSymmetric(n, 4);
        SymmetricEigen e = SymmetricEigen.of(a, n, true);
        double[] y = new double[n];
        SplittableRandom rng = new SplittableRandom(8);
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian();
        }
        double[] c = e.project(y);
        double yy = 0, cc = 0;
        for (int i = 0; i < n; i++) {
            yy += y[i] * y[i];
            cc += c[i] * c[i];
        }
        assertEquals(yy, cc, 8 * n * EPS * yy, "Parseval: Q and Z are orthogonal");
        for (int i = 0; i < n; i += 7) {
            double[] v = e.vector(i);
            double dot = 0;
            for (int r = 0; r < n; r++) {
                dot += v[r] * y[r];
            }
            // vᵢ from inverse iteration has an arbitrary sign.
            assertEquals(Math.abs(dot), Math.abs(c[i]), 8 * n * EPS * Math.sqrt(yy) * 1e3);
        }
        assertArrayEquals(c, e.project(y), 0.0, "a repeated question gets the same answer");
    }

    @Test
    void rejectsNonSquareAndNonFinite() {
        try (FloatMatrix m = FloatMatrix.allocate(2, 3)) {
            assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(m, false));
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[] {1, Double.NaN, Double.NaN, 1}, 2, false));
        assertThrows(
                IllegalStateException.class,
                () -> SymmetricEigen.of(new double[] {1}, 1, false).project(new double[] {1}));
    }

    private static void checkAgainstReference(double[] a, int n, SymmetricEigen e) {
        double[] ref = jacobiEigenvalues(a, n);
        double norm = Math.max(Math.abs(ref[0]), Math.abs(ref[n - 1]));
        double tol = 8 * n * EPS * Math.max(norm, Double.MIN_NORMAL);
        double[] got = e.values();
        for (int i = 0; i < n; i++) {
            assertEquals(ref[i], got[i], tol, "eigenvalue " + i + " of " + n);
            if (i > 0) {
                assertTrue(got[i] >= got[i - 1], "ascending");
            }
        }
    }

    private static void checkEigenpairs(double[] a, int n, SymmetricEigen e) {
        double norm = Math.max(Math.abs(e.min()), Math.abs(e.max()));
        double tol = 8 * n * EPS * Math.max(norm, Double.MIN_NORMAL);
        double[][] vs = new double[n][];
        int step = Math.max(1, n / 12);
        for (int i = 0; i < n; i += step) {
            double[] v = vs[i] = e.vector(i);
            double res = 0, len = 0;
            for (int r = 0; r < n; r++) {
                double av = 0;
                for (int c = 0; c < n; c++) {
                    av += a[r * n + c] * v[c];
                }
                res += (av - e.value(i) * v[r]) * (av - e.value(i) * v[r]);
                len += v[r] * v[r];
            }
            assertEquals(1, len, 8 * n * EPS, "unit length");
            assertTrue(
                    Math.sqrt(res) <= tol, "residual ‖Av − λv‖ = " + Math.sqrt(res) + " > " + tol + " (n = " + n + ")");
        }
        for (int i = 0; i < n; i += step) {
            for (int j = i + step; j < n; j += step) {
                double gap = Math.abs(e.value(i) - e.value(j));
                if (gap < 1e-3 * norm) {
                    continue;
                }
                double dot = 0;
                for (int r = 0; r < n; r++) {
                    dot += vs[i][r] * vs[j][r];
                }
                assertTrue(Math.abs(dot) <= 2 * tol / gap, "orthogonality " + dot + " (gap " + gap + ")");
            }
        }
    }

    /** Cyclic Jacobi: slow, simple, accurate to O(n)·ε·‖A‖. */
    static double[] jacobiEigenvalues(double[] a0, int n) {
        double[] a = a0.clone();
        double previous = Double.POSITIVE_INFINITY;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i * n + j] * a[i * n + j];
                    if (i != j) {
                        off += a[i * n + j] * a[i * n + j];
                    }
                }
            }
            // Converged once the off-diagonal mass is at rounding level or stops shrinking (quadratic convergence
            // makes the last useful sweep drop it by many orders).
            if (off <= 1e-28 * total || off == 0 || (sweep > 5 && off > 0.5 * previous)) {
                break;
            }
            previous = off;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i * n + i];
        }
        Arrays.sort(d);
        return d;
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

    private static double[] randomOrthogonal(int n, long seed) {
        double[] q = randomSymmetric(n, seed);
        // Gram–Schmidt on the rows, twice for orthogonality to rounding.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    double dot = 0;
                    for (int k = 0; k < n; k++) {
                        dot += q[i * n + k] * q[j * n + k];
                    }
                    for (int k = 0; k < n; k++) {
                        q[i * n + k] -= dot * q[j * n + k];
                    }
                }
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * q[i * n + k];
                }
                s = 1 / Math.sqrt(s);
                for (int k = 0; k < n; k++) {
                    q[i * n + k] *= s;
                }
            }
        }
        return q;
    }

    private static void symmetrise(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = a[j * n + i] = s;
            }
        }
    }
}
