package widenet.kernel.simd;

import static widenet.kernel.simd.Lanes.F32;
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

    /**
     * Two vectors per thread (σ at 0, σ′ after it) for the smooth variant's row tails: made once per thread (the pool's
     * fixed workers and the caller), a map lookup after that.
     */
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> MemorySegment.ofArray(new float[2 * Lanes.LENGTH]));

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

    // Each loop runs full vectors, then the tail (fewer than L elements) in scalar code with the reference's
    // arithmetic, which for identity, ReLU and leaky ReLU is the vectors' too (the smooth variant's is not: its
    // tail goes through a scratch vector). Not masked vectors: C2 boxed masks and masked
    // loads/stores on some shapes, allocating per call. Loads and stores happen inside the per-vector methods: no
    // vector crosses a call. The parameters of σ reach them as arguments, not fields: C2 assumes a store through a
    // MemorySegment may change any field, and would read them again after every vector.

    private void identity(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        if (z != out || zOff != outOff) {
            MemorySegment.copy(z, zOff, out, outOff, (long) count * Float.BYTES);
        }
        if (d != null) {
            int i = 0;
            for (; i + L <= count; i += L, dOff += VBYTES) {
                FloatVector.broadcast(S, 1f).intoMemorySegment(d, dOff, ORDER);
            }
            for (; i < count; i++, dOff += Float.BYTES) {
                d.set(F32, dOff, 1f);
            }
        }
    }

    private void relu(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        boolean gradAtZero = this.gradAtZero;
        int i = 0;
        for (; i + L <= count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            reluVector(z, zOff, out, outOff, d, dOff, gradAtZero);
        }
        for (; i < count; i++, zOff += Float.BYTES, outOff += Float.BYTES, dOff += Float.BYTES) {
            float x = z.get(F32, zOff);
            if (d != null) {
                d.set(F32, dOff, x > 0f || (gradAtZero && x == 0f) ? 1f : 0f);
            }
            out.set(F32, outOff, x > 0f ? x : 0f);
        }
    }

    private void leakyRelu(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        boolean gradAtZero = this.gradAtZero;
        float alpha = this.alpha;
        int i = 0;
        for (; i + L <= count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            leakyReluVector(z, zOff, out, outOff, d, dOff, alpha, gradAtZero);
        }
        for (; i < count; i++, zOff += Float.BYTES, outOff += Float.BYTES, dOff += Float.BYTES) {
            float x = z.get(F32, zOff);
            if (d != null) {
                d.set(F32, dOff, x > 0f || (gradAtZero && x == 0f) ? 1f : alpha);
            }
            out.set(F32, outOff, x > 0f ? x : alpha * x);
        }
    }

    private void smoothLeakyRelu(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff,
                                 int count) {
        float alpha = this.alpha;
        float beta = this.beta;
        int i = 0;
        for (; i + L <= count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            smoothLeakyReluVector(z, zOff, out, outOff, d, dOff, alpha, beta);
        }
        if (i < count) {
            // The tail goes through this thread's scratch vector, so that it gets the vector arithmetic (a scalar
            // tail would give other bits than the same element inside a full vector, e.g. in a full GEMM tile).
            long bytes = (long) (count - i) * Float.BYTES;
            MemorySegment scratch = SCRATCH.get();
            MemorySegment.copy(z, zOff, scratch, 0, bytes);
            smoothLeakyReluVector(scratch, 0, scratch, 0, d == null ? null : scratch, VBYTES, alpha, beta);
            MemorySegment.copy(scratch, 0, out, outOff, bytes);
            if (d != null) {
                MemorySegment.copy(scratch, VBYTES, d, dOff, bytes);
            }
        }
    }

    private static void reluVector(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff,
                                   boolean gradAtZero) {
        FloatVector x = FloatVector.fromMemorySegment(S, z, zOff, ORDER);
        VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
        FloatVector y = FloatVector.zero(S).blend(x, pos);
        if (d != null) {
            // Two statements rather than ?: between masks, which C2 would box.
            if (gradAtZero) {
                FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GE, 0f)).intoMemorySegment(d, dOff, ORDER);
            } else {
                FloatVector.zero(S).blend(1f, pos).intoMemorySegment(d, dOff, ORDER);
            }
        }
        y.intoMemorySegment(out, outOff, ORDER);
    }

    private static void leakyReluVector(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d,
                                        long dOff, float alpha, boolean gradAtZero) {
        FloatVector x = FloatVector.fromMemorySegment(S, z, zOff, ORDER);
        VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
        FloatVector y = x.mul(alpha).blend(x, pos);
        if (d != null) {
            // Two statements rather than ?: between masks, which C2 would box.
            if (gradAtZero) {
                FloatVector.broadcast(S, alpha).blend(1f, x.compare(VectorOperators.GE, 0f)).intoMemorySegment(d, dOff, ORDER);
            } else {
                FloatVector.broadcast(S, alpha).blend(1f, pos).intoMemorySegment(d, dOff, ORDER);
            }
        }
        y.intoMemorySegment(out, outOff, ORDER);
    }

    private static void smoothLeakyReluVector(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d,
                                              long dOff, float alpha, float beta) {
        FloatVector x = FloatVector.fromMemorySegment(S, z, zOff, ORDER);
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
        if (d != null) {
            FloatVector num = e.blend(1f, t.compare(VectorOperators.GE, 0f));
            num.div(w).mul(1f - alpha).add(alpha).intoMemorySegment(d, dOff, ORDER);
        }
        y.intoMemorySegment(out, outOff, ORDER);
    }
}
