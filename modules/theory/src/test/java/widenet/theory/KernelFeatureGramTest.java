package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

class KernelFeatureGramTest {

    /**
     * λ_min and λ_max of F Fᵀ against the same Gram built in double. Tolerance: Weyl's inequality with the float
     * Gram's entry errors ≤ γ_m Σ_k |F_ik F_jk| (worst-case m-term sum, γ_m = mu/(1−mu), u = 2⁻²⁴), summed in Frobenius.
     */
    @Test
    void extremeEigenvaluesMatchTheDoubleGram() {
        int b = 23, m = 61;
        SplittableRandom rng = new SplittableRandom(5);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix f = FloatMatrix.allocate(b, m);
                KernelFeatureGram gram = new KernelFeatureGram(k, 30)) {
            double[] g = new double[b * b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < m; j++) {
                    f.set(i, j, (float) Math.max(0, rng.nextGaussian())); // non-negative, like ReLU features
                }
            }
            double u = Math.ulp(1f) / 2, gammaM = m * u / (1 - m * u), err2 = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double s = 0, abs = 0;
                    for (int c = 0; c < m; c++) {
                        s += (double) f.get(i, c) * f.get(j, c);
                        abs += Math.abs((double) f.get(i, c) * f.get(j, c));
                    }
                    g[i * b + j] = s;
                    err2 += Math.pow(gammaM * abs, 2);
                }
            }
            SymmetricEigen exact = SymmetricEigen.of(g, b, false);
            SymmetricEigen got = gram.spectrum(f);
            double tol = Math.sqrt(err2) + 1e-12 * exact.max();
            assertEquals(exact.min(), gram.minEigenvalue(f), tol);
            assertEquals(exact.max(), got.max(), tol);
            assertEquals(b, got.size());
            assertThrows(IllegalArgumentException.class, () -> gram.compute(FloatMatrix.allocate(31, m)));
        }
    }
}
