package widenet.theory.eigen;

/**
 * A = Q T Qᵀ for a real symmetric A: blocked Householder reduction to tridiagonal T (LAPACK's dsytrd/dlatrd, lower
 * triangle), in place in A's own array. Q = H(0)·H(1)·…·H(n−2), H(c) = I − τ_c v_c v_cᵀ with v_c(c+1) = 1 and
 * v_c(c+2..n−1) stored below A's subdiagonal in column c; T's diagonal is {@link #diagonal()}, its off-diagonal
 * {@link #offDiagonal()}.
 *
 * <p>Cost and where it goes (n³ terms): 4n³/3 flops, half in the symmetric matrix–vector products with the
 * not-yet-updated trailing matrix (one per column: memory-bound, a single pass over the stored lower triangle per
 * product, split between threads by equal triangle area), half in the rank-2b updates of the trailing matrix once per
 * panel of b columns (compute-bound: a register-blocked GEMM with k = 2b, row chunks split between threads).
 *
 * <p>Memory: the matrix itself (n² doubles; n = 10⁴ is 800 MB) plus O(n·b) — no second n×n array. The upper triangle
 * is used as scratch (the rank-2b tiles straddling the diagonal write a few entries above it).
 */
public final class HouseholderTridiagonal implements TridiagonalForm {
    /** Panel width b: the rank-2b update's k is 2b = 64. */
    static final int NB = 32;
    /** Below this trailing size the rest is reduced by one unblocked panel. */
    static final int NX = 128;
    /** Below this length a symmetric matrix–vector product runs on one thread (the handoff costs more). */
    static final int PARALLEL_SYMV = 384;
    /** Rows per chunk of the rank-2b update: the packed chunk (MC·2b doubles) stays in L2. */
    static final int MC = 256;

    private final int n;
    private final double[] a;
    private final double[] d;
    private final double[] e;
    private final double[] tau;

    private HouseholderTridiagonal(int n, double[] a) {
        this.n = n;
        this.a = a;
        this.d = new double[n];
        this.e = new double[Math.max(0, n - 1)];
        this.tau = new double[Math.max(0, n - 1)];
    }

    /** Reduces the symmetric n×n matrix in {@code a} (row- or column-major: the same for symmetric), destroying it. */
    public static HouseholderTridiagonal reduceInPlace(double[] a, int n, int threads) {
        if ((long) n * n != a.length) {
            throw new IllegalArgumentException("expected " + n + "×" + n + " values, got " + a.length);
        }
        HouseholderTridiagonal h = new HouseholderTridiagonal(n, a);
        try (Workers w = new Workers(Math.max(1, threads))) {
            h.reduce(w);
        }
        return h;
    }

    public int size() {
        return n;
    }

    /** T's diagonal (a copy). */
    public double[] diagonal() {
        return d.clone();
    }

    /** T's off-diagonal, T(c, c+1) = T(c+1, c) = e[c] (a copy). */
    public double[] offDiagonal() {
        return e.clone();
    }

    /** y := Qᵀ y (H(0) first), O(n²). */
    public void applyTranspose(double[] y) {
        checkLength(y);
        for (int c = 0; c < n - 1; c++) {
            reflect(c, y);
        }
    }

    /** z := Q z (H(n−2) first), O(n²). */
    public void apply(double[] z) {
        checkLength(z);
        for (int c = n - 2; c >= 0; c--) {
            reflect(c, z);
        }
    }

    private void reflect(int c, double[] y) {
        double t = tau[c];
        if (t == 0) {
            return;
        }
        int v = c * n + c + 1;
        int len = n - c - 1;
        // v(c+1) = 1 is stored explicitly (kept from the reduction).
        double s = t * DoubleKernels.dot(a, v, y, c + 1, len);
        DoubleKernels.axpy(-s, a, v, y, c + 1, len);
    }

    private void checkLength(double[] y) {
        if (y.length != n) {
            throw new IllegalArgumentException("vector of length " + y.length + ", matrix is " + n + "×" + n);
        }
    }

    private void reduce(Workers workers) {
        int wcols = Math.min(n, Math.max(NB, NX));
        double[] w = new double[n * wcols];
        double[] scratch = new double[wcols];
        double[] partial = workers.threads() > 1 ? new double[n] : null;
        int k = 2 * NB;
        double[] packP = null;
        double[] packR = null;
        int j0 = 0;
        while (n - j0 > NX) {
            panel(j0, NB, w, scratch, partial, workers);
            if (packP == null) {
                int m = n - j0 - NB;
                packP = new double[(m / DoubleKernels.MR + 1) * DoubleKernels.MR * k];
                packR = new double[(m / DoubleKernels.NR + 1) * DoubleKernels.NR * k];
            }
            rank2Update(j0, j0 + NB, w, packP, packR, workers);
            j0 += NB;
        }
        panel(j0, n - j0, w, scratch, partial, workers);
    }

