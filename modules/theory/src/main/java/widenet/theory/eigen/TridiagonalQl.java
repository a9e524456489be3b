package widenet.theory.eigen;

/**
 * Eigenvalues of a symmetric tridiagonal T = Z Λ Zᵀ by the implicit QL method with Wilkinson-type shifts (EISPACK's
 * tql2, as in JAMA), optionally applying the same plane rotations to a few vectors c so that they leave as Zᵀc.
 * That is how widenet gets the coordinates vᵢᵀy of a vector in the eigenbasis of A = Q T Qᵀ without forming any
 * eigenvector: vᵢᵀy = zᵢᵀ(Qᵀy) = (Zᵀ Qᵀy)ᵢ — O(n) per rotation instead of O(n²) per accumulated column, so the whole
 * spectral solve stays O(n²). The rotations depend only on (d, e), so running again on the same T with other
 * vectors reproduces them bit for bit.
 */
public final class TridiagonalQl {
    private static final double EPS = Math.ulp(1.0);

    private TridiagonalQl() {}

    /**
     * Eigenvalues of T (ascending) and, for each vector in {@code vectors} (length n each, overwritten), Zᵀc in the
     * same ascending order.
     *
     * @param diagonal T's diagonal (n, not modified)
     * @param offDiagonal T's off-diagonal (n − 1, not modified)
     */
    public static double[] solve(double[] diagonal, double[] offDiagonal, double[]... vectors) {
        int n = diagonal.length;
        if (offDiagonal.length != Math.max(0, n - 1)) {
            throw new IllegalArgumentException(n + " diagonal but " + offDiagonal.length + " off-diagonal entries");
        }
        for (double[] v : vectors) {
            if (v.length != n) {
                throw new IllegalArgumentException(
                        "vector of length " + v.length + " for a " + n + "×" + n + " tridiagonal");
            }
        }
        double[] d = diagonal.clone();
        double[] e = new double[n];
        System.arraycopy(offDiagonal, 0, e, 0, Math.max(0, n - 1));
        double f = 0;
        double tst1 = 0;
        long iterations = 0;
        long limit = 60L * n + 60;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) {
                m++;
            }
            if (m > l) {
                do {
                    if (++iterations > limit) {
                        throw new ArithmeticException(
                                "tridiagonal QL did not converge in " + limit + " iterations (n = " + n + ")");
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1;
                    double el1 = e[l + 1];
                    double s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (double[] z : vectors) {
                            double zi = z[i];
                            double zi1 = z[i + 1];
                            z[i + 1] = s * zi + c * zi1;
                            z[i] = c * zi - s * zi1;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPS * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        int[] order = ascending(d);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = d[order[i]];
        }
        double[] tmp = new double[n];
        for (double[] z : vectors) {
            for (int i = 0; i < n; i++) {
                tmp[i] = z[order[i]];
            }
            System.arraycopy(tmp, 0, z, 0, n);
        }
        return values;
    }

    /** A stable ascending order of d (ties keep their index order, so the result is deterministic). */
    static int[] ascending(double[] d) {
        int n = d.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (x, y) -> {
            int c = Double.compare(d[x], d[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /**
     * √(a² + b²) without Math.hypot's cost (it dominates the QL sweep otherwise); the plain formula is exact enough
     * and cannot overflow or underflow inside [1e-150, 1e150], the slow path covers the rest.
     */
    static double hypot(double a, double b) {
        double x = Math.abs(a), y = Math.abs(b);
        double big = Math.max(x, y);
        if (big < 1e150 && (big > 1e-150 || big == 0)) {
            return Math.sqrt(a * a + b * b);
        }
        return Math.hypot(a, b);
    }

    /**
     * The unit eigenvector of T for the eigenvalue {@code lambda} by inverse iteration: three solves of
     * (T − λI)x = b with partial pivoting (LAPACK's dgttrf/dgttrs), a zero pivot replaced by ε‖T‖.
     */
    public static double[] eigenvector(double[] diagonal, double[] offDiagonal, double lambda) {
        int n = diagonal.length;
        double[] x = new double[n];
        if (n == 1) {
            x[0] = 1;
            return x;
        }
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(
                    norm,
                    Math.abs(diagonal[i])
                            + (i > 0 ? Math.abs(offDiagonal[i - 1]) : 0)
                            + (i < n - 1 ? Math.abs(offDiagonal[i]) : 0));
        }
        // T − λI = 0 (a zero matrix): every vector is an eigenvector; the pivot 1 keeps the solve finite.
        double tiny = norm > 0 ? EPS * norm : 1;
        double[] dl = new double[n - 1];
        double[] dd = new double[n];
        double[] du = new double[n - 1];
        double[] du2 = new double[Math.max(0, n - 2)];
        boolean[] swap = new boolean[n - 1];
        for (int i = 0; i < n; i++) {
            dd[i] = diagonal[i] - lambda;
        }
        System.arraycopy(offDiagonal, 0, dl, 0, n - 1);
        System.arraycopy(offDiagonal, 0, du, 0, n - 1);
        for (int i = 0; i < n - 1; i++) {
            if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
                if (dd[i] == 0) {
                    dd[i] = tiny;
                }
                double fact = dl[i] / dd[i];
                dl[i] = fact;
                dd[i + 1] -= fact * du[i];
            } else {
                double fact = dd[i] / dl[i];
                dd[i] = dl[i];
                dl[i] = fact;
                double temp = du[i];
                du[i] = dd[i + 1];
                dd[i + 1] = temp - fact * dd[i + 1];
                if (i < n - 2) {
                    du2[i] = du[i + 1];
                    du[i + 1] = -fact * du[i + 1];
                }
                swap[i] = true;
            }
        }
        if (dd[n - 1] == 0) {
            dd[n - 1] = tiny;
        }
        // A deterministic start with every component non-zero.
        for (int i = 0; i < n; i++) {
            x[i] = 1 + 0.5 * Math.sin(1.7 * i + 0.3);
        }
        for (int it = 0; it < 3; it++) {
            for (int i = 0; i < n - 1; i++) {
                if (swap[i]) {
                    double t = x[i];
                    x[i] = x[i + 1];
                    x[i + 1] = t;
                }
                x[i + 1] -= dl[i] * x[i];
            }
            x[n - 1] /= dd[n - 1];
            x[n - 2] = (x[n - 2] - du[n - 2] * x[n - 1]) / dd[n - 2];
            for (int i = n - 3; i >= 0; i--) {
                x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) / dd[i];
            }
            double s = 0, big = 0;
            for (double v : x) {
                big = Math.max(big, Math.abs(v));
            }
            for (int i = 0; i < n; i++) {
                x[i] /= big;
                s += x[i] * x[i];
            }
            double inv = 1 / Math.sqrt(s);
            for (int i = 0; i < n; i++) {
                x[i] *= inv;
            }
        }
        return x;
    }
}
