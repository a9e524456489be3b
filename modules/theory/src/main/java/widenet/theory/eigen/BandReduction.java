package widenet.theory.eigen;

import java.util.Arrays;

/**
 * The first stage of {@link TwoStageTridiagonal}: A = Q₁ B Q₁ᵀ with B symmetric of half-bandwidth b (B(i, j) = 0
 * for |i − j| &gt; b), in place in A's column-major array, lower triangle (LAPACK's dsytrd_sy2sb). Panel by panel
 * (columns k..k+b−1): the block below the band, A(k+b:n, k:k+b), is QR-factorised by b Householder reflectors
 * Q = I − V T Vᵀ (compact WY), its R stays in the band, and the trailing matrix becomes Qᵀ A₂₂ Q =
 * A₂₂ − V Wᵀ − W Vᵀ with X = A₂₂ V T and W = X − ½ V (Tᵀ Vᵀ X). Unlike the one-stage reduction, whose symmetric
 * matrix–vector product per column streams the trailing matrix from memory n times, every pass here serves b
 * columns: the product A₂₂V ({@link DoubleKernels#symmLower}) and the rank-2b update ({@link SymmetricRank2k})
 * are compute-bound, 4n³/3 flops in all.
 *
 * <p>Q₁'s reflectors stay below the band: reflector j (one per column j &lt; n − b − 1) acts on rows j+b..n−1,
 * v(j+b) = 1 implicit (that entry holds R's diagonal), v(j+b+1..) in A(j+b+1.., j), τ in {@link #tau}.
 */
final class BandReduction {
    private final int n;
    private final int b;
    private final double[] a;
    /** τ of column j's reflector (0: none). */
    final double[] tau;

    private BandReduction(int n, int b, double[] a) {
        this.n = n;
        this.b = b;
        this.a = a;
        this.tau = new double[n];
    }

    /** Reduces a (n×n, symmetric, lower triangle used) to half-bandwidth b in place; b a multiple of 2L. */
    static BandReduction reduce(double[] a, int n, int b, Workers workers) {
        BandReduction r = new BandReduction(n, b, a);
        r.run(workers);
        return r;
    }

