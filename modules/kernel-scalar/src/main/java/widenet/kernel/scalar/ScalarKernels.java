package widenet.kernel.scalar;

import java.lang.foreign.ValueLayout;
import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.kernel.Shapes;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The reference kernels: each operation is the textbook loop, single-threaded, summing in float in index order.
 * Readability over speed; every other provider is tested against these.
 */
final class ScalarKernels implements Kernels {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Override
    public String provider() {
        return "scalar";
    }

    @Override
    public String description() {
        return "scalar reference (plain loops, 1 thread)";
    }

    @Override
    public int threads() {
        return 1;
    }

    private static float get(FloatMatrix m, int i, int j) {
        return m.segment().getAtIndex(F, (long) i * m.stride() + j);
    }

    private static void set(FloatMatrix m, int i, int j, float v) {
        m.segment().setAtIndex(F, (long) i * m.stride() + j, v);
    }

    private static float get(FloatVec v, int i) {
        return v.segment().getAtIndex(F, i);
    }

    private static void set(FloatVec v, int i, float x) {
        v.segment().setAtIndex(F, i, x);
    }

    /** Element (i, j) of op(M). */
    private static float op(Op op, FloatMatrix m, int i, int j) {
        return op == Op.N ? get(m, i, j) : get(m, j, i);
    }

    @Override
    public void gemm(
            Op opA, Op opB, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c, Epilogue epilogue) {
        Shapes.gemm(opA, opB, a, b, c, epilogue);
        int m = c.rows(), n = c.cols(), k = opA.cols(a);
        Activation act = epilogue.activationOrNull();
        FloatMatrix deriv = epilogue.derivative();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += op(opA, a, i, p) * op(opB, b, p, j);
                }
                float v = beta == 0f ? alpha * acc : alpha * acc + beta * get(c, i, j);
                if (act != null) {
                    if (deriv != null) {
                        set(deriv, i, j, act.derivative(v));
                    }
                    v = act.apply(v);
                }
                set(c, i, j, v);
            }
        }
    }

    @Override
    public void gemv(Op opA, float alpha, FloatMatrix a, FloatVec x, float beta, FloatVec y) {
        Shapes.gemv(opA, a, x, y);
        int rows = opA.rows(a), k = opA.cols(a);
        for (int i = 0; i < rows; i++) {
            float acc = 0f;
            for (int p = 0; p < k; p++) {
                acc += op(opA, a, i, p) * get(x, p);
            }
            set(y, i, beta == 0f ? alpha * acc : alpha * acc + beta * get(y, i));
        }
    }

    @Override
    public void activate(Activation activation, FloatMatrix z, FloatMatrix out, FloatMatrix derivative) {
        Shapes.same(z, out, "activate");
        if (derivative != null) {
            Shapes.same(z, derivative, "activate derivative");
        }
        for (int i = 0; i < z.rows(); i++) {
            for (int j = 0; j < z.cols(); j++) {
                float v = get(z, i, j);
                if (derivative != null) {
                    set(derivative, i, j, activation.derivative(v));
                }
                set(out, i, j, activation.apply(v));
            }
        }
    }

    @Override
    public void scaleOuterMasked(float alpha, FloatVec rowScale, FloatVec colScale, FloatMatrix mask, FloatMatrix out) {
        Shapes.same(mask, out, "scaleOuterMasked");
        Shapes.length(rowScale, mask.rows(), "scaleOuterMasked row scale");
        Shapes.length(colScale, mask.cols(), "scaleOuterMasked column scale");
        for (int i = 0; i < mask.rows(); i++) {
            float ri = alpha * get(rowScale, i);
            for (int j = 0; j < mask.cols(); j++) {
                set(out, i, j, ri * get(colScale, j) * get(mask, i, j));
            }
        }
    }

    @Override
    public void hadamard(FloatMatrix a, FloatMatrix b, FloatMatrix out) {
        Shapes.same(a, b, "hadamard");
        Shapes.same(a, out, "hadamard output");
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                set(out, i, j, get(a, i, j) * get(b, i, j));
            }
        }
    }

    @Override
    public void axpy(float alpha, FloatMatrix x, FloatMatrix y) {
        Shapes.same(x, y, "axpy");
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                set(y, i, j, get(y, i, j) + alpha * get(x, i, j));
            }
        }
    }

    @Override
    public void axpy(float alpha, FloatVec x, FloatVec y) {
        Shapes.same(x, y, "axpy");
        for (int i = 0; i < x.length(); i++) {
            set(y, i, get(y, i) + alpha * get(x, i));
        }
    }

    @Override
    public void scale(float alpha, FloatMatrix x) {
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                set(x, i, j, alpha * get(x, i, j));
            }
        }
    }

    @Override
    public void copy(FloatMatrix src, FloatMatrix dst) {
        Shapes.same(src, dst, "copy");
        for (int i = 0; i < src.rows(); i++) {
            for (int j = 0; j < src.cols(); j++) {
                set(dst, i, j, get(src, i, j));
            }
        }
    }

    @Override
    public void addToRows(FloatVec v, FloatMatrix c) {
        Shapes.length(v, c.cols(), "addToRows");
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.cols(); j++) {
                set(c, i, j, get(c, i, j) + get(v, j));
            }
        }
    }

    @Override
    public double dot(FloatVec x, FloatVec y) {
        Shapes.same(x, y, "dot");
        float acc = 0f;
        for (int i = 0; i < x.length(); i++) {
            acc += get(x, i) * get(y, i);
        }
        return acc;
    }

    @Override
    public double sumOfSquares(FloatMatrix a) {
        float acc = 0f;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                float v = get(a, i, j);
                acc += v * v;
            }
        }
        return acc;
    }

    @Override
    public double sumOfSquaredDifferences(FloatMatrix a, FloatMatrix b) {
        Shapes.same(a, b, "sumOfSquaredDifferences");
        float acc = 0f;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                float d = get(a, i, j) - get(b, i, j);
                acc += d * d;
            }
        }
        return acc;
    }

    @Override
    public void rowSumsOfSquaredDifferences(FloatMatrix a, FloatMatrix b, FloatVec out) {
        Shapes.same(a, b, "rowSumsOfSquaredDifferences");
        Shapes.length(out, a.rows(), "rowSumsOfSquaredDifferences output");
        for (int i = 0; i < a.rows(); i++) {
            float acc = 0f;
            for (int j = 0; j < a.cols(); j++) {
                float d = get(a, i, j) - get(b, i, j);
                acc += d * d;
            }
            set(out, i, acc);
        }
    }

    @Override
    public void columnSums(FloatMatrix a, FloatVec out) {
        Shapes.length(out, a.cols(), "columnSums output");
        for (int j = 0; j < a.cols(); j++) {
            float acc = 0f;
            for (int i = 0; i < a.rows(); i++) {
                acc += get(a, i, j);
            }
            set(out, j, acc);
        }
    }

    @Override
    public long countDifferent(FloatMatrix a, FloatMatrix b) {
        Shapes.same(a, b, "countDifferent");
        long count = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                if (get(a, i, j) != get(b, i, j)) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public void close() {}
}
