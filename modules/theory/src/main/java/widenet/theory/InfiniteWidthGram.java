package widenet.theory;

import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * The infinite-width Gram matrices of the two-layer ReLU network f = (1/√m) Σ_r a_r relu(w_rᵀx), w_r ~ N(0, κ²I),
 * in closed form from the angles θᵢⱼ between inputs (Du et al. 2019 §3; Cho &amp; Saul 2009):
 * <pre>
 *   H∞ᵢⱼ = E_w[xᵢᵀxⱼ 1{wᵀxᵢ ≥ 0, wᵀxⱼ ≥ 0}] = xᵢᵀxⱼ (π − θᵢⱼ) / (2π)                   (training W)
 *   G∞ᵢⱼ = E_w[relu(wᵀxᵢ) relu(wᵀxⱼ)] / κ²  = ‖xᵢ‖‖xⱼ‖ (sin θᵢⱼ + (π − θᵢⱼ) cos θᵢⱼ) / (2π)   (training a)
 * </pre>
 * with cos θᵢⱼ = xᵢᵀxⱼ / (‖xᵢ‖‖xⱼ‖). For unit-norm inputs cos θ = xᵢᵀxⱼ and H∞ is the paper's
 * xᵢᵀxⱼ(π − arccos xᵢᵀxⱼ)/(2π); the angle form also holds for other norms, since the indicators only see
 * directions. H∞ does not depend on κ (the indicators are scale-free); the output-layer kernel is κ²G∞.
 *
 * <p>Cost: one GEMM X Xᵀ through the kernel API (n²d multiply-adds), then one O(n²) elementwise pass here; the
 * cosine is clamped to [−1, 1] because float rounding of xᵢᵀxᵢ can push it just outside.
 */
public final class InfiniteWidthGram {
    private InfiniteWidthGram() {}

    /** X Xᵀ (n×n, float) through the kernel API; the caller closes it. */
    public static FloatMatrix inner(Kernels kernels, FloatMatrix x) {
        FloatMatrix g = FloatMatrix.allocate(x.rows(), x.rows());
        kernels.gemm(Op.N, Op.T, 1f, x, x, 0f, g);
        return g;
    }

    /** H∞ of the rows of x. */
    public static Gram ntk(Kernels kernels, FloatMatrix x) {
        try (FloatMatrix g = inner(kernels, x)) {
            return ntkFromInner(g);
        }
    }

    /** G∞ (κ = 1) of the rows of x: the degree-1 arc-cosine kernel. */
    public static Gram arcCosine(Kernels kernels, FloatMatrix x) {
        try (FloatMatrix g = inner(kernels, x)) {
            return arcCosineFromInner(g);
        }
    }

    /** H∞ from the inner products g = X Xᵀ. */
    public static Gram ntkFromInner(FloatMatrix g) {
        int n = g.rows();
        double[] norms = norms(g);
        double[] h = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                // The GEMM may round xᵢᵀxⱼ and xⱼᵀxᵢ differently: use their mean, once per pair.
                double dot = 0.5 * ((double) g.get(i, j) + g.get(j, i));
                double theta = Math.acos(cosine(dot, norms[i], norms[j]));
                h[i * n + j] = h[j * n + i] = dot * (Math.PI - theta) / (2 * Math.PI);
            }
        }
        return new Gram(n, h);
    }

    /** G∞ (κ = 1) from the inner products g = X Xᵀ. */
    public static Gram arcCosineFromInner(FloatMatrix g) {
        int n = g.rows();
        double[] norms = norms(g);
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double c = cosine(0.5 * ((double) g.get(i, j) + g.get(j, i)), norms[i], norms[j]);
                double theta = Math.acos(c);
                k[i * n + j] =
                        k[j * n + i] = norms[i] * norms[j] * (Math.sin(theta) + (Math.PI - theta) * c) / (2 * Math.PI);
            }
        }
        return new Gram(n, k);
    }

    private static double[] norms(FloatMatrix g) {
        if (g.rows() != g.cols()) {
            throw new IllegalArgumentException("inner-product matrix must be square, got " + g.shape());
        }
        double[] norms = new double[g.rows()];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = Math.sqrt(Math.max(0.0, g.get(i, i)));
        }
        return norms;
    }

    /** cos θ clamped to [−1, 1]; a zero input has no direction and is given θ = π/2 (its row is 0 anyway). */
    private static double cosine(double dot, double ni, double nj) {
        if (ni == 0 || nj == 0) {
            return 0;
        }
        return Math.max(-1.0, Math.min(1.0, dot / (ni * nj)));
    }
}