    private void run(Workers workers) {
        int m0 = n - b;
        if (m0 < 2) {
            return;
        }
        double[] v = new double[m0 * b];
        double[] y = new double[m0 * b];
        double[] x = new double[m0 * b];
        double[] partial = workers.threads() > 1 ? new double[m0 * b] : null;
        double[] t = new double[b * b];
        double[] vtx = new double[b * b];
        double[] mm = new double[b * b];
        SymmetricRank2k syr2k = new SymmetricRank2k(m0, b);
        for (int k = 0; n - k - b >= 2; k += b) {
            int r0 = k + b;
            int m = n - r0;
            panel(k, r0, m);
            fillV(k, r0, m, v);
            triangularFactor(k, r0, m, t);
            // Y = A₂₂ V (m×b), A₂₂ = A(r0:n, r0:n).
            Arrays.fill(y, 0, m * b, 0.0);
            symm(r0, v, y, partial, workers);
            // X = Y T.
            rowsTimes(y, t, x, m, 1.0, false, workers);
            // Vᵀ X (b×b), then M = Tᵀ (Vᵀ X).
            Arrays.fill(vtx, 0.0);
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < b; q++) {
                    double vq = v[i * b + q];
                    if (vq != 0) {
                        DoubleKernels.axpy(vq, x, i * b, vtx, q * b, b);
                    }
                }
            }
            Arrays.fill(mm, 0.0);
            for (int p = 0; p < b; p++) {
                for (int q = 0; q <= p; q++) {
                    DoubleKernels.axpy(t[q * b + p], vtx, q * b, mm, p * b, b);
                }
            }
            // W = X − ½ V M, into y.
            System.arraycopy(x, 0, y, 0, m * b);
            rowsTimes(v, mm, y, m, -0.5, true, workers);
            syr2k.update(a, n, r0, v, y, workers);
        }
    }

    /** QR of the m×b block A(r0:n, k:k+b) by Householder reflectors (dgeqr2): R above, v below its diagonal. */
    private void panel(int k, int r0, int m) {
        int nr = Math.min(b, m);
        for (int c = 0; c < nr; c++) {
            int x0 = (k + c) * n + r0 + c;
            int len = m - c;
            double beta = Householder.reflect(a, x0, len, tau, k + c);
            double tc = tau[k + c];
            if (tc == 0) {
                continue;
            }
            a[x0] = 1;
            for (int cc = c + 1; cc < b; cc++) {
                int y0 = (k + cc) * n + r0 + c;
                double s = tc * DoubleKernels.dot(a, x0, a, y0, len);
                DoubleKernels.axpy(-s, a, x0, a, y0, len);
            }
            a[x0] = beta;
        }
    }

    /** V (m×b, row-major): unit lower trapezoidal, columns beyond the panel's reflectors zero. */
    private void fillV(int k, int r0, int m, double[] v) {
        Arrays.fill(v, 0, m * b, 0.0);
        int nr = Math.min(b, m);
        for (int c = 0; c < nr; c++) {
            if (tau[k + c] == 0) {
                continue; // H = I: its column of V stays zero, and so does T's
            }
            int col = (k + c) * n + r0;
            v[c * b + c] = 1;
            for (int i = c + 1; i < m; i++) {
                v[i * b + c] = a[col + i];
            }
        }
    }

    /** T (b×b, row-major, upper triangular) with H₀H₁…H_{b−1} = I − V T Vᵀ (dlarft, forward, columnwise). */
    private void triangularFactor(int k, int r0, int m, double[] t) {
        Arrays.fill(t, 0.0);
        int nr = Math.min(b, m);
        double[] z = new double[b];
        for (int c = 0; c < nr; c++) {
            double tc = tau[k + c];
            if (tc == 0) {
                continue;
            }
            int vc = (k + c) * n + r0 + c; // v_c(c) = 1 at vc (holds β), tail below
            int len = m - c - 1;
            for (int p = 0; p < c; p++) {
                int vp = (k + p) * n + r0 + c;
                z[p] = tau[k + p] == 0 ? 0 : a[vp] + DoubleKernels.dot(a, vp + 1, a, vc + 1, len);
            }
            // T(0:c, c) = −τ_c T(0:c, 0:c) z.
            for (int p = 0; p < c; p++) {
                double s = 0;
                for (int q = p; q < c; q++) {
                    s += t[p * b + q] * z[q];
                }
                t[p * b + c] = -tc * s;
            }
            t[c * b + c] = tc;
        }
    }

    /** out(i, ·) += alpha · in(i, ·) F for the m rows (F b×b row-major; upper triangular unless {@code full}). */
    private void rowsTimes(double[] in, double[] f, double[] out, int m, double alpha, boolean full, Workers workers) {
        if (!full) {
            Arrays.fill(out, 0, m * b, 0.0);
        }
        int parts = m >= 512 ? workers.threads() : 1;
        workers.run(parts, part -> {
            int from = (int) ((long) m * part / parts);
            int to = (int) ((long) m * (part + 1) / parts);
            for (int i = from; i < to; i++) {
                for (int q = 0; q < b; q++) {
                    double c = in[i * b + q];
                    if (c != 0) {
                        int lo = full ? 0 : q;
                        DoubleKernels.axpy(alpha * c, f, q * b + lo, out, i * b + lo, b - lo);
                    }
                }
            }
        });
    }

    /** y += A(s:n, s:n) v (v, y: m×b row-major by local row), lower triangle, columns split by equal area. */
    private void symm(int s, double[] v, double[] y, double[] partial, Workers workers) {
        int m = n - s;
        int vo = -s * b;
        if (partial == null || m < 256) {
            DoubleKernels.symmLower(a, n, n, s, n, v, vo, b, y, vo);
            return;
        }
        int split = n - (int) Math.round(m / Math.sqrt(2));
        split = s + ((split - s) & ~3);
        int sp = split;
        Arrays.fill(partial, 0, (n - sp) * b, 0.0);
        workers.run(2, part -> {
            if (part == 0) {
                DoubleKernels.symmLower(a, n, n, s, sp, v, vo, b, y, vo);
            } else {
                DoubleKernels.symmLower(a, n, n, sp, n, v, vo, b, partial, -sp * b);
            }
        });
        DoubleKernels.axpy(1.0, partial, 0, y, (sp - s) * b, (n - sp) * b);
    }

    /** z := Q₁ᵀ z (H₀ first). */
    void applyTranspose(double[] z) {
        for (int j = 0; j + b < n - 1; j++) {
            reflect(j, z);
        }
    }

    /** z := Q₁ z (the last reflector first). */
    void apply(double[] z) {
        for (int j = n - b - 2; j >= 0; j--) {
            reflect(j, z);
        }
    }

    private void reflect(int j, double[] z) {
        double tj = tau[j];
        if (tj == 0) {
            return;
        }
        int r = j + b;
        int len = n - r - 1;
        int v = j * n + r + 1;
        double s = tj * (z[r] + DoubleKernels.dot(a, v, z, r + 1, len));
        z[r] -= s;
        DoubleKernels.axpy(-s, a, v, z, r + 1, len);
    }
}