    /**
     * Reduces columns j0..j0+cnt−1 (dlatrd): each column first receives the delayed updates of the panel's earlier
     * reflectors, A(c:n, c) −= V W(c, ·)ᵀ + W V(c, ·)ᵀ, then yields its reflector and W's column
     * w = τ(A₂₂v − V(Wᵀv) − W(Vᵀv)), w −= ½τ(wᵀv) v, with A₂₂ the trailing matrix as it was before the panel.
     */
    private void panel(int j0, int cnt, double[] w, double[] t, double[] partial, Workers workers) {
        for (int i = 0; i < cnt; i++) {
            int c = j0 + i;
            int col = c * n;
            int len = n - c;
            for (int p = 0; p < i; p++) {
                int vp = (j0 + p) * n;
                DoubleKernels.axpy(-w[p * n + c], a, vp + c, a, col + c, len);
                DoubleKernels.axpy(-a[vp + c], w, p * n + c, a, col + c, len);
            }
            d[c] = a[col + c];
            if (c == n - 1) {
                break;
            }
            int x0 = col + c + 1;
            int xl = n - c - 1;
            double beta = Householder.reflect(a, x0, xl, tau, c); // dlarfg on x = A(c+1.., c)
            e[c] = beta;
            a[x0] = 1;
            double tc = tau[c];
            int wo = i * n;
            java.util.Arrays.fill(w, wo + c + 1, wo + n, 0.0);
            if (tc == 0) {
                continue;
            }
            symv(c + 1, col, w, wo, partial, workers);
            if (i > 0) {
                for (int p = 0; p < i; p++) {
                    t[p] = DoubleKernels.dot(w, p * n + c + 1, a, x0, xl);
                }
                for (int p = 0; p < i; p++) {
                    DoubleKernels.axpy(-t[p], a, (j0 + p) * n + c + 1, w, wo + c + 1, xl);
                }
                for (int p = 0; p < i; p++) {
                    t[p] = DoubleKernels.dot(a, (j0 + p) * n + c + 1, a, x0, xl);
                }
                for (int p = 0; p < i; p++) {
                    DoubleKernels.axpy(-t[p], w, p * n + c + 1, w, wo + c + 1, xl);
                }
            }
            DoubleKernels.scale(tc, w, wo + c + 1, xl);
            double alpha = -0.5 * tc * DoubleKernels.dot(w, wo + c + 1, a, x0, xl);
            DoubleKernels.axpy(alpha, a, x0, w, wo + c + 1, xl);
        }
    }

    /** w(s..n−1) = A(s:n, s:n) v, v = A(s.., vcol) (column vcol), lower triangle, split by equal area. */
    private void symv(int s, int vcol, double[] w, int wo, double[] partial, Workers workers) {
        int m = n - s;
        if (partial == null || m < PARALLEL_SYMV) {
            DoubleKernels.symvLower(a, n, n, s, n, a, vcol, w, wo);
            return;
        }
        // Column j's cost is n − j: the split leaves half the triangle's area on each side.
        int split = n - (int) Math.round(m / Math.sqrt(2));
        split = s + ((split - s) & ~3);
        int sp = split;
        java.util.Arrays.fill(partial, sp, n, 0.0);
        workers.run(2, part -> {
            if (part == 0) {
                DoubleKernels.symvLower(a, n, n, s, sp, a, vcol, w, wo);
            } else {
                DoubleKernels.symvLower(a, n, n, sp, n, a, vcol, partial, 0);
            }
        });
        DoubleKernels.axpy(1.0, partial, sp, w, wo + sp, n - sp);
    }

    /**
     * A(t:n, t:n) −= V Wᵀ + W Vᵀ on the lower triangle, V = A(t:n, j0..j0+b−1), W = w(t:n, 0..b−1): one GEMM
     * C −= P Rᵀ with P = [V W], R = [W V], k = 2b, in MR×NR tiles.
     */
    private void rank2Update(int j0, int t, double[] w, double[] packP, double[] packR, Workers workers) {
        int m = n - t;
        int k = 2 * NB;
        int mr = DoubleKernels.MR;
        int nr = DoubleKernels.NR;
        int rowBlocks = (m + mr - 1) / mr;
        int colBlocks = (m + nr - 1) / nr;
        // P packed per row block: [block][q][r], zero beyond row n−1.
        for (int rb = 0; rb < rowBlocks; rb++) {
            int base = rb * k * mr;
            int r0 = t + rb * mr;
            int rows = Math.min(mr, n - r0);
            for (int q = 0; q < k; q++) {
                int src = q < NB ? (j0 + q) * n + r0 : (q - NB) * n + r0;
                double[] from = q < NB ? a : w;
                int dst = base + q * mr;
                System.arraycopy(from, src, packP, dst, rows);
                if (rows < mr) {
                    java.util.Arrays.fill(packP, dst + rows, dst + mr, 0.0);
                }
            }
        }
        // R packed per column block: [block][q][c].
        for (int cb = 0; cb < colBlocks; cb++) {
            int base = cb * k * nr;
            int c0 = t + cb * nr;
            int cols = Math.min(nr, n - c0);
            for (int q = 0; q < k; q++) {
                int dst = base + q * nr;
                for (int c = 0; c < nr; c++) {
                    packR[dst + c] = c < cols ? (q < NB ? w[q * n + c0 + c] : a[(j0 + q - NB) * n + c0 + c]) : 0.0;
                }
            }
        }
        SymmetricRank2k.multiplyPacked(packP, packR, k, a, n, t, workers);
    }
}
