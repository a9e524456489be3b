package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import widenet.kernel.KernelProvider;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

class InfiniteWidthGramTest {

    static Stream<String> providers() {
        return KernelProviders.all().stream()
                .filter(KernelProvider::isAvailable)
                .map(KernelProvider::name);
    }

    /** Points with a spread of angles, including a nearly parallel pair and an obtuse one, and norms ≠ 1. */
    static FloatMatrix points(int n, int d, SplittableRandom rng, boolean unit) {
        FloatMatrix x = FloatMatrix.allocate(n, d);
        for (int i = 0; i < n; i++) {
            double norm2 = 0;
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextGaussian();
                norm2 += row[j] * row[j];
            }
            double scale = unit ? 1 / Math.sqrt(norm2) : (0.5 + rng.nextDouble()) / Math.sqrt(norm2);
            for (int j = 0; j < d; j++) {
                x.set(i, j, (float) (row[j] * scale));
            }
        }
        // Row 1 nearly parallel to row 0, row 2 nearly opposite to it.
        for (int j = 0; j < d; j++) {
            x.set(1, j, 0.9f * x.get(0, j) + 0.05f * x.get(3, j));
            x.set(2, j, -0.8f * x.get(0, j) + 0.3f * x.get(4, j));
        }
        if (unit) {
            for (int i = 1; i <= 2; i++) {
                double norm2 = 0;
                for (int j = 0; j < d; j++) {
                    norm2 += (double) x.get(i, j) * x.get(i, j);
                }
                for (int j = 0; j < d; j++) {
                    x.set(i, j, (float) (x.get(i, j) / Math.sqrt(norm2)));
                }
            }
        }
        return x;
    }

    /**
     * H∞ and G∞ against Monte Carlo averages over M draws of w ~ N(0, I). Each estimate is a mean of M iid terms, so
     * it lies within 5 standard errors (sample standard deviation / √M) of the exact value except with probability
     * ≈ 6·10⁻⁷ per entry (the draws are seeded, so the test is deterministic anyway); float rounding of the closed
     * form (≈ √d·ε) is far below that. A wrong formula (π − θ replaced by π/2, a missing 1/(2π), cos for sin)
     * moves entries by ≫ 5 SE at M = 200 000.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void closedFormsMatchMonteCarlo(String provider) {
        int n = 7, d = 5, draws = 200_000;
        SplittableRandom rng = new SplittableRandom(17);
        for (boolean unit : new boolean[] {true, false}) {
            try (Kernels k = KernelProviders.open(provider, 2);
                    FloatMatrix x = points(n, d, rng, unit)) {
                Gram h = InfiniteWidthGram.ntk(k, x);
                Gram g = InfiniteWidthGram.arcCosine(k, x);
                double[][] xs = new double[n][d];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        xs[i][j] = x.get(i, j);
                    }
                }
                double[][] sumH = new double[n][n],
                        sumH2 = new double[n][n],
                        sumG = new double[n][n],
                        sumG2 = new double[n][n];
                double[] z = new double[n];
                double[] w = new double[d];
                for (int s = 0; s < draws; s++) {
                    for (int j = 0; j < d; j++) {
                        w[j] = rng.nextGaussian();
                    }
                    for (int i = 0; i < n; i++) {
                        double v = 0;
                        for (int j = 0; j < d; j++) {
                            v += w[j] * xs[i][j];
                        }
                        z[i] = v;
                    }
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            double hv = z[i] >= 0 && z[j] >= 0 ? dot(xs[i], xs[j]) : 0;
                            double gv = Math.max(z[i], 0) * Math.max(z[j], 0);
                            sumH[i][j] += hv;
                            sumH2[i][j] += hv * hv;
                            sumG[i][j] += gv;
                            sumG2[i][j] += gv * gv;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        check(h.get(i, j), sumH[i][j], sumH2[i][j], draws, "H∞", i, j);
                        check(g.get(i, j), sumG[i][j], sumG2[i][j], draws, "G∞", i, j);
                    }
                }
                // The unit-norm form of the paper, on the diagonal: H∞ᵢᵢ = ‖xᵢ‖²/2, G∞ᵢᵢ = ‖xᵢ‖²/2.
                for (int i = 0; i < n; i++) {
                    double nn = dot(xs[i], xs[i]);
                    assertEquals(nn / 2, h.get(i, i), 1e-5 * nn);
                    assertEquals(nn / 2, g.get(i, i), 1e-5 * nn);
                }
            }
        }
    }

    private static void check(double exact, double sum, double sumSq, int draws, String what, int i, int j) {
        double mean = sum / draws;
        double var = Math.max(0, sumSq / draws - mean * mean);
        double se = Math.sqrt(var / draws);
        assertEquals(exact, mean, 5 * se + 1e-6, what + "[" + i + "," + j + "] (SE " + se + ")");
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Du et al.'s Theorem 3.1: λ₀ > 0 when no two inputs are parallel. Random points of the sphere give a clearly
     * positive λ₀; repeating one input makes two rows of H∞ equal, so λ₀ = 0 up to rounding (the float GEMM and
     * the eigen-solver: ≈ n·√d·ε·λ_max, bounded here by 1e-5).
     */
    @Test
    void positiveDefiniteUnlessTwoInputsAreParallel() {
        int n = 40, d = 12;
        SplittableRandom rng = new SplittableRandom(5);
        try (Kernels k = KernelProviders.open("scalar", 1);
                widenet.train.Dataset data = widenet.train.Dataset.unitSphere(n, d, rng)) {
            FloatMatrix x = data.x();
            double lambda0 = InfiniteWidthGram.ntk(k, x).eigen(false).min();
            assertTrue(lambda0 > 1e-3, "λ₀ = " + lambda0);
            for (int j = 0; j < d; j++) {
                x.set(7, j, x.get(20, j));
            }
            SymmetricEigen e = InfiniteWidthGram.ntk(k, x).eigen(false);
            assertEquals(0, e.min(), 1e-5 * e.max(), "λ₀ with a repeated input");
        }
    }
}
