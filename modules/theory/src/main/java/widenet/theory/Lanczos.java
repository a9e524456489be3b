package widenet.theory;

import widenet.theory.eigen.TridiagonalQl;

/**
 * λ_max of a symmetric positive semi-definite n×n matrix K (row-major, double) by the Lanczos iteration with full
 * reorthogonalisation, without an eigen-decomposition: k products Kv (O(kn²)) and O(k²n) for the orthogonalisation,
 * k ≪ n. The largest Ritz value θ_k of the k×k tridiagonal approaches λ_max from below; the iteration stops when the
 * residual bound |β_k·s_k| (s_k the last component of θ_k's Ritz vector: ‖Kx − θx‖ for the Ritz vector x) is at most
 * tol·θ_k, so λ_max ∈ [θ_k, θ_k + tol·θ_k] for an isolated top eigenvalue (Kahan–Parlett), or after {@code maxSteps}.
 * The start vector is fixed (1, …, 1)/√n plus a deterministic ramp, so the result depends only on K.
 */
public final class Lanczos {
    private Lanczos() {}

    /** λ_max(K) to relative tolerance {@code tol}, at most {@code maxSteps} products. */
    public static double lambdaMax(double[] k, int n, double tol, int maxSteps) {
        if (k.length != (long) n * n) {
            throw new IllegalArgumentException("expected " + n + "×" + n + " values, got " + k.length);
        }
        int steps = Math.min(maxSteps, n);
        double[][] q = new double[steps + 1][];
        double[] alpha = new double[steps];
        double[] beta = new double[steps];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1 + 0.5 * i / n; // overlaps the constant mode, where NTKs put their top eigenvector
        }
        scale(v, 1 / norm(v));
        q[0] = v;
        double theta = 0;
        for (int j = 0; j < steps; j++) {
            double[] w = multiply(k, n, q[j]);
            alpha[j] = dot(w, q[j]);
            // w ← w − Σ_i (q_iᵀw) q_i, twice (full reorthogonalisation, "twice is enough").
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i <= j; i++) {
                    axpy(-dot(q[i], w), q[i], w);
                }
            }
            double b = norm(w);
            beta[j] = b;
            double[] diag = java.util.Arrays.copyOf(alpha, j + 1);
            double[] off = java.util.Arrays.copyOf(beta, j);
            double[] last = new double[j + 1];
            last[j] = 1;
            double[] ev = TridiagonalQl.solve(diag, off, last); // last ← Zᵀe_j: the Ritz vectors' last components
            theta = ev[j];
            double residual = Math.abs(b * last[j]);
            if (residual <= tol * Math.abs(theta) || b == 0 || j == n - 1) {
                return theta;
            }
            scale(w, 1 / b);
            q[j + 1] = w;
        }
        return theta;
    }

    /** λ_max to 10⁻¹⁰ relative, at most 300 products. */
    public static double lambdaMax(double[] k, int n) {
        return lambdaMax(k, n, 1e-10, 300);
    }

    private static double[] multiply(double[] k, int n, double[] x) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                s += k[row + j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void axpy(double c, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += c * x[i];
        }
    }

    private static void scale(double[] x, double c) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= c;
        }
    }
}
