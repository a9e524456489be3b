package widenet.theory;

import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import widenet.tensor.FloatMatrix;

/**
 * Gram matrices of float feature and weight matrices, formed in double precision (ojAlgo's dense product).
 *
 * <p>Why not a float GEMM through the kernels: an entry of a float Gram A Aᵀ is off by ≈ √p·ε·‖aᵢ‖‖aⱼ‖ (p the row
 * length, ε = 2⁻²⁴), so its λ_min is uncertain by about √(n·p)·ε·max‖aᵢ‖². For the matrices the theory cares about
 * that swamps the answer: F₁ is n×n₁ with n₁ ≈ N = n, nearly square, and a near-square n×n random matrix has
 * σ_min²/σ_max² ≈ 1/(4n²) — below float resolution already at n ≈ 500. In double the same error is 10⁻¹⁶-relative.
 */
public final class FeatureGram {
    private FeatureGram() {}

    /** A·Aᵀ (rows×rows), row-major, in double. */
    public static double[] rows(FloatMatrix a) {
        return product(toStore(a, 1.0));
    }

    /** (s·A)(s·A)ᵀ or (s·A)ᵀ(s·A), whichever is smaller (min(rows, cols) square), row-major, in double. */
    public static double[] smaller(FloatMatrix a, double s) {
        R064Store m = toStore(a, s);
        return a.rows() <= a.cols() ? product(m) : product(transposed(m));
    }

    /** The side of {@link #smaller}'s result. */
    public static int smallerSize(FloatMatrix a) {
        return Math.min(a.rows(), a.cols());
    }

    private static double[] product(R064Store m) {
        MatrixStore<Double> g = m.multiply(m.transpose());
        return g.toRawCopy1D(); // column-major, but the product is symmetric
    }

    private static R064Store toStore(FloatMatrix a, double s) {
        R064Store m = R064Store.FACTORY.make(a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m.set(i, j, s * a.get(i, j));
            }
        }
        return m;
    }

    private static R064Store transposed(R064Store m) {
        R064Store t = R064Store.FACTORY.make(m.getColDim(), m.getRowDim());
        for (int i = 0; i < m.getRowDim(); i++) {
            for (int j = 0; j < m.getColDim(); j++) {
                t.set(j, i, m.doubleValue(i, j));
            }
        }
        return t;
    }

    /** Singular values of (s·A), ascending: the square roots of the eigenvalues of the smaller Gram (negatives, from rounding, clamped to 0). */
    public static double[] singularValues(FloatMatrix a, double s) {
        int k = smallerSize(a);
        double[] lambda = SymmetricEigen.ofInPlace(smaller(a, s), k, false, 1).values();
        for (int i = 0; i < k; i++) {
            lambda[i] = Math.sqrt(Math.max(0, lambda[i]));
        }
        return lambda;
    }
}
