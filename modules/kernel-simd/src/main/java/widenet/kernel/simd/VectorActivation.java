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

    private int kind;
    private float alpha;
    private float beta;
    private boolean gradAtZero;

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
     */
    void apply(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int count) {
        int full = count & -Lanes.LENGTH;
        long step = (long) Lanes.LENGTH * Float.BYTES;
        int i = 0;
        for (; i < full; i += Lanes.LENGTH, zOff += step, outOff += step, dOff += step) {
            applyVector(z, zOff, out, outOff, d, dOff, Lanes.LENGTH);
        }
        if (i < count) {
            applyVector(z, zOff, out, outOff, d, dOff, count - i);
        }
    }

    /**
     * One vector of {@link #apply}: {@code lanes} (1..8) floats; fewer than 8 use masked loads and stores, so edge
     * lanes go through exactly the same arithmetic as full vectors.
     */
    void applyVector(MemorySegment z, long zOff, MemorySegment out, long outOff, MemorySegment d, long dOff, int lanes) {
        boolean full = lanes == Lanes.LENGTH;
        VectorMask<Float> m = full ? S.maskAll(true) : S.indexInRange(0, lanes);
        FloatVector x = full ? FloatVector.fromMemorySegment(S, z, zOff, ORDER)
                : FloatVector.fromMemorySegment(S, z, zOff, ORDER, m);
        FloatVector y;
        FloatVector dy;
        switch (kind) {
            case RELU -> {
                VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
                y = FloatVector.zero(S).blend(x, pos);
                VectorMask<Float> one = gradAtZero ? x.compare(VectorOperators.GE, 0f) : pos;
                dy = FloatVector.zero(S).blend(1f, one);
            }
            case LEAKY_RELU -> {
                VectorMask<Float> pos = x.compare(VectorOperators.GT, 0f);
                y = x.mul(alpha).blend(x, pos);
                VectorMask<Float> one = gradAtZero ? x.compare(VectorOperators.GE, 0f) : pos;
                dy = FloatVector.broadcast(S, alpha).blend(1f, one);
            }
            case SMOOTH_LEAKY_RELU -> {
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
                y = x.mul(alpha).add(softplus.mul(1f - alpha).div(beta));
                FloatVector num = e.blend(1f, t.compare(VectorOperators.GE, 0f));
                dy = num.div(w).mul(1f - alpha).add(alpha);
            }
            default -> {
                y = x;
                dy = FloatVector.broadcast(S, 1f);
            }
        }
        if (full) {
            if (d != null) {
                dy.intoMemorySegment(d, dOff, ORDER);
            }
            y.intoMemorySegment(out, outOff, ORDER);
        } else {
            if (d != null) {
                dy.intoMemorySegment(d, dOff, ORDER, m);
            }
            y.intoMemorySegment(out, outOff, ORDER, m);
        }
    }
}
