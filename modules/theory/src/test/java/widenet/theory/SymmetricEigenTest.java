package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.tensor.FloatMatrix;

class SymmetricEigenTest {

    @Test
    void knownSpectrum() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        SymmetricEigen e = SymmetricEigen.of(new double[] {2, 1, 1, 2}, 2, true);
        assertArrayEquals(new double[] {1, 3}, e.values(), 1e-12);
        double[] v = e.vector(1);
        assertEquals(1 / Math.sqrt(2), Math.abs(v[0]), 1e-12);
        assertEquals(v[0], v[1], 1e-12);
    }

    /** A·vᵢ = λᵢ·vᵢ and Σλᵢ = trace(A) for a random symmetric matrix, within double rounding (∝ n·ε·‖A‖). */
    @Test
    void eigenpairsSatisfyTheDefinition() {
        int n = 57;
        SplittableRandom rng = new SplittableRandom(3);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = a[j * n + i] = rng.nextGaussian();
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a, n, true);
        double trace = 0, sum = 0, norm = Math.abs(e.min()) + Math.abs(e.max());
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i];
            sum += e.value(i);
            if (i > 0) {
                assertEquals(true, e.value(i) >= e.value(i - 1), "ascending");
            }
            double[] v = e.vector(i);
            for (int r = 0; r < n; r++) {
                double av = 0;
                for (int c = 0; c < n; c++) {
                    av += a[r * n + c] * v[c];
                }
                assertEquals(e.value(i) * v[r], av, 1e3 * n * Math.ulp(norm));
            }
        }
        assertEquals(trace, sum, 1e3 * n * Math.ulp(norm));
        SymmetricEigen valuesOnly = SymmetricEigen.of(a, n, false);
        assertArrayEquals(e.values(), valuesOnly.values(), 1e3 * n * Math.ulp(norm));
    }

    @Test
    void rejectsNonSquareAndNonFinite() {
        try (FloatMatrix m = FloatMatrix.allocate(2, 3)) {
            assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(m, false));
        }
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, Double.NaN, Double.NaN, 1}, 2, false));
    }
}
