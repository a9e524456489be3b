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
 * (including NaN, which fails every comparison exactly as in the scalar code). The smooth leaky ReLU performs the
 * operations of {@link SmoothLeakyMath} lane-wise — fixed polynomials for exp and log1p, no {@code EXP}/{@code LOG}
 * intrinsic — so its bits do not depend on the compilation tier, the vector width or the lane, and row tails (in
 * scalar code) get the same bits as full vectors; against the double-precision reference it is within the tolerance
 * the tests derive.
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

    // Each loop runs full vectors, then the tail (fewer than L elements) in scalar code with the reference's
    // arithmetic, which for identity, ReLU and leaky ReLU is the vectors' too (the smooth variant's
    // tail performs the vectors' operations in scalar code). Not masked vectors: C2 boxed masks and masked
    // loads/stores on some shapes, allocating per call. Loads and stores happen inside the per-vector methods: no
    // vector crosses a call. The parameters of σ reach them as arguments, not fields: C2 assumes a store through a
    // MemorySegment may change any field, and would read them again after every vector.

    private void identity(
            MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
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

    private void relu(
            MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
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

    private void leakyRelu(
            MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
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

    private void smoothLeakyRelu(
            MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        float alpha = this.alpha;
        float beta = this.beta;
        int i = 0;
        for (; i + L <= count; i += L, zOff += VBYTES, outOff += VBYTES, dOff += VBYTES) {
            smoothLeakyReluVector(z, zOff, out, outOff, d, dOff, alpha, beta);
        }
        for (; i < count; i++, zOff += Float.BYTES, outOff += Float.BYTES, dOff += Float.BYTES) {
            // The scalar twin of the vector code: the same operations, so the same bits.
            float x = z.get(F32, zOff);
            if (d != null) {
                d.set(F32, dOff, SmoothLeakyMath.derivative(x, alpha, beta));
            }
            out.set(F32, outOff, SmoothLeakyMath.value(x, alpha, beta));
        }
    }

    private static void reluVector(
            MemorySegment z,
            long zOff,
            MemorySegment out,
            long outOff,
            MemorySegment d,
            long dOff,
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

    private static void leakyReluVector(
            MemorySegment z,
            long zOff,
            MemorySegment out,
            long outOff,
            MemorySegment d,
            long dOff,
            float alpha,
            boolean gradAtZero) {
        FloatVector x = FloatVector.fromMemorySegment(S, z, zOff, ORDER);
        VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
        FloatVector y = x.mul(alpha).blend(x, pos);
        if (d != null) {
            // Two statements rather than ?: between masks, which C2 would box.
            if (gradAtZero) {
                FloatVector.broadcast(S, alpha)
                        .blend(1f, x.compare(VectorOperators.GE, 0f))
                        .intoMemorySegment(d, dOff, ORDER);
            } else {
                FloatVector.broadcast(S, alpha).blend(1f, pos).intoMemorySegment(d, dOff, ORDER);
            }
        }
        y.intoMemorySegment(out, outOff, ORDER);
    }

    private static void smoothLeakyReluVector(
            MemorySegment z,
            long zOff,
            MemorySegment out,
            long outOff,
            MemorySegment d,
            long dOff,
            float alpha,
            float beta) {
        FloatVector x = FloatVector.fromMemorySegment(S, z, zOff, ORDER);
        // Lane-wise, operation for operation, SmoothLeakyMath.value and .derivative (see there for the reasoning):
        // t = βx, e = exp(−|t|), softplus = max(t, 0) + log1p(e), σ = αx + (1−α)·softplus/β, σ′ = α + (1−α)·sigmoid(t).
        FloatVector t = x.mul(beta);
        FloatVector a = t.abs().neg();
        // e = exp(a), a ≤ 0: a = n·ln2 + r, eʳ by its degree-7 Taylor polynomial, 2ⁿ made from its bits.
        VectorMask<Float> under = a.compare(VectorOperators.LT, SmoothLeakyMath.EXP_MIN);
        FloatVector ac = a.blend(SmoothLeakyMath.EXP_MIN, under);
        FloatVector k = ac.mul(SmoothLeakyMath.LOG2E).add(SmoothLeakyMath.ROUNDER);
        FloatVector n = k.sub(SmoothLeakyMath.ROUNDER);
        FloatVector nNeg = n.neg();
        FloatVector r = nNeg.fma(FloatVector.broadcast(S, SmoothLeakyMath.LN2_HI), ac);
        r = nNeg.fma(FloatVector.broadcast(S, SmoothLeakyMath.LN2_LO), r);
        FloatVector p =
                FloatVector.broadcast(S, SmoothLeakyMath.E7).fma(r, FloatVector.broadcast(S, SmoothLeakyMath.E6));
        p = p.fma(r, FloatVector.broadcast(S, SmoothLeakyMath.E5));
        p = p.fma(r, FloatVector.broadcast(S, SmoothLeakyMath.E4));
        p = p.fma(r, FloatVector.broadcast(S, SmoothLeakyMath.E3));
        p = p.fma(r, FloatVector.broadcast(S, SmoothLeakyMath.E2));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        FloatVector scale = k.reinterpretAsInts()
                .add(127 - SmoothLeakyMath.ROUNDER_BITS)
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        FloatVector e = p.mul(scale).blend(0f, under);
        // log1p(e) = 2·atanh(s), s = e/(2 + e): s·(L0 + s²·(L1 + … + s²·L8)).
        FloatVector s = e.div(e.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector q =
                FloatVector.broadcast(S, SmoothLeakyMath.L8).fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L7));
        q = q.fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L6));
        q = q.fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L5));
        q = q.fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L4));
        q = q.fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L3));
        q = q.fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L2));
        q = q.fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L1));
        q = q.fma(s2, FloatVector.broadcast(S, SmoothLeakyMath.L0));
        FloatVector log1p = q.mul(s);
        FloatVector softplus = t.blend(0f, t.compare(VectorOperators.LT, 0f)).add(log1p);
        FloatVector y = x.mul(alpha).add(softplus.mul(1f - alpha).div(beta));
        if (d != null) {
            FloatVector num = e.blend(1f, t.compare(VectorOperators.GE, 0f));
            num.div(e.add(1f)).mul(1f - alpha).add(alpha).intoMemorySegment(d, dOff, ORDER);
        }
        y.intoMemorySegment(out, outOff, ORDER);
    }
}
