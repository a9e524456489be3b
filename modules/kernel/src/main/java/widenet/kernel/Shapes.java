package widenet.kernel;

import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/** Shape checks shared by the providers, so every provider rejects the same calls with the same message. */
public final class Shapes {
    private Shapes() {}

    public static void gemm(Op opA, Op opB, FloatMatrix a, FloatMatrix b, FloatMatrix c) {
        int m = opA.rows(a), k = opA.cols(a), kb = opB.rows(b), n = opB.cols(b);
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: op(A) is " + m + "×" + k + " (A " + a.shape() + ", " + opA
                    + "), op(B) is " + kb + "×" + n + " (B " + b.shape() + ", " + opB + "), C is " + c.shape()
                    + "; need op(A) M×K, op(B) K×N, C M×N");
        }
    }

    public static void gemm(Op opA, Op opB, FloatMatrix a, FloatMatrix b, FloatMatrix c, Epilogue e) {
        gemm(opA, opB, a, b, c);
        if (e.derivative() != null) {
            same(c, e.derivative(), "gemm epilogue derivative");
        }
    }

    public static void gemv(Op opA, FloatMatrix a, FloatVec x, FloatVec y) {
        if (opA.cols(a) != x.length() || opA.rows(a) != y.length()) {
            throw new IllegalArgumentException("gemv: op(A) is " + opA.rows(a) + "×" + opA.cols(a) + " (A " + a.shape()
                    + ", " + opA + "), x has " + x.length() + ", y has " + y.length());
        }
    }

    public static void same(FloatMatrix a, FloatMatrix b, String what) {
        FloatMatrix.requireSameShape(a, b, what);
    }

    public static void same(FloatVec a, FloatVec b, String what) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException(what + ": lengths differ, " + a.length() + " vs " + b.length());
        }
    }

    public static void length(FloatVec v, int n, String what) {
        if (v.length() != n) {
            throw new IllegalArgumentException(what + ": expected length " + n + ", got " + v.length());
        }
    }
}
