package widenet.train;

import java.util.SplittableRandom;
import widenet.model.Gaussian;
import widenet.tensor.FloatMatrix;

/** Training data: inputs X (n×d, row i is xᵢ) and labels Y (n×k). Owns both matrices. */
public record Dataset(FloatMatrix x, FloatMatrix y, String description) implements AutoCloseable {

    public Dataset {
        if (x.rows() != y.rows()) {
            throw new InputException("X has " + x.rows() + " samples but y has " + y.rows() + "; they must agree");
        }
    }

    public int n() {
        return x.rows();
    }

    public int d() {
        return x.cols();
    }

    public int k() {
        return y.cols();
    }

    /**
     * The synthetic data of Du et al. (2019, §5): xᵢ uniform on the unit sphere S^{d−1} (normalised Gaussians) and
     * yᵢ ~ N(0, 1), k = 1; drawn from {@code rng}, X row by row, then y.
     */
    public static Dataset unitSphere(int n, int d, SplittableRandom rng) {
        return unitSphere(n, d, 1, rng);
    }

    /** As {@link #unitSphere(int, int, SplittableRandom)} with k label columns. */
    public static Dataset unitSphere(int n, int d, int k, SplittableRandom rng) {
        if (n <= 0 || d <= 0 || k <= 0) {
            throw new InputException("synthetic data needs positive sizes, got n=" + n + ", d=" + d + ", k=" + k);
        }
        FloatMatrix x = FloatMatrix.allocate(n, d);
        FloatMatrix y = FloatMatrix.allocate(n, k);
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            double norm2 = 0;
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextGaussian();
                norm2 += row[j] * row[j];
            }
            double inv = 1 / Math.sqrt(norm2);
            for (int j = 0; j < d; j++) {
                x.set(i, j, (float) (row[j] * inv));
            }
        }
        Gaussian.fill(y, rng, 1.0);
        return new Dataset(x, y, "unit sphere, n=" + n + ", d=" + d + (k > 1 ? ", k=" + k : "") + ", y ~ N(0,1)");
    }

    /**
     * Rejects non-finite values with a message naming the source, row and column (NaN or ±Inf would silently turn
     * every number of the run into NaN).
     */
    public static void requireFinite(FloatMatrix m, String source) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                float v = m.get(i, j);
                if (!Float.isFinite(v)) {
                    throw new InputException(source + ": non-finite value " + v + " at row " + i + ", column " + j);
                }
            }
        }
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}
