package widenet.theory.eigen;

import java.util.Arrays;

/**
 * λ_min and λ_max of a symmetric matrix alone, by the Lanczos method with full reorthogonalisation — for when the
 * spectrum itself is not asked for (a step size 2/λ_max, λ₀ of a kernel): k matrix–vector products (n² each, one pass
 * over the matrix) instead of a 4n³/3 reduction. After j steps the Ritz values θ of the Lanczos tridiagonal T_j
 * bracket the extremes from inside, and each has a certified error: some eigenvalue of A lies within
 * |β_j·s_j| of θ (s_j the last component of θ's eigenvector of T_j; exact for the computed basis when it is
 * orthonormal, which the second Gram–Schmidt pass keeps to rounding). Iteration stops when both extreme Ritz values
 * are certified to {@code tolerance}·max|θ|.
 *
 * <p>The matrix is read row-major in full (both triangles, as {@code widenet.theory.Gram} stores it); the products
 * are split by rows between threads, each row's dot in a fixed order, and the start vector is fixed: the same thread
 * count gives the same bits. Memory: the basis, (k + 1)·n doubles.
 */
public final class LanczosExtremes {
    /** The extremes and their certified errors: an eigenvalue of A lies within {@code minError} of {@code min}. */
    public record Extremes(double min, double max, double minError, double maxError, int iterations) {}

    private LanczosExtremes() {}

    /**
     * @param a the n×n symmetric matrix, row by row, both triangles (not modified)
     * @param tolerance relative accuracy asked of both extremes (e.g. 1e-10), ≥ a few ε
     * @param maxIterations most Lanczos steps (capped at n: after n steps T_n is similar to A)
     */
    public static Extremes of(double[] a, int n, int threads, double tolerance, int maxIterations) {
        return iterate(a, n, threads, tolerance, maxIterations, true);
    }

    /**
     * As {@link #of}, but stopping as soon as λ_max alone is certified to {@code tolerance}·max|θ| (a step size
     * c/λ_max needs no λ_min, and the top of a PSD kernel converges in far fewer steps than its bottom): {@code min}
     * and {@code minError} are then those of the last Ritz check, not certified to the tolerance.
     */
    public static Extremes largest(double[] a, int n, int threads, double tolerance, int maxIterations) {
        return iterate(a, n, threads, tolerance, maxIterations, false);
    }

    private static Extremes iterate(
            double[] a, int n, int threads, double tolerance, int maxIterations, boolean bothEnds) {
        if (n < 1 || (long) n * n != a.length) {
            throw new IllegalArgumentException("expected " + n + "×" + n + " values, got " + a.length);
        }
        if (!(tolerance > 0) || maxIterations < 1) {
            throw new IllegalArgumentException(
                    "tolerance " + tolerance + " and iterations " + maxIterations + " must be positive");
        }
        if (n == 1) {
            return new Extremes(a[0], a[0], 0, 0, 0);
        }
        int kmax = Math.min(n, maxIterations);
        double[][] q = new double[kmax + 1][];
        double[] alpha = new double[kmax];
        double[] beta = new double[kmax];
        double[] w = new double[n];
        double[] start = new double[n];
        // A fixed start with every component non-zero (no eigenvector of a structured matrix is orthogonal to it).
        for (int i = 0; i < n; i++) {
            start[i] = 1 + 0.5 * Math.sin(1.7 * i + 0.3);
        }
        scaleToUnit(start);
        q[0] = start;
        Extremes last = null;
        double normT = 0; // a running lower bound on ‖A‖₂ (row sums of T_j)
        try (Workers workers = new Workers(Math.max(1, Math.min(threads, n / 64 + 1)))) {
            for (int j = 0; j < kmax; j++) {
                multiply(a, n, q[j], w, workers);
                // w ⊥ q_0..q_j, twice (classical Gram–Schmidt; the second pass restores orthogonality to rounding).
                for (int pass = 0; pass < 2; pass++) {
                    for (int i = 0; i <= j; i++) {
                        double c = DoubleKernels.dot(q[i], 0, w, 0, n);
                        if (pass == 0 && i == j) {
                            alpha[j] = c;
                        } else if (pass == 1 && i == j) {
                            alpha[j] += c;
                        }
                        DoubleKernels.axpy(-c, q[i], 0, w, 0, n);
                    }
                }
                double b = Math.sqrt(DoubleKernels.dot(w, 0, w, 0, n));
                beta[j] = b;
                // Ritz values every few steps (O(j²) each) and at the end.
                normT = Math.max(normT, Math.abs(alpha[j]) + b + (j > 0 ? beta[j - 1] : 0));
                // β_j at rounding level: the basis spans an invariant subspace, T_j's eigenvalues are A's.
                boolean invariant = b <= 16 * n * Math.ulp(1.0) * normT;
                if (j == kmax - 1 || invariant || j % 5 == 4) {
                    last = ritz(alpha, beta, j + 1, invariant ? 0 : b);
                    double scale = Math.max(Math.abs(last.min()), Math.abs(last.max()));
                    boolean minDone = !bothEnds || last.minError() <= tolerance * scale;
                    if (invariant || (minDone && last.maxError() <= tolerance * scale)) {
                        return last;
                    }
                }
                if (j + 1 < kmax) {
                    double[] next = w.clone();
                    DoubleKernels.scale(1 / b, next, 0, n);
                    q[j + 1] = next;
                }
            }
        }
        return last;
    }

    /** The extreme eigenvalues of T_k and their residual bounds |β_k·s_k|. */
    private static Extremes ritz(double[] alpha, double[] beta, int k, double betaK) {
        double[] d = Arrays.copyOf(alpha, k);
        double[] e = Arrays.copyOf(beta, k - 1);
        double[] last = new double[k];
        last[k - 1] = 1;
        // Zᵀe_k: the last components of T_k's eigenvectors, in ascending order of the eigenvalues.
        double[] theta = TridiagonalQl.solve(d, e, last);
        return new Extremes(theta[0], theta[k - 1], Math.abs(betaK * last[0]), Math.abs(betaK * last[k - 1]), k);
    }

    private static void multiply(double[] a, int n, double[] x, double[] y, Workers workers) {
        int parts = workers.threads();
        workers.run(parts, part -> {
            int from = (int) ((long) n * part / parts);
            int to = (int) ((long) n * (part + 1) / parts);
            for (int i = from; i < to; i++) {
                y[i] = DoubleKernels.dot(a, i * n, x, 0, n);
            }
        });
    }

    private static void scaleToUnit(double[] v) {
        double s = Math.sqrt(DoubleKernels.dot(v, 0, v, 0, v.length));
        DoubleKernels.scale(1 / s, v, 0, v.length);
    }
}
