package widenet.theory;

/**
 * A symmetric n×n Gram matrix (H∞, G∞, H(k)…) in double precision, stored row by row. Entries come from float
 * GEMMs, so they carry float rounding; the matrix is held in double so that its spectrum ({@link SymmetricEigen}) and the
 * quantities derived from it (yᵀH⁻¹y, (1 − ηλᵢ)^{2k}) add no rounding of their own.
 */
public final class Gram {
    private final int n;
    private final double[] values;

    Gram(int n, double[] values) {
        if (values.length != (long) n * n) {
            throw new IllegalArgumentException("expected " + n + "×" + n + " values, got " + values.length);
        }
        this.n = n;
        this.values = values;
    }

    /** A Gram matrix from its n×n entries, row by row (copied). */
    public static Gram of(double[] values, int n) {
        return new Gram(n, values.clone());
    }

    public int size() {
        return n;
    }

    public double get(int i, int j) {
        return values[i * n + j];
    }

    /** The entries row by row (a copy). */
    public double[] toArray() {
        return values.clone();
    }

    /** This + c·other, e.g. H∞ + κ²G∞ when the output layer is trained too. */
    public Gram plus(double c, Gram other) {
        if (other.n != n) {
            throw new IllegalArgumentException("Gram sizes differ: " + n + " vs " + other.n);
        }
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += c * other.values[i];
        }
        return new Gram(n, out);
    }

    /** Eigenvalues (ascending) and, if asked, eigenvectors. */
    public SymmetricEigen eigen(boolean withVectors) {
        return SymmetricEigen.of(values, n, withVectors);
    }

    /** As {@link #eigen(boolean)} on {@code threads} threads. */
    public SymmetricEigen eigen(boolean withVectors, int threads) {
        return SymmetricEigen.of(values, n, withVectors, threads);
    }

    /** λ_min and λ_max alone (Lanczos, certified errors), the matrix untouched: for when the spectrum is not needed. */
    public SymmetricEigen.Extremes extremes(int threads) {
        return SymmetricEigen.extremes(values, n, threads);
    }

    /**
     * Decomposes this matrix in its own storage (no second n×n array: at n = 10⁴ that is 800 MB saved); afterwards
     * this Gram holds the Householder reflectors and must not be read again.
     */
    public SymmetricEigen eigenInPlace(boolean withVectors, int threads) {
        return SymmetricEigen.ofInPlace(values, n, withVectors, threads);
    }

    double[] raw() {
        return values;
    }
}
