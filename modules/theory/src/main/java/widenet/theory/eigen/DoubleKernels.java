package widenet.theory.eigen;

/**
 * The eigensolver's inner loops, chosen once: {@link DoubleVectorKernels} when the Vector API module
 * ({@code jdk.incubator.vector}) is loaded, plain loops otherwise — a JVM started on the class path without
 * {@code --add-modules jdk.incubator.vector}, where the kernel providers fall back to {@code scalar} too, must still
 * decompose a Gram matrix instead of failing with {@code NoClassDefFoundError}. Both are deterministic; they need not
 * agree bit for bit (a run records which kernels it used). The tile shape (MR×NR) is the same for both, so the
 * packing in {@link HouseholderTridiagonal} does not depend on the choice.
 */
final class DoubleKernels {
    /** Whether the Vector API loops are used. */
    static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** Lanes of one vector (4 doubles, a 256-bit register's worth, for the plain loops). */
    static final int L = VECTOR ? DoubleVectorKernels.L : 4;
    /** Rows of the rank-2k micro-tile: two vectors. */
    static final int MR = 2 * L;
    /** Columns of the rank-2k micro-tile. */
    static final int NR = 8;

    private DoubleKernels() {}

    /** Σ x[xo+i]·y[yo+i], i &lt; len. */
    static double dot(double[] x, int xo, double[] y, int yo, int len) {
        if (VECTOR) {
            return DoubleVectorKernels.dot(x, xo, y, yo, len);
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            s = Math.fma(x[xo + i], y[yo + i], s);
        }
        return s;
    }

    /** y[yo+i] += alpha·x[xo+i], i &lt; len. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        if (VECTOR) {
            DoubleVectorKernels.axpy(alpha, x, xo, y, yo, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            y[yo + i] = Math.fma(x[xo + i], alpha, y[yo + i]);
        }
    }

    /** x[xo+i] *= alpha, i &lt; len. */
    static void scale(double alpha, double[] x, int xo, int len) {
        if (VECTOR) {
            DoubleVectorKernels.scale(alpha, x, xo, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            x[xo + i] *= alpha;
        }
    }

    /** As {@link DoubleVectorKernels#symvLower}: y += A·v over the stored lower triangle of columns [jFrom, jTo). */
    static void symvLower(double[] a, int lda, int n, int jFrom, int jTo, double[] v, int vo, double[] y, int yo) {
        if (VECTOR) {
            DoubleVectorKernels.symvLower(a, lda, n, jFrom, jTo, v, vo, y, yo);
            return;
        }
        for (int j = jFrom; j < jTo; j++) {
            int c = j * lda;
            double vj = v[vo + j];
            int len = n - j - 1;
            double s = a[c + j] * vj + dot(a, c + j + 1, v, vo + j + 1, len);
            axpy(vj, a, c + j + 1, y, yo + j + 1, len);
            y[yo + j] += s;
        }
    }

    /**
     * As {@link DoubleVectorKernels#symmLower}: Y += A·V for b right-hand sides over the stored lower triangle of
     * columns [jFrom, jTo); V and Y row-major with row length b (a multiple of {@link #L}·2), indexed by matrix row.
     */
    static void symmLower(
            double[] a, int lda, int n, int jFrom, int jTo, double[] v, int vo, int b, double[] y, int yo) {
        if (VECTOR) {
            DoubleVectorKernels.symmLower(a, lda, n, jFrom, jTo, v, vo, b, y, yo);
            return;
        }
        for (int j = jFrom; j < jTo; j++) {
            int c = j * lda;
            int vj = vo + j * b;
            int yj = yo + j * b;
            double ajj = a[c + j];
            for (int q = 0; q < b; q++) {
                y[yj + q] = Math.fma(ajj, v[vj + q], y[yj + q]);
            }
            for (int i = j + 1; i < n; i++) {
                double x = a[c + i];
                int vi = vo + i * b;
                int yi = yo + i * b;
                for (int q = 0; q < b; q++) {
                    y[yi + q] = Math.fma(x, v[vj + q], y[yi + q]);
                    y[yj + q] = Math.fma(x, v[vi + q], y[yj + q]);
                }
            }
        }
    }

    /** As {@link DoubleVectorKernels#rank2kTile}: C(i0.., j0..) −= P·Rᵀ on one MR×NR tile. */
    static void rank2kTile(
            double[] p, int po, double[] rr, int ro, int k, double[] c, int ldc, int i0, int j0, int rowEnd, int cols) {
        if (VECTOR) {
            DoubleVectorKernels.rank2kTile(p, po, rr, ro, k, c, ldc, i0, j0, rowEnd, cols);
            return;
        }
        int rows = Math.min(rowEnd - i0, MR);
        for (int col = 0; col < cols; col++) {
            int o = (j0 + col) * ldc + i0;
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    s = Math.fma(p[po + q * MR + r], rr[ro + q * NR + col], s);
                }
                c[o + r] -= s;
            }
        }
    }
}
