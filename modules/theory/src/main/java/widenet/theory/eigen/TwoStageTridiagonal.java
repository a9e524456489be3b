package widenet.theory.eigen;

/**
 * A = Q T Qᵀ for a real symmetric A in two stages (LAPACK's dsytrd_2stage): dense → band of half-bandwidth b
 * ({@link BandReduction}: A = Q₁BQ₁ᵀ, all in compute-bound products, parallel), then band → tridiagonal
 * ({@link BandTridiagonal}: B = Q₂TQ₂ᵀ, O(bn²), in cache), so Q = Q₁Q₂. The one-stage reduction
 * ({@link HouseholderTridiagonal}) spends half its 4n³/3 flops in one symmetric matrix–vector product per column,
 * each streaming the whole trailing matrix from memory; here the same flops run at GEMM speed and the second stage
 * adds ≈ 6bn² — at n = 6000 a small fraction of the first.
 *
 * <p>Memory: A's own n² doubles and O(n·b) besides. Q₁'s reflectors stay below the band in A's lower triangle; Q₂'s
 * (≈ n²/2 doubles, kept only when Q is wanted) go into A's upper triangle, which the first stage leaves free
 * ({@link ReflectorStore}). Deterministic for a given thread count (the splits depend only on n and the count).
 */
public final class TwoStageTridiagonal implements TridiagonalForm {
    /** The half-bandwidth b: the first stage's products have k = b (A₂₂V) and 2b (the update); 2L divides it. */
    public static final int DEFAULT_BAND = 32;

    private final int n;
    private final double[] d;
    private final double[] e;
    private final BandReduction first;
    private final ReflectorStore second;

    private TwoStageTridiagonal(int n, double[] d, double[] e, BandReduction first, ReflectorStore second) {
        this.n = n;
        this.d = d;
        this.e = e;
        this.first = first;
        this.second = second;
    }

    /**
     * Reduces the symmetric n×n matrix in {@code a} (one triangle read), destroying it.
     *
     * @param b half-bandwidth of the intermediate band, a multiple of 2·{@link DoubleKernels#L} (and of 8)
     * @param withQ whether to keep Q (for {@link #apply}, {@link #applyTranspose})
     */
    public static TwoStageTridiagonal reduceInPlace(double[] a, int n, int threads, int b, boolean withQ) {
        if ((long) n * n != a.length) {
            throw new IllegalArgumentException("expected " + n + "×" + n + " values, got " + a.length);
        }
        if (b < 8 || b % 8 != 0 || b % (2 * DoubleKernels.L) != 0) {
            throw new IllegalArgumentException("band " + b + " must be a multiple of 8 and of " + 2 * DoubleKernels.L);
        }
        double[] d = new double[n];
        double[] e = new double[Math.max(0, n - 1)];
        BandReduction first;
        double[] ab;
        int bw = Math.max(1, Math.min(b, n - 1));
        try (Workers w = new Workers(Math.max(1, threads))) {
            first = BandReduction.reduce(a, n, b, w);
        }
        // The band, copied out of A (B(r, c) = A(r, c) for c ≤ r ≤ c + b).
        ab = BandTridiagonal.allocate(n, bw);
        int ld = 2 * bw;
        for (int c = 0; c < n; c++) {
            int rows = Math.min(n - 1, c + bw) - c + 1;
            System.arraycopy(a, c * n + c, ab, c * ld + c, rows);
        }
        ReflectorStore store = withQ ? new ReflectorStore(a, n, bw) : null;
        BandTridiagonal.reduce(ab, n, bw, d, e, store);
        return new TwoStageTridiagonal(n, d, e, withQ ? first : null, store);
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public double[] diagonal() {
        return d.clone();
    }

    @Override
    public double[] offDiagonal() {
        return e.clone();
    }

    /** y := Qᵀy = Q₂ᵀ(Q₁ᵀy). */
    @Override
    public void applyTranspose(double[] y) {
        check(y);
        first.applyTranspose(y);
        second.applyTranspose(y);
    }

    /** z := Qz = Q₁(Q₂z). */
    @Override
    public void apply(double[] z) {
        check(z);
        second.apply(z);
        first.apply(z);
    }

    private void check(double[] y) {
        if (first == null) {
            throw new IllegalStateException("Q was not kept (reduced without vectors)");
        }
        if (y.length != n) {
            throw new IllegalArgumentException("vector of length " + y.length + ", matrix is " + n + "×" + n);
        }
    }
}
