package widenet.theory;

import widenet.tensor.FloatMatrix;
import widenet.theory.eigen.LanczosExtremes;
import widenet.theory.eigen.TridiagonalForm;
import widenet.theory.eigen.TridiagonalQl;

/**
 * Eigenvalues (ascending) of a real symmetric matrix A and, when asked, what its eigenvectors are used for: the
 * coordinates vᵢᵀy of any vector in the eigenbasis (label projections (vᵢᵀy)², the linearised trajectory, yᵀA⁻¹y)
 * and single eigenvectors. Double precision throughout.
 *
 * <p>Method: A = Q T Qᵀ ({@link TridiagonalForm#reduceInPlace}, 4n³/3 flops, in place): from n = 512 in two stages,
 * dense → band of half-bandwidth 32 by compact-WY panels whose products run at GEMM speed, then band → tridiagonal
 * by bulge chasing ({@code TwoStageTridiagonal}, LAPACK's dsytrd_2stage); below, by the one-stage blocked reduction
 * ({@code HouseholderTridiagonal}, dsytrd), whose per-column matrix–vector products are memory-bound once A leaves
 * the cache. Then T = Z Λ Zᵀ by implicit QL ({@link TridiagonalQl}, O(n²)). No eigenvector matrix is ever formed:
 * vᵢᵀy = (Zᵀ(Qᵀy))ᵢ, Qᵀy by the stored reflectors (O(n²)) and Zᵀ by re-running QL's rotations on that one vector
 * (O(n²)); a single eigenvector vᵢ = Q zᵢ comes from inverse iteration on T. So the full spectrum with projections
 * costs one reduction, where LAPACK's dsyevd (NumPy's {@code eigh}) adds a divide-and-conquer solve and a 2n³
 * back-transform. λ_min and λ_max alone: {@link #extremes} (Lanczos, no reduction).
 *
 * <p>Memory: with vectors, the reduced matrix (n² doubles: both stages' reflectors, the second stage's in the upper
 * triangle the first leaves free) is kept, plus an index of ≈ 20 bytes per 64 entries; without, only O(n).
 * {@link #ofInPlace} reduces the caller's array itself, so a decomposition needs no second n×n array (n = 10⁴: one
 * 800 MB matrix).
 */
public final class SymmetricEigen {
    private final int n;
    private final double[] values;
    private final double[] diagonal;
    private final double[] offDiagonal;
    private final TridiagonalForm reduction;
    private double[] lastInput;
    private double[] lastCoordinates;

    private SymmetricEigen(int n, double[] values, double[] diagonal, double[] offDiagonal, TridiagonalForm reduction) {
        this.n = n;
        this.values = values;
        this.diagonal = diagonal;
        this.offDiagonal = offDiagonal;
        this.reduction = reduction;
    }

    /** Decomposes {@code a} (n×n, symmetric up to float rounding; the average of a and aᵀ is used); one thread. */
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
        return ofInPlace(data, n, withVectors, 1);
    }

    /** Decomposes the symmetric n×n matrix stored row by row in {@code data} (not modified); one thread. */
    public static SymmetricEigen of(double[] data, int n, boolean withVectors) {
        return of(data, n, withVectors, 1);
    }

    /** As {@link #of(double[], int, boolean)} on {@code threads} threads (same count, same bits). */
    public static SymmetricEigen of(double[] data, int n, boolean withVectors, int threads) {
        check(data, n);
        return ofInPlace(data.clone(), n, withVectors, threads);
    }

    /**
     * Decomposes the symmetric matrix in {@code data}, overwriting it with the Householder reflectors (only its lower
     * triangle, read column by column, is used: row-major lower = column-major upper of the same symmetric matrix).
     */
    public static SymmetricEigen ofInPlace(double[] data, int n, boolean withVectors, int threads) {
        check(data, n);
        TridiagonalForm h = TridiagonalForm.reduceInPlace(data, n, threads, withVectors);
        double[] diag = h.diagonal();
        double[] off = h.offDiagonal();
        double[] values = TridiagonalQl.solve(diag, off);
        return new SymmetricEigen(n, values, diag, off, withVectors ? h : null);
    }

    /**
     * λ_min and λ_max with certified errors (an eigenvalue of A lies within {@code minError} of {@code min}), from
     * {@code iterations} Lanczos steps.
     */
    public record Extremes(double min, double max, double minError, double maxError, int iterations) {}

    /** Relative accuracy of {@link #extremes}: far below any use of λ₀ or λ_max (steps, rates, bounds). */
    public static final double EXTREMES_TOLERANCE = 1e-10;

    /**
     * λ_min and λ_max alone by Lanczos with full reorthogonalisation ({@code widenet.theory.eigen.LanczosExtremes}):
     * O(k·n²) for k steps (tens to a few hundred), no reduction, {@code data} (row by row, both triangles) not
     * modified; to {@link #EXTREMES_TOLERANCE} relative, at most min(n, 2000) steps (the errors say what was reached).
     */
    public static Extremes extremes(double[] data, int n, int threads) {
        check(data, n);
        LanczosExtremes.Extremes e = LanczosExtremes.of(data, n, threads, EXTREMES_TOLERANCE, 2000);
        return new Extremes(e.min(), e.max(), e.minError(), e.maxError(), e.iterations());
    }

    private static void check(double[] data, int n) {
        if (n < 1 || n > 46_340 || data.length != (long) n * n) {
            throw new IllegalArgumentException(
                    "expected " + n + "×" + n + " values (1 ≤ n ≤ 46340), got " + data.length);
        }
        for (double v : data) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("matrix has a non-finite entry " + v);
            }
        }
    }

    public int size() {
        return n;
    }

    /** All eigenvalues, ascending (a copy). */
    public double[] values() {
        return values.clone();
    }

    public double value(int i) {
        return values[i];
    }

    public double min() {
        return values[0];
    }

    public double max() {
        return values[n - 1];
    }

    /** Whether coordinates and eigenvectors are available (the reflectors were kept). */
    public boolean hasVectors() {
        return reduction != null;
    }

    /** The unit eigenvector of {@link #value(int) value(i)} (inverse iteration on T, then Q): O(n²). */
    public double[] vector(int i) {
        requireVectors();
        double[] z = TridiagonalQl.eigenvector(diagonal, offDiagonal, values[i]);
        reduction.apply(z);
        return z;
    }

    /** vᵢᵀy for every i (ascending eigenvalue order): the coordinates of y in the eigenbasis, O(n²). */
    public synchronized double[] project(double[] y) {
        requireVectors();
        if (y.length != n) {
            throw new IllegalArgumentException("vector of length " + y.length + ", matrix is " + n + "×" + n);
        }
        // Callers ask for the same y several times (projections, then yᵀA⁻¹y): keep the last answer.
        if (lastInput != null && java.util.Arrays.equals(lastInput, y)) {
            return lastCoordinates.clone();
        }
        double[] c = y.clone();
        reduction.applyTranspose(c);
        TridiagonalQl.solve(diagonal, offDiagonal, c);
        lastInput = y.clone();
        lastCoordinates = c.clone();
        return c;
    }

    private void requireVectors() {
        if (reduction == null) {
            throw new IllegalStateException("eigenvectors were not computed");
        }
    }
}
