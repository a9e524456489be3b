package widenet.theory;

import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * The Gram matrix G = F Fᵀ of a feature matrix F (b×m, row i the features of sample i) and its spectrum: e.g. the
 * equilibrium features Z* of an implicit network, whose λ_min(Z Zᵀ) drives the convergence rate of Gao et al.
 * (2022), or the last hidden layer of a deep network (Nguyen 2021). G is one NT GEMM in float (entries exact to the
 * rounding of m-term sums, so by Weyl λ_min is off by at most ‖δG‖₂ ≤ γ_m·‖|F||F|ᵀ‖_F); the eigenvalues are
 * computed in double by {@link SymmetricEigen}. The n×n buffer is allocated once; the eigen-decomposition allocates
 * (it runs every K steps, not in the training step).
 */
public final class KernelFeatureGram implements AutoCloseable {
    private final Kernels kernels;
    private final FloatMatrix gram;

    /** For feature matrices of at most {@code maxRows} rows (usually n). */
    public KernelFeatureGram(Kernels kernels, int maxRows) {
        this.kernels = kernels;
        this.gram = FloatMatrix.allocate(maxRows, maxRows);
    }

    /** G = F Fᵀ (a b×b view of the buffer, valid until the next call). */
    public FloatMatrix compute(FloatMatrix features) {
        int b = features.rows();
        if (b > gram.rows()) {
            throw new IllegalArgumentException(
                    "feature matrix has " + b + " rows, the Gram buffer holds " + gram.rows());
        }
        FloatMatrix g = gram.block(0, b, 0, b);
        kernels.gemm(Op.N, Op.T, 1f, features, features, 0f, g);
        return g;
    }

    /** The eigenvalues of F Fᵀ, ascending. */
    public SymmetricEigen spectrum(FloatMatrix features) {
        return SymmetricEigen.of(compute(features), false);
    }

    /** λ_min(F Fᵀ). */
    public double minEigenvalue(FloatMatrix features) {
        return spectrum(features).min();
    }

    @Override
    public void close() {
        gram.close();
    }
}
