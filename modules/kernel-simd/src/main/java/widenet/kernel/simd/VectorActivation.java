package widenet.kernel.simd;

import static widenet.kernel.simd.Lanes.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import widenet.kernel.Activation;

/**
 * An {@link Activation} σ and σ′ evaluated on whole vectors, in place or not. Mutable and reused ({@link #set}) so a
 * call allocates nothing.
 *
 * <p>Identity, ReLU and leaky ReLU reproduce {@link Activation#apply}/{@link Activation#derivative} bit for bit
 * (including NaN, which fails every comparison exactly as in the scalar code). The smooth leaky ReLU uses the
 * vector EXP and LOG in float where the reference goes through double; see the tests for the tolerance this implies.
 */
final class VectorActivation {
    static final int IDENTITY = 0, RELU = 1, LEAKY_RELU = 2, SMOOTH_LEAKY_RELU = 3;
    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = Lanes.LENGTH;
    private static final long VBYTES = (long) L * Float.BYTES;

    private int kind;
    private float alpha;
    private float beta;
    private boolean gradAtZero;

    /** Whether σ is ReLU or leaky ReLU: piecewise linear, done in the GEMM microkernel's registers. */
    boolean isPiecewiseLinear() {
        return kind == RELU || kind == LEAKY_RELU;
    }

    boolean isRelu() {
        return kind == RELU;
    }

    /** The negative slope (leaky ReLU). */
    float slope() {
        return alpha;
    }

    boolean gradAtZero() {
        return gradAtZero;
    }

    /** Becomes {@code activation}. */
    void set(Activation activation) {
        kind = switch (activation.kind()) {
            case IDENTITY -> IDENTITY;
            case RELU -> RELU;
            case LEAKY_RELU -> LEAKY_RELU;
            case SMOOTH_LEAKY_RELU -> SMOOTH_LEAKY_RELU;
        };
        alpha = activation.alpha();
        beta = activation.beta();
        gradAtZero = activation.gradAtZero();
    }

    /**
     * out[i] = σ(z[i]) and, if {@code d} is not null, d[i] = σ′(z[i]) for {@code count} floats starting at the given
     * byte offsets. {@code out} may be {@code z}.
     *
     * <p>One loop per kind, each with only its own vector code: with every kind's code in one loop body (a switch per
     * vector) C2 compiled even the identity to about 30 cycles per vector.
     */
    void apply(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        switch (kind) {
            case RELU -> relu(z, zOff, out, outOff, d, dOff, count);
            case LEAKY_RELU -> leakyRelu(z, zOff, out, outOff, d, dOff, count);
            case SMOOTH_LEAKY_RELU -> smoothLeakyRelu(z, zOff, out, outOff, d, dOff, count);
            default -> identity(z, zOff, out, outOff, d, dOff, count);
        }
    }

    // Each loop runs full vectors, then one masked vector for the tail, so tail lanes get exactly the same arithmetic.
    // Loads and stores happen inside the per-vector methods: no vector crosses a call. The parameters of σ reach
    // them as arguments, not fields: C2 assumes a store through a MemorySegment may change any field, and would
    // read them again after every vector.

    private void identity(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        for (int i = 0; i < count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            int lanes = Math.min(L, count - i);
            if (z != out || zOff != outOff) {
                copyVector(z, zOff, out, outOff, lanes);
            }
            if (d != null) {
                onesVector(d, dOff, lanes);
            }
        }
    }

    private void relu(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        boolean gradAtZero = this.gradAtZero;
        for (int i = 0; i < count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            reluVector(z, zOff, out, outOff, d, dOff, Math.min(L, count - i), gradAtZero);
        }
    }

    private void leakyRelu(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        boolean gradAtZero = this.gradAtZero;
        float alpha = this.alpha;
        for (int i = 0; i < count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            leakyReluVector(z, zOff, out, outOff, d, dOff, Math.min(L, count - i), alpha, gradAtZero);
        }
    }

    private void smoothLeakyRelu(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff,
                                 int count) {
        float alpha = this.alpha;
        float beta = this.beta;
        for (int i = 0; i < count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            smoothLeakyReluVector(z, zOff, out, outOff, d, dOff, Math.min(L, count - i), alpha, beta);
        }
    }

    private static void copyVector(MemorySegment z, long zOff, MemorySegment out, long outOff, int lanes) {
        if (lanes == L) {
            FloatVector.fromMemorySegment(S, z, zOff, ORDER).intoMemorySegment(out, outOff, ORDER);
        } else {
            VectorMask<Float> m = S.indexInRange(0, lanes);
            FloatVector.fromMemorySegment(S, z, zOff, ORDER, m).intoMemorySegment(out, outOff, ORDER, m);
        }
    }

    private static void onesVector(MemorySegment d, long dOff, int lanes) {
        if (lanes == L) {
            FloatVector.broadcast(S, 1f).intoMemorySegment(d, dOff, ORDER);
        } else {
            FloatVector.broadcast(S, 1f).intoMemorySegment(d, dOff, ORDER, S.indexInRange(0, lanes));
        }
    }

