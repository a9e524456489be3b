package widenet.theory;

/**
 * The spectral facts of a Gram matrix K (H∞, or H∞ + κ²G∞) that the convergence and generalisation results use:
 * λ₀ = λ_min(K), λ_max(K), the eigenbasis (λᵢ, vᵢ), the label projections (vᵢᵀy)², yᵀK⁻¹y = Σᵢ (vᵢᵀy)²/λᵢ
 * (through the eigenbasis, so a nearly singular K shows up as a huge value rather than a failed factorisation).
 */
public final class NtkSpectrum {
    private final SymmetricEigen eigen;

    private NtkSpectrum(SymmetricEigen eigen) {
        this.eigen = eigen;
    }

    /** Decomposes K, keeping what coordinates in its eigenbasis need; one thread. */
    public static NtkSpectrum of(Gram k) {
        return new NtkSpectrum(k.eigen(true));
    }

    /** Decomposes K in its own storage on {@code threads} threads; K must not be read afterwards. */
    public static NtkSpectrum consume(Gram k, int threads) {
        return new NtkSpectrum(k.eigenInPlace(true, threads));
    }

    public int size() {
        return eigen.size();
    }

    /** λ₀ = λ_min. */
    public double lambdaMin() {
        return eigen.min();
    }

    public double lambdaMax() {
        return eigen.max();
    }

    /** All eigenvalues, ascending. */
    public double[] values() {
        return eigen.values();
    }

    /** The unit eigenvector vᵢ of the i-th smallest eigenvalue (i = 0: λ_min's, Arora et al.'s worst-case labels). */
    public double[] vector(int i) {
        return eigen.vector(i);
    }

    /** vᵢᵀv for every eigenvector vᵢ (ascending eigenvalue order). */
    public double[] coordinates(double[] v) {
        return eigen.project(v);
    }

    /** (vᵢᵀy)² for every i (ascending eigenvalue order); they sum to ‖y‖². */
    public double[] projections(double[] y) {
        double[] c = coordinates(y);
        for (int i = 0; i < c.length; i++) {
            c[i] *= c[i];
        }
        return c;
    }

    /** yᵀK⁻¹y = Σᵢ (vᵢᵀy)²/λᵢ; +∞ when K is not positive definite. */
    public double inverseQuadratic(double[] y) {
        if (!(lambdaMin() > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double[] p = projections(y);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += p[i] / eigen.value(i);
        }
        return s;
    }

    /** Arora et al. (2019)'s generalisation measure sqrt(2 yᵀ(H∞)⁻¹y / n). */
    public double generalisationMeasure(double[] y) {
        return Math.sqrt(2 * inverseQuadratic(y) / y.length);
    }

    /** The step below which GD on the linearised predictions is stable: 2/λ_max (in the kernel's step units). */
    public double stabilityLimit() {
        return 2 / lambdaMax();
    }

    /**
     * The width Du et al.'s Theorem 4.1 asks for, m = Ω(n⁶/(λ₀⁴δ³)), with the hidden constant taken as 1: a
     * statement of how pessimistic the bound is, not a threshold (the paper's experiment converges at m = 500).
     */
    public double requiredWidth(double delta) {
        double n = size();
        return Math.pow(n, 6) / (Math.pow(lambdaMin(), 4) * Math.pow(delta, 3));
    }
}
