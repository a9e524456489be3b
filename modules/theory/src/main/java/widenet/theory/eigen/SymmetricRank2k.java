package widenet.theory.eigen;

/**
 * C(t:n, t:n) −= X Yᵀ + Y Xᵀ on the lower triangle of a column-major n×n matrix (BLAS's dsyr2k), with X and Y
 * row-major (m = n − t rows of b doubles, X(i, q) = x[(i − t)·b + q]): one GEMM C −= P Rᵀ with P = [X Y],
 * R = [Y X], k = 2b, in {@link DoubleKernels#MR}×{@link DoubleKernels#NR} register tiles over packed panels,
 * row chunks split between threads by their share of the triangle. The tiles straddling the diagonal write a few
 * entries above it (the upper triangle is scratch).
 */
final class SymmetricRank2k {
    /** Rows per chunk: the packed chunk (MC·2b doubles) stays in L2. */
    static final int MC = 256;

    private final int b;
    private final int k;
    private final double[] packP;
    private final double[] packR;

    /** Work space for updates of up to {@code maxRows} rows with b columns in X and Y. */
    SymmetricRank2k(int maxRows, int b) {
        this.b = b;
        this.k = 2 * b;
        this.packP = new double[(maxRows / DoubleKernels.MR + 1) * DoubleKernels.MR * k];
        this.packR = new double[(maxRows / DoubleKernels.NR + 1) * DoubleKernels.NR * k];
    }

    void update(double[] a, int n, int t, double[] x, double[] y, Workers workers) {
        int m = n - t;
        int mr = DoubleKernels.MR;
        int nr = DoubleKernels.NR;
        int rowBlocks = (m + mr - 1) / mr;
        int colBlocks = (m + nr - 1) / nr;
        // P per row block: [block][q][r], zero beyond the last row.
        for (int rb = 0; rb < rowBlocks; rb++) {
            int base = rb * k * mr;
            int r0 = rb * mr;
            int rows = Math.min(mr, m - r0);
            for (int r = 0; r < mr; r++) {
                int src = (r0 + r) * b;
                for (int q = 0; q < b; q++) {
                    packP[base + q * mr + r] = r < rows ? x[src + q] : 0.0;
                    packP[base + (q + b) * mr + r] = r < rows ? y[src + q] : 0.0;
                }
            }
        }
        // R per column block: [block][q][c].
        for (int cb = 0; cb < colBlocks; cb++) {
            int base = cb * k * nr;
            int c0 = cb * nr;
            int cols = Math.min(nr, m - c0);
            for (int c = 0; c < nr; c++) {
                int src = (c0 + c) * b;
                for (int q = 0; q < b; q++) {
                    packR[base + q * nr + c] = c < cols ? y[src + q] : 0.0;
                    packR[base + (q + b) * nr + c] = c < cols ? x[src + q] : 0.0;
                }
            }
        }
        multiplyPacked(packP, packR, k, a, n, t, workers);
    }

    /**
     * The tiled product of the packed panels into A's lower triangle from row and column t on: chunks of MC rows
     * split between the threads by their work (rows × the columns left of their end); the same tiles, in the same
     * order, for any thread count. Shared by this class's rank-2b update and HouseholderTridiagonal's.
     */
    static void multiplyPacked(double[] packP, double[] packR, int k, double[] a, int n, int t, Workers workers) {
        int m = n - t;
        int mr = DoubleKernels.MR;
        int nr = DoubleKernels.NR;
        int rowBlocks = (m + mr - 1) / mr;
        int chunkBlocks = MC / mr;
        int chunks = (rowBlocks + chunkBlocks - 1) / chunkBlocks;
        // Chunk r's work ∝ its rows × the columns left of its end; split the chunks between threads by that work.
        int parts = Math.min(workers.threads(), chunks);
        int[] bounds = new int[parts + 1];
        bounds[parts] = chunks;
        if (parts > 1) {
            double total = 0;
            double[] cum = new double[chunks];
            for (int ch = 0; ch < chunks; ch++) {
                int end = Math.min(m, (ch + 1) * chunkBlocks * mr);
                total += (double) Math.min(chunkBlocks * mr, m - ch * chunkBlocks * mr) * end;
                cum[ch] = total;
            }
            int p = 1;
            for (int ch = 0; ch < chunks && p < parts; ch++) {
                if (cum[ch] >= total * p / parts) {
                    bounds[p++] = ch + 1;
                }
            }
            while (p < parts) {
                bounds[p++] = chunks;
            }
        }
        workers.run(parts, part -> {
            for (int ch = bounds[part]; ch < bounds[part + 1]; ch++) {
                int rbFrom = ch * chunkBlocks;
                int rbTo = Math.min(rowBlocks, rbFrom + chunkBlocks);
                int rowEndLocal = Math.min(m, rbTo * mr);
                for (int cb = 0; cb * nr < rowEndLocal; cb++) {
                    int c0 = t + cb * nr;
                    int cols = Math.min(nr, n - c0);
                    int first = Math.max(rbFrom, (cb * nr) / mr);
                    for (int rb = first; rb < rbTo; rb++) {
                        DoubleKernels.rank2kTile(
                                packP, rb * k * mr, packR, cb * k * nr, k, a, n, t + rb * mr, c0, n, cols);
                    }
                }
            }
        });
    }
}
