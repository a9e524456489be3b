package widenet.theory;

import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * The empirical Gram matrix of the two-layer network at step k (Du et al. 2019, eq. (5)):
 * H(k)ᵢⱼ = (1/m) xᵢᵀxⱼ Σ_r 1{w_r(k)ᵀxᵢ ≥ 0} 1{w_r(k)ᵀxⱼ ≥ 0}, i.e. H(k) = (1/m) (X Xᵀ) ⊙ (S Sᵀ) with the
 * activation mask S (n×m). X Xᵀ is computed once; each evaluation is one NT GEMM S Sᵀ (n²m multiply-adds) and one
 * Hadamard product, into buffers allocated once. Counting 0/1 products in float is exact while m &lt; 2²⁴.
 */
public final class EmpiricalNtkGram implements AutoCloseable {
    private final Kernels kernels;
    private final FloatMatrix inner; // X Xᵀ
    private final FloatMatrix product; // (1/m) S Sᵀ, then H(k)

    public EmpiricalNtkGram(Kernels kernels, FloatMatrix x) {
        this.kernels = kernels;
        this.inner = InfiniteWidthGram.inner(kernels, x);
        this.product = FloatMatrix.allocate(x.rows(), x.rows());
    }

    /** H(k) for the activation mask S (n×m, entries 0/1), as a float matrix owned by this object. */
    public FloatMatrix compute(FloatMatrix mask) {
        if (mask.rows() != inner.rows()) {
            throw new IllegalArgumentException(
                    "activation mask has " + mask.rows() + " rows, the data has n = " + inner.rows());
        }
        kernels.gemm(Op.N, Op.T, 1f / mask.cols(), mask, mask, 0f, product); // (1/m) S Sᵀ
        kernels.hadamard(product, inner, product); // ⊙ X Xᵀ
        return product;
    }

    /** H(k) in double precision. */
    public Gram gram(FloatMatrix mask) {
        FloatMatrix h = compute(mask);
        int n = h.rows();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                v[i * n + j] = 0.5 * ((double) h.get(i, j) + h.get(j, i));
            }
        }
        return new Gram(n, v);
    }

    /** λ_min(H(k)). */
    public double minEigenvalue(FloatMatrix mask) {
        return gram(mask).eigen(false).min();
    }

    @Override
    public void close() {
        inner.close();
        product.close();
    }
}
