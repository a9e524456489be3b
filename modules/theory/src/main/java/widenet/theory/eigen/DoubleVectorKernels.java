package widenet.theory.eigen;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double-precision Vector API loops the eigensolver spends its time in: dot, axpy, the lower-triangle symmetric
 * matrix–vector product (the memory-bound half of the Householder reduction, one pass over each column serving both
 * the column's dot and its axpy, four columns at a time so y is loaded once per four columns) and the rank-2k update
 * micro-kernel (the compute-bound half). Matrices are column-major: A(i, j) = a[j·lda + i], so every column is a
 * contiguous run; for a symmetric matrix this is also its row-major layout.
 *
 * <p>Only reached through {@link DoubleKernels}, which uses these when the Vector API module is loaded.
 *
 * <p>Every vector stays inside the method that creates it (a vector passed to a method that does not inline is boxed).
 */
final class DoubleVectorKernels {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private DoubleVectorKernels() {}

    /** Σ x[xo+i]·y[yo+i], i &lt; len. */
    static double dot(double[] x, int xo, double[] y, int yo, int len) {
        DoubleVector acc0 = DoubleVector.zero(S);
        DoubleVector acc1 = DoubleVector.zero(S);
        int i = 0;
        for (; i <= len - 2 * L; i += 2 * L) {
            acc0 = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), acc0);
            acc1 = DoubleVector.fromArray(S, x, xo + i + L).fma(DoubleVector.fromArray(S, y, yo + i + L), acc1);
        }
        double s = sum(acc0.add(acc1));
        for (; i < len; i++) {
            s += x[xo + i] * y[yo + i];
        }
        return s;
    }

    /** y[yo+i] += alpha·x[xo+i], i &lt; len. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (; i <= len - L; i += L) {
            DoubleVector.fromArray(S, x, xo + i)
                    .fma(va, DoubleVector.fromArray(S, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** x[xo+i] *= alpha, i &lt; len. */
    static void scale(double alpha, double[] x, int xo, int len) {
        int i = 0;
        for (; i <= len - L; i += L) {
            DoubleVector.fromArray(S, x, xo + i).mul(alpha).intoArray(x, xo + i);
        }
        for (; i < len; i++) {
            x[xo + i] *= alpha;
        }
    }

    /**
     * y(i) += Σ_j A(i, j)·v(j) over the columns j ∈ [jFrom, jTo) of the symmetric matrix whose lower triangle (rows
     * j..n−1 of column j) is stored: each stored A(i, j) with i &gt; j contributes to y(i) and, by symmetry, to y(j).
     * v(i) = v[vo + i] and y(i) = y[yo + i] are indexed by the matrix's row. Only rows ≥ jFrom of y are touched.
     */
    static void symvLower(double[] a, int lda, int n, int jFrom, int jTo, double[] v, int vo, double[] y, int yo) {
        int j = jFrom;
        for (; j + 4 <= jTo; j += 4) {
            int c0 = j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
            double v0 = v[vo + j], v1 = v[vo + j + 1], v2 = v[vo + j + 2], v3 = v[vo + j + 3];
            // The 4×4 diagonal block, lower part.
            double a10 = a[c0 + j + 1], a20 = a[c0 + j + 2], a30 = a[c0 + j + 3];
            double a21 = a[c1 + j + 2], a31 = a[c1 + j + 3], a32 = a[c2 + j + 3];
            double s0 = a[c0 + j] * v0 + a10 * v1 + a20 * v2 + a30 * v3;
            double s1 = a10 * v0 + a[c1 + j + 1] * v1 + a21 * v2 + a31 * v3;
            double s2 = a20 * v0 + a21 * v1 + a[c2 + j + 2] * v2 + a32 * v3;
            double s3 = a30 * v0 + a31 * v1 + a32 * v2 + a[c3 + j + 3] * v3;
            DoubleVector b0 = DoubleVector.broadcast(S, v0);
            DoubleVector b1 = DoubleVector.broadcast(S, v1);
            DoubleVector b2 = DoubleVector.broadcast(S, v2);
            DoubleVector b3 = DoubleVector.broadcast(S, v3);
            DoubleVector t0 = DoubleVector.zero(S);
            DoubleVector t1 = DoubleVector.zero(S);
            DoubleVector t2 = DoubleVector.zero(S);
            DoubleVector t3 = DoubleVector.zero(S);
            int i = j + 4;
            for (; i <= n - L; i += L) {
                DoubleVector x0 = DoubleVector.fromArray(S, a, c0 + i);
                DoubleVector x1 = DoubleVector.fromArray(S, a, c1 + i);
                DoubleVector x2 = DoubleVector.fromArray(S, a, c2 + i);
                DoubleVector x3 = DoubleVector.fromArray(S, a, c3 + i);
                DoubleVector vi = DoubleVector.fromArray(S, v, vo + i);
                DoubleVector yi = DoubleVector.fromArray(S, y, yo + i);
                yi = x0.fma(b0, yi);
                t0 = x0.fma(vi, t0);
                yi = x1.fma(b1, yi);
                t1 = x1.fma(vi, t1);
                yi = x2.fma(b2, yi);
                t2 = x2.fma(vi, t2);
                yi = x3.fma(b3, yi);
                t3 = x3.fma(vi, t3);
                yi.intoArray(y, yo + i);
            }
            for (; i < n; i++) {
                double x0 = a[c0 + i], x1 = a[c1 + i], x2 = a[c2 + i], x3 = a[c3 + i];
                double vi = v[vo + i];
                y[yo + i] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
                s0 += x0 * vi;
                s1 += x1 * vi;
                s2 += x2 * vi;
                s3 += x3 * vi;
            }
            y[yo + j] += s0 + sum(t0);
            y[yo + j + 1] += s1 + sum(t1);
            y[yo + j + 2] += s2 + sum(t2);
            y[yo + j + 3] += s3 + sum(t3);
        }
        for (; j < jTo; j++) {
            int c = j * lda;
            double vj = v[vo + j];
            int len = n - j - 1;
            double s = a[c + j] * vj + dot(a, c + j + 1, v, vo + j + 1, len);
            axpy(vj, a, c + j + 1, y, yo + j + 1, len);
            y[yo + j] += s;
        }
    }

    /**
     * Y(i, ·) += Σ_j A(i, j)·V(j, ·) over the columns j ∈ [jFrom, jTo) of the symmetric matrix whose lower triangle
     * (rows j..n−1 of column j) is stored — {@link #symvLower} for b right-hand sides at once, the compute-bound
     * product of the dense-to-band reduction. V and Y are row-major with row length b (a multiple of 2L), indexed by
     * the matrix row: V(i, q) = v[vo + i·b + q]. Four columns share one pass over their rows: per row, the four
     * A(i, j..j+3) are broadcast against V(j..j+3, ·) (held in registers) into Y(i, ·) and against V(i, ·) into
     * the four accumulated rows Y(j..j+3, ·); 2L of the b columns per pass, so 24 vector registers are live.
     */
    static void symmLower(
            double[] a, int lda, int n, int jFrom, int jTo, double[] v, int vo, int b, double[] y, int yo) {
        int j = jFrom;
        for (; j + 4 <= jTo; j += 4) {
            int c0 = j * lda, c1 = c0 + lda, c2 = c1 + lda, c3 = c2 + lda;
            for (int q = 0; q < b; q += 2 * L) {
                int r0 = vo + j * b + q;
                DoubleVector v00 = DoubleVector.fromArray(S, v, r0), v01 = DoubleVector.fromArray(S, v, r0 + L);
                DoubleVector v10 = DoubleVector.fromArray(S, v, r0 + b), v11 = DoubleVector.fromArray(S, v, r0 + b + L);
                DoubleVector v20 = DoubleVector.fromArray(S, v, r0 + 2 * b),
                        v21 = DoubleVector.fromArray(S, v, r0 + 2 * b + L);
                DoubleVector v30 = DoubleVector.fromArray(S, v, r0 + 3 * b),
                        v31 = DoubleVector.fromArray(S, v, r0 + 3 * b + L);
                // The 4×4 diagonal block: row j+r receives A(j+r, j+c)·V(j+c) for every c (A symmetric), so the
                // accumulators start from it.
                DoubleVector t00, t01, t10, t11, t20, t21, t30, t31;
                {
                    double a00 = a[c0 + j], a10 = a[c0 + j + 1], a20 = a[c0 + j + 2], a30 = a[c0 + j + 3];
                    double a11 = a[c1 + j + 1], a21 = a[c1 + j + 2], a31 = a[c1 + j + 3];
                    double a22 = a[c2 + j + 2], a32 = a[c2 + j + 3], a33 = a[c3 + j + 3];
                    t00 = v00.mul(a00).add(v10.mul(a10)).add(v20.mul(a20)).add(v30.mul(a30));
                    t01 = v01.mul(a00).add(v11.mul(a10)).add(v21.mul(a20)).add(v31.mul(a30));
                    t10 = v00.mul(a10).add(v10.mul(a11)).add(v20.mul(a21)).add(v30.mul(a31));
                    t11 = v01.mul(a10).add(v11.mul(a11)).add(v21.mul(a21)).add(v31.mul(a31));
                    t20 = v00.mul(a20).add(v10.mul(a21)).add(v20.mul(a22)).add(v30.mul(a32));
                    t21 = v01.mul(a20).add(v11.mul(a21)).add(v21.mul(a22)).add(v31.mul(a32));
                    t30 = v00.mul(a30).add(v10.mul(a31)).add(v20.mul(a32)).add(v30.mul(a33));
                    t31 = v01.mul(a30).add(v11.mul(a31)).add(v21.mul(a32)).add(v31.mul(a33));
                }
                for (int i = j + 4; i < n; i++) {
                    int vi = vo + i * b + q;
                    int yi = yo + i * b + q;
                    DoubleVector x0 = DoubleVector.broadcast(S, a[c0 + i]);
                    DoubleVector x1 = DoubleVector.broadcast(S, a[c1 + i]);
                    DoubleVector x2 = DoubleVector.broadcast(S, a[c2 + i]);
                    DoubleVector x3 = DoubleVector.broadcast(S, a[c3 + i]);
                    DoubleVector w0 = DoubleVector.fromArray(S, v, vi);
                    DoubleVector w1 = DoubleVector.fromArray(S, v, vi + L);
                    DoubleVector y0 = DoubleVector.fromArray(S, y, yi);
                    DoubleVector y1 = DoubleVector.fromArray(S, y, yi + L);
                    y0 = v00.fma(x0, y0);
                    y1 = v01.fma(x0, y1);
                    t00 = w0.fma(x0, t00);
                    t01 = w1.fma(x0, t01);
                    y0 = v10.fma(x1, y0);
                    y1 = v11.fma(x1, y1);
                    t10 = w0.fma(x1, t10);
                    t11 = w1.fma(x1, t11);
                    y0 = v20.fma(x2, y0);
                    y1 = v21.fma(x2, y1);
                    t20 = w0.fma(x2, t20);
                    t21 = w1.fma(x2, t21);
                    y0 = v30.fma(x3, y0);
                    y1 = v31.fma(x3, y1);
                    t30 = w0.fma(x3, t30);
                    t31 = w1.fma(x3, t31);
                    y0.intoArray(y, yi);
                    y1.intoArray(y, yi + L);
                }
                int yj = yo + j * b + q;
                DoubleVector.fromArray(S, y, yj).add(t00).intoArray(y, yj);
                DoubleVector.fromArray(S, y, yj + L).add(t01).intoArray(y, yj + L);
                DoubleVector.fromArray(S, y, yj + b).add(t10).intoArray(y, yj + b);
                DoubleVector.fromArray(S, y, yj + b + L).add(t11).intoArray(y, yj + b + L);
                DoubleVector.fromArray(S, y, yj + 2 * b).add(t20).intoArray(y, yj + 2 * b);
                DoubleVector.fromArray(S, y, yj + 2 * b + L).add(t21).intoArray(y, yj + 2 * b + L);
                DoubleVector.fromArray(S, y, yj + 3 * b).add(t30).intoArray(y, yj + 3 * b);
                DoubleVector.fromArray(S, y, yj + 3 * b + L).add(t31).intoArray(y, yj + 3 * b + L);
            }
        }
        for (; j < jTo; j++) {
            int c = j * lda;
            for (int q = 0; q < b; q += L) {
                DoubleVector vj = DoubleVector.fromArray(S, v, vo + j * b + q);
                DoubleVector t = vj.mul(a[c + j]);
                for (int i = j + 1; i < n; i++) {
                    DoubleVector x = DoubleVector.broadcast(S, a[c + i]);
                    int yi = yo + i * b + q;
                    vj.fma(x, DoubleVector.fromArray(S, y, yi)).intoArray(y, yi);
                    t = DoubleVector.fromArray(S, v, vo + i * b + q).fma(x, t);
                }
                int yj = yo + j * b + q;
                DoubleVector.fromArray(S, y, yj).add(t).intoArray(y, yj);
            }
        }
    }

    /**
     * The lanes' sum in lane order. Not {@code reduceLanes(ADD)}: its floating-point order is unspecified and differs
     * between the interpreter and C2, which would make results depend on when the JIT compiled this code.
     */
    private static double sum(DoubleVector v) {
        double s = 0;
        for (int i = 0; i < L; i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** Rows of the rank-2k micro-tile: two vectors. */
    static final int MR = 2 * L;
    /** Columns of the rank-2k micro-tile. */
    static final int NR = 8;

    /**
     * C(i0.., j0..) −= P·Rᵀ on one MR×NR tile: P packed as p[po + q·MR + r] (k columns q), R as r[ro + q·NR + c];
     * only rows below {@code rowEnd} and the first {@code cols} columns are written.
     */
    static void rank2kTile(
            double[] p, int po, double[] rr, int ro, int k, double[] c, int ldc, int i0, int j0, int rowEnd, int cols) {
        DoubleVector c00 = DoubleVector.zero(S),
                c01 = DoubleVector.zero(S),
                c02 = DoubleVector.zero(S),
                c03 = DoubleVector.zero(S);
        DoubleVector c04 = DoubleVector.zero(S),
                c05 = DoubleVector.zero(S),
                c06 = DoubleVector.zero(S),
                c07 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S),
                c11 = DoubleVector.zero(S),
                c12 = DoubleVector.zero(S),
                c13 = DoubleVector.zero(S);
        DoubleVector c14 = DoubleVector.zero(S),
                c15 = DoubleVector.zero(S),
                c16 = DoubleVector.zero(S),
                c17 = DoubleVector.zero(S);
        for (int q = 0; q < k; q++) {
            int pa = po + q * MR;
            int rb = ro + q * NR;
            DoubleVector a0 = DoubleVector.fromArray(S, p, pa);
            DoubleVector a1 = DoubleVector.fromArray(S, p, pa + L);
            DoubleVector b = DoubleVector.broadcast(S, rr[rb]);
            c00 = a0.fma(b, c00);
            c10 = a1.fma(b, c10);
            b = DoubleVector.broadcast(S, rr[rb + 1]);
            c01 = a0.fma(b, c01);
            c11 = a1.fma(b, c11);
            b = DoubleVector.broadcast(S, rr[rb + 2]);
            c02 = a0.fma(b, c02);
            c12 = a1.fma(b, c12);
            b = DoubleVector.broadcast(S, rr[rb + 3]);
            c03 = a0.fma(b, c03);
            c13 = a1.fma(b, c13);
            b = DoubleVector.broadcast(S, rr[rb + 4]);
            c04 = a0.fma(b, c04);
            c14 = a1.fma(b, c14);
            b = DoubleVector.broadcast(S, rr[rb + 5]);
            c05 = a0.fma(b, c05);
            c15 = a1.fma(b, c15);
            b = DoubleVector.broadcast(S, rr[rb + 6]);
            c06 = a0.fma(b, c06);
            c16 = a1.fma(b, c16);
            b = DoubleVector.broadcast(S, rr[rb + 7]);
            c07 = a0.fma(b, c07);
            c17 = a1.fma(b, c17);
        }
        int rows = rowEnd - i0;
        if (rows >= MR && cols == NR) {
            int o = j0 * ldc + i0;
            DoubleVector.fromArray(S, c, o).sub(c00).intoArray(c, o);
            DoubleVector.fromArray(S, c, o + L).sub(c10).intoArray(c, o + L);
            DoubleVector.fromArray(S, c, o + ldc).sub(c01).intoArray(c, o + ldc);
            DoubleVector.fromArray(S, c, o + ldc + L).sub(c11).intoArray(c, o + ldc + L);
            DoubleVector.fromArray(S, c, o + 2 * ldc).sub(c02).intoArray(c, o + 2 * ldc);
            DoubleVector.fromArray(S, c, o + 2 * ldc + L).sub(c12).intoArray(c, o + 2 * ldc + L);
            DoubleVector.fromArray(S, c, o + 3 * ldc).sub(c03).intoArray(c, o + 3 * ldc);
            DoubleVector.fromArray(S, c, o + 3 * ldc + L).sub(c13).intoArray(c, o + 3 * ldc + L);
            DoubleVector.fromArray(S, c, o + 4 * ldc).sub(c04).intoArray(c, o + 4 * ldc);
            DoubleVector.fromArray(S, c, o + 4 * ldc + L).sub(c14).intoArray(c, o + 4 * ldc + L);
            DoubleVector.fromArray(S, c, o + 5 * ldc).sub(c05).intoArray(c, o + 5 * ldc);
            DoubleVector.fromArray(S, c, o + 5 * ldc + L).sub(c15).intoArray(c, o + 5 * ldc + L);
            DoubleVector.fromArray(S, c, o + 6 * ldc).sub(c06).intoArray(c, o + 6 * ldc);
            DoubleVector.fromArray(S, c, o + 6 * ldc + L).sub(c16).intoArray(c, o + 6 * ldc + L);
            DoubleVector.fromArray(S, c, o + 7 * ldc).sub(c07).intoArray(c, o + 7 * ldc);
            DoubleVector.fromArray(S, c, o + 7 * ldc + L).sub(c17).intoArray(c, o + 7 * ldc + L);
            return;
        }
        VectorMask<Double> m0 = S.indexInRange(0, rows);
        VectorMask<Double> m1 = S.indexInRange(L, rows);
        for (int col = 0; col < cols; col++) {
            DoubleVector x0, x1;
            switch (col) {
                case 0 -> {
                    x0 = c00;
                    x1 = c10;
                }
                case 1 -> {
                    x0 = c01;
                    x1 = c11;
                }
                case 2 -> {
                    x0 = c02;
                    x1 = c12;
                }
                case 3 -> {
                    x0 = c03;
                    x1 = c13;
                }
                case 4 -> {
                    x0 = c04;
                    x1 = c14;
                }
                case 5 -> {
                    x0 = c05;
                    x1 = c15;
                }
                case 6 -> {
                    x0 = c06;
                    x1 = c16;
                }
                default -> {
                    x0 = c07;
                    x1 = c17;
                }
            }
            int o = (j0 + col) * ldc + i0;
            DoubleVector.fromArray(S, c, o, m0).sub(x0).intoArray(c, o, m0);
            DoubleVector.fromArray(S, c, o + L, m1).sub(x1).intoArray(c, o + L, m1);
        }
    }
}