    private static void reluVector(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff,
                                   int lanes, boolean gradAtZero) {
        FloatVector x = lanes == L ? FloatVector.fromMemorySegment(S, z, zOff, ORDER)
                : FloatVector.fromMemorySegment(S, z, zOff, ORDER, S.indexInRange(0, lanes));
        VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
        FloatVector y = FloatVector.zero(S).blend(x, pos);
        if (lanes == L) {
            if (d != null) {
                // Two statements rather than ?: between masks, which C2 would box.
                if (gradAtZero) {
                    FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GE, 0f)).intoMemorySegment(d, dOff, ORDER);
                } else {
                    FloatVector.zero(S).blend(1f, pos).intoMemorySegment(d, dOff, ORDER);
                }
            }
            y.intoMemorySegment(out, outOff, ORDER);
        } else {
            VectorMask<Float> m = S.indexInRange(0, lanes);
            if (d != null) {
                // Two statements rather than ?: between masks, which C2 would box.
                if (gradAtZero) {
                    FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GE, 0f)).intoMemorySegment(d, dOff, ORDER, m);
                } else {
                    FloatVector.zero(S).blend(1f, pos).intoMemorySegment(d, dOff, ORDER, m);
                }
            }
            y.intoMemorySegment(out, outOff, ORDER, m);
        }
    }

    private static void leakyReluVector(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d,
                                        long dOff, int lanes, float alpha, boolean gradAtZero) {
        FloatVector x = lanes == L ? FloatVector.fromMemorySegment(S, z, zOff, ORDER)
                : FloatVector.fromMemorySegment(S, z, zOff, ORDER, S.indexInRange(0, lanes));
        VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
        FloatVector y = x.mul(alpha).blend(x, pos);
        if (lanes == L) {
            if (d != null) {
                // Two statements rather than ?: between masks, which C2 would box.
                if (gradAtZero) {
                    FloatVector.broadcast(S, alpha).blend(1f, x.compare(VectorOperators.GE, 0f)).intoMemorySegment(d, dOff, ORDER);
                } else {
                    FloatVector.broadcast(S, alpha).blend(1f, pos).intoMemorySegment(d, dOff, ORDER);
                }
            }
            y.intoMemorySegment(out, outOff, ORDER);
        } else {
            VectorMask<Float> m = S.indexInRange(0, lanes);
            if (d != null) {
                // Two statements rather than ?: between masks, which C2 would box.
                if (gradAtZero) {
                    FloatVector.broadcast(S, alpha).blend(1f, x.compare(VectorOperators.GE, 0f)).intoMemorySegment(d, dOff, ORDER, m);
                } else {
                    FloatVector.broadcast(S, alpha).blend(1f, pos).intoMemorySegment(d, dOff, ORDER, m);
                }
            }
            y.intoMemorySegment(out, outOff, ORDER, m);
        }
    }

    private static void smoothLeakyReluVector(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d,
                                              long dOff, int lanes, float alpha, float beta) {
        FloatVector x = lanes == L ? FloatVector.fromMemorySegment(S, z, zOff, ORDER)
                : FloatVector.fromMemorySegment(S, z, zOff, ORDER, S.indexInRange(0, lanes));
        // σ(x) = αx + (1−α)·softplus(βx)/β with softplus(t) = max(t, 0) + log1p(e), e = exp(−|t|), and
        // σ′(x) = α + (1−α)·sigmoid(t), sigmoid(t) = (t ≥ 0 ? 1 : e)/(1 + e): one EXP serves both, and
        // neither form overflows. Operation order as in Activation.apply.
        // log1p(e) = log(w)·e/(w − 1) with w = 1 + e rounded (exactly e where w = 1): accurate to a few ulps
        // (Goldberg 1991, thm. 4) with the vector LOG, which is intrinsified, whereas the vector LOG1P falls
        // back to a scalar loop on JDK 25 for AVX2 (about 4× slower overall).
        FloatVector t = x.mul(beta);
        FloatVector e = t.abs().neg().lanewise(VectorOperators.EXP);
        FloatVector w = e.add(1f);
        FloatVector log1p = w.lanewise(VectorOperators.LOG).mul(e).div(w.sub(1f))
                .blend(e, w.compare(VectorOperators.EQ, 1f));
        FloatVector softplus = t.max(0f).add(log1p);
        FloatVector y = x.mul(alpha).add(softplus.mul(1f - alpha).div(beta));
        if (lanes == L) {
            if (d != null) {
                FloatVector num = e.blend(1f, t.compare(VectorOperators.GE, 0f));
                num.div(w).mul(1f - alpha).add(alpha).intoMemorySegment(d, dOff, ORDER);
            }
            y.intoMemorySegment(out, outOff, ORDER);
        } else {
            VectorMask<Float> m = S.indexInRange(0, lanes);
            if (d != null) {
                FloatVector num = e.blend(1f, t.compare(VectorOperators.GE, 0f));
                num.div(w).mul(1f - alpha).add(alpha).intoMemorySegment(d, dOff, ORDER, m);
            }
            y.intoMemorySegment(out, outOff, ORDER, m);
        }
    }
}
