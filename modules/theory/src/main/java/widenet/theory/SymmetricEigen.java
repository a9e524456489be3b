package widenet.theory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import widenet.tensor.FloatMatrix;

/**
 * Eigenvalues (ascending) and, optionally, eigenvectors of a real symmetric matrix, in double precision (ojAlgo's
 * dense symmetric solver: n = 1000 in well under a second here). Used for λ₀ = λ_min(H∞), λ_max, the projections
 * (vᵢᵀy)², λ_min of empirical Gram matrices, and σ_min of feature matrices (via their Gram).
 */
public final class SymmetricEigen {
    private final int n;
    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(int n, double[] values, double[][] vectors) {
        this.n = n;
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes {@code a} (n×n, symmetric up to float rounding; the average of a and aᵀ is used). */
    public static SymmetricEigen of(FloatMatrix a, boolean withVectors) {
        int n = a.rows();
        if (a.cols() != n) {
            throw new IllegalArgumentException("eigen-decomposition needs a square matrix, got " + a.shape());
        }
        double[] data = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                data[i * n + j] = 0.5 * ((double) a.get(i, j) + a.get(j, i));
            }
        }
        return of(data, n, withVectors);
    }

    /** Decomposes the symmetric n×n matrix stored row by row in {@code data}. */
    public static SymmetricEigen of(double[] data, int n, boolean withVectors) {
        if (data.length != (long) n * n) {
            throw new IllegalArgumentException("expected " + n + "×" + n + " values, got " + data.length);
        }
        for (double v : data) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("matrix has a non-finite entry " + v);
            }
        }
        // Symmetric, so row-major and ojAlgo's column-major layout are the same matrix.
        R064Store store = R064Store.wrap(data.clone(), n);
        Eigenvalue<Double> evd = Eigenvalue.R064.make(store, true);
        boolean ok = withVectors ? evd.decompose(store) : evd.computeValuesOnly(store);
        if (!ok) {
            throw new ArithmeticException("symmetric eigen-decomposition of a " + n + "×" + n + " matrix failed");
        }
        double[] raw = new double[n];
        evd.getEigenvalues(raw, Optional.empty());
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> raw[i]));
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = raw[order[i]];
        }
        double[][] vectors = null;
        if (withVectors) {
            MatrixStore<Double> v = evd.getV();
            vectors = new double[n][n];
            for (int i = 0; i < n; i++) {
                int col = order[i];
                for (int r = 0; r < n; r++) {
                    vectors[i][r] = v.doubleValue(r, col);
                }
            }
        }
        return new SymmetricEigen(n, values, vectors);
    }

    public int size() { return n; }

    /** All eigenvalues, ascending (a copy). */
    public double[] values() { return values.clone(); }

    public double value(int i) { return values[i]; }

    public double min() { return values[0]; }

    public double max() { return values[n - 1]; }

    public boolean hasVectors() { return vectors != null; }

    /** The unit eigenvector of {@link #value(int) value(i)} (a copy). */
    public double[] vector(int i) {
        if (vectors == null) {
            throw new IllegalStateException("eigenvectors were not computed");
        }
        return vectors[i].clone();
    }

    /** vᵢᵀy for every i: the coordinates of y in the eigenbasis. */
    public double[] project(double[] y) {
        if (y.length != n) {
            throw new IllegalArgumentException("vector of length " + y.length + ", matrix is " + n + "×" + n);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            double[] v = vector(i);
            for (int r = 0; r < n; r++) {
                s += v[r] * y[r];
            }
            out[i] = s;
        }
        return out;
    }
}
