package widenet.theory.eigen;

/**
 * The second stage of {@link TwoStageTridiagonal}: B = Q₂ T Q₂ᵀ for a symmetric band matrix B of half-bandwidth b,
 * by Householder bulge chasing (the sweeps of LAPACK's dsytrd_sb2st, run one after the other). Sweep i annihilates
 * column i below its subdiagonal with one reflector on rows i+1..i+b, applied on both sides; its right-hand
 * application to the b rows below fills them (the bulge), whose first column the next reflector annihilates — and so
 * on down the band in steps of b. The rest of each bulge is left to the next sweep, whose reflectors are one column
 * further on, so fill never reaches beyond 2b below the diagonal.
 *
 * <p>Storage: the lower band with room for the bulges, B(r, c) = ab[c·2b + r] for 0 ≤ r − c ≤ 2b — column-major
 * with leading dimension 2b, so the kernels that walk columns apply unchanged; n·(2b+1) doubles (n = 10⁴, b = 32:
 * 5 MB, in cache). Cost ≈ 6bn² flops in reflectors of length ≤ b.
 */
final class BandTridiagonal {
    private BandTridiagonal() {}

    /** Band storage for an n×n matrix of half-bandwidth b. */
    static double[] allocate(int n, int b) {
        return new double[(n - 1) * 2 * b + n];
    }

    /**
     * Reduces the band in {@code ab} (as {@link #allocate}) to tridiagonal: its diagonal into d, its subdiagonal
     * into e; every reflector made is passed to {@code store} (null: not kept).
     */
    static void reduce(double[] ab, int n, int b, double[] d, double[] e, ReflectorStore store) {
        int ld = 2 * b;
        double[] v = new double[b];
        double[] v2 = new double[b];
        double[] w = new double[b];
        double[] tau = new double[1];
        for (int i = 0; i + 2 < n; i++) {
            int st = i + 1;
            int ed = Math.min(i + b, n - 1);
            int len = ed - st + 1;
            double t = house(ab, i * ld + st, len, v, tau);
            twoSided(ab, ld, st, ed, v, t, w);
            if (store != null) {
                store.add(st, len, t, v, 0);
            }
            while (ed < n - 1) {
                int j1 = ed + 1;
                int j2 = Math.min(ed + b, n - 1);
                int lm = j2 - j1 + 1;
                // Right: B(j1:j2, st:ed) H — fills the block (the bulge).
                if (t != 0) {
                    java.util.Arrays.fill(w, 0, lm, 0.0);
                    for (int c = 0; c < len; c++) {
                        DoubleKernels.axpy(v[c], ab, (st + c) * ld + j1, w, 0, lm);
                    }
                    for (int c = 0; c < len; c++) {
                        DoubleKernels.axpy(-t * v[c], w, 0, ab, (st + c) * ld + j1, lm);
                    }
                }
                // The bulge's first column, B(j1:j2, st), annihilated below j1; the same reflector on the left of
                // the block's other columns.
                double t2 = house(ab, st * ld + j1, lm, v2, tau);
                if (t2 != 0) {
                    for (int c = st + 1; c <= ed; c++) {
                        int col = c * ld + j1;
                        double s = t2 * DoubleKernels.dot(v2, 0, ab, col, lm);
                        DoubleKernels.axpy(-s, v2, 0, ab, col, lm);
                    }
                }
                twoSided(ab, ld, j1, j2, v2, t2, w);
                if (store != null) {
                    store.add(j1, lm, t2, v2, 0);
                }
                double[] swap = v;
                v = v2;
                v2 = swap;
                t = t2;
                st = j1;
                ed = j2;
                len = lm;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = ab[j * ld + j];
            if (j + 1 < n) {
                e[j] = ab[j * ld + j + 1];
            }
        }
    }

    /**
     * The reflector of x = ab[x0 .. x0+len): v (v[0] = 1) into {@code v}, x := β e₁; returns τ.
     */
    private static double house(double[] ab, int x0, int len, double[] v, double[] tau) {
        double beta = Householder.reflect(ab, x0, len, tau, 0);
        v[0] = 1;
        if (tau[0] == 0) {
            java.util.Arrays.fill(v, 1, len, 0.0);
            return 0;
        }
        System.arraycopy(ab, x0 + 1, v, 1, len - 1);
        java.util.Arrays.fill(ab, x0 + 1, x0 + len, 0.0);
        ab[x0] = beta;
        return tau[0];
    }

    /**
     * B(st:ed, st:ed) := H B H on the stored lower triangle, H = I − τvvᵀ (dlarfy): w = τBv, w −= ½τ(wᵀv)v,
     * B −= vwᵀ + wvᵀ.
     */
    private static void twoSided(double[] ab, int ld, int st, int ed, double[] v, double t, double[] w) {
        if (t == 0) {
            return;
        }
        int len = ed - st + 1;
        java.util.Arrays.fill(w, 0, len, 0.0);
        DoubleKernels.symvLower(ab, ld, ed + 1, st, ed + 1, v, -st, w, -st);
        DoubleKernels.scale(t, w, 0, len);
        double alpha = -0.5 * t * DoubleKernels.dot(w, 0, v, 0, len);
        DoubleKernels.axpy(alpha, v, 0, w, 0, len);
        for (int c = 0; c < len; c++) {
            int col = (st + c) * ld + st + c;
            int l = len - c;
            DoubleKernels.axpy(-w[c], v, c, ab, col, l);
            DoubleKernels.axpy(-v[c], w, c, ab, col, l);
        }
    }
}
