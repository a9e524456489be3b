package widenet.kernel.simd;

import static widenet.kernel.simd.GemmBlocking.MR;
import static widenet.kernel.simd.GemmBlocking.NR;
import static widenet.kernel.simd.Lanes.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked MR×NR (4×16) kernel: the product of a packed MR×kc A micro-panel and a packed kc×NR B
 * micro-panel, accumulated in 8 vector registers, then written to a small tile buffer ({@link #multiply}, for edge
 * tiles and the smooth epilogue) or straight into C: write-only, update, or with a ReLU/leaky epilogue. Each variant
 * is one method with the accumulators as locals and one straight-line tail, so C2 keeps them in registers and nothing
 * is boxed; the k loop is the same text in each.
 *
 * <p>Summation order: each tile element is the sum over k in increasing order, one FMA per step, independent of where
 * the tile lies in C, so thread partitions do not change any bit.
 */
final class GemmMicrokernel {
    private static final VectorSpecies<Float> S = Lanes.SPECIES;

    private GemmMicrokernel() {
    }

    /**
     * tile[r·NR + j] = Σ_{p<kc} a[aOff + p·MR + r] · b[bOff + p·NR + j] for r < MR, j < NR.
     *
     * @param a packed A: for each k step, MR consecutive row values
     * @param b packed B: for each k step, NR consecutive column values
     */
    static void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 8);
        c10.intoArray(tile, 16);
        c11.intoArray(tile, 24);
        c20.intoArray(tile, 32);
        c21.intoArray(tile, 40);
        c30.intoArray(tile, 48);
        c31.intoArray(tile, 56);
    }

    /**
     * The same product stored straight from the registers into a full MR×NR tile of C, without reading it:
     * C = α·AB. For the first KC block when β = 0. Kept apart from {@link #multiplyUpdate} (rather than one method
     * with a flag) so each method has one straight-line tail: with both tails in one method C2 was seen to spill an
     * accumulator inside the loop, which cost a factor of three.
     *
     * @param c   C's memory; the tile's top-left element at byte offset {@code cOff}, rows {@code ldc} bytes apart
     */
    static void multiplyWrite(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff, long ldc,
                              float alpha) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        long h = 8L * Float.BYTES;
        long r0 = cOff, r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        c00.mul(alpha).intoMemorySegment(c, r0, ORDER);
        c01.mul(alpha).intoMemorySegment(c, r0 + h, ORDER);
        c10.mul(alpha).intoMemorySegment(c, r1, ORDER);
        c11.mul(alpha).intoMemorySegment(c, r1 + h, ORDER);
        c20.mul(alpha).intoMemorySegment(c, r2, ORDER);
        c21.mul(alpha).intoMemorySegment(c, r2 + h, ORDER);
        c30.mul(alpha).intoMemorySegment(c, r3, ORDER);
        c31.mul(alpha).intoMemorySegment(c, r3 + h, ORDER);
    }

    /**
     * The same product stored straight from the registers into a full MR×NR tile of C: C = α·AB + β′·C, with β′ = β
     * for the first KC block and 1 for later ones. This is exactly the arithmetic of {@link GemmTileStore} (x·1 = x,
     * and + commutes), so tiles stored either way get the same bits.
     */
    static void multiplyUpdate(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff, long ldc,
                               float alpha, float betaOrOne) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        long h = 8L * Float.BYTES;
        long r0 = cOff, r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        c00.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r0, ORDER).mul(betaOrOne)).intoMemorySegment(c, r0, ORDER);
        c01.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r0 + h, ORDER).mul(betaOrOne)).intoMemorySegment(c, r0 + h, ORDER);
        c10.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r1, ORDER).mul(betaOrOne)).intoMemorySegment(c, r1, ORDER);
        c11.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r1 + h, ORDER).mul(betaOrOne)).intoMemorySegment(c, r1 + h, ORDER);
        c20.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r2, ORDER).mul(betaOrOne)).intoMemorySegment(c, r2, ORDER);
        c21.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r2 + h, ORDER).mul(betaOrOne)).intoMemorySegment(c, r2 + h, ORDER);
        c30.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r3, ORDER).mul(betaOrOne)).intoMemorySegment(c, r3, ORDER);
        c31.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r3 + h, ORDER).mul(betaOrOne)).intoMemorySegment(c, r3 + h, ORDER);
    }

    /**
     * The product stored straight from the registers into a full tile of C with a ReLU or leaky ReLU epilogue (after
     * the last KC block): C = σ(α·AB) for β = 0, without reading C. σ(v) = v for v &gt; 0, else 0 (ReLU) or slope·v
     * (leaky); σ′ into {@code d} unless null: 1 for v &gt; 0 (or v ≥ 0 with {@code gradAtZero}), else 0 or slope.
     * Exactly the arithmetic of {@link GemmTileStore} followed by {@link VectorActivation}, so edge tiles (which go
     * that way) get the same bits.
     */
    static void multiplyWriteLeaky(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff, long ldc,
                                   float alpha, MemorySegment d, long dOff, long ldd, boolean isRelu, float slope,
                                   boolean gradAtZero) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        long h = 8L * Float.BYTES;
        long r0 = cOff, r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        long d0 = dOff, d1 = dOff + ldd, d2 = dOff + 2 * ldd, d3 = dOff + 3 * ldd;
        // Per-call choices as lane masks made by a vector compare, not as ?: between masks (a phi of two masks
        // is boxed by C2).
        VectorMask<Float> relu = FloatVector.broadcast(S, isRelu ? 1f : 0f).compare(VectorOperators.NE, 0f);
        VectorMask<Float> atZero = FloatVector.broadcast(S, gradAtZero ? 1f : 0f).compare(VectorOperators.NE, 0f);
        FloatVector lowSlope = FloatVector.broadcast(S, isRelu ? 0f : slope);
        FloatVector v;
        VectorMask<Float> pos;
        v = c00.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r0, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d0, ORDER);
        }
        v = c01.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r0 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d0 + h, ORDER);
        }
        v = c10.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r1, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d1, ORDER);
        }
        v = c11.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r1 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d1 + h, ORDER);
        }
        v = c20.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r2, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d2, ORDER);
        }
        v = c21.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r2 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d2 + h, ORDER);
        }
        v = c30.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r3, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d3, ORDER);
        }
        v = c31.mul(alpha);
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r3 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d3 + h, ORDER);
        }
    }

    /** As {@link #multiplyWriteLeaky}, for C = σ(α·AB + β′·C). */
    static void multiplyUpdateLeaky(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff, long ldc,
                                    float alpha, float betaOrOne, MemorySegment d, long dOff, long ldd, boolean isRelu,
                                    float slope, boolean gradAtZero) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        long h = 8L * Float.BYTES;
        long r0 = cOff, r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        long d0 = dOff, d1 = dOff + ldd, d2 = dOff + 2 * ldd, d3 = dOff + 3 * ldd;
        // Per-call choices as lane masks made by a vector compare, not as ?: between masks (a phi of two masks
        // is boxed by C2).
        VectorMask<Float> relu = FloatVector.broadcast(S, isRelu ? 1f : 0f).compare(VectorOperators.NE, 0f);
        VectorMask<Float> atZero = FloatVector.broadcast(S, gradAtZero ? 1f : 0f).compare(VectorOperators.NE, 0f);
        FloatVector lowSlope = FloatVector.broadcast(S, isRelu ? 0f : slope);
        FloatVector v;
        VectorMask<Float> pos;
        v = c00.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r0, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r0, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d0, ORDER);
        }
        v = c01.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r0 + h, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r0 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d0 + h, ORDER);
        }
        v = c10.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r1, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r1, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d1, ORDER);
        }
        v = c11.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r1 + h, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r1 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d1 + h, ORDER);
        }
        v = c20.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r2, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r2, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d2, ORDER);
        }
        v = c21.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r2 + h, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r2 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d2 + h, ORDER);
        }
        v = c30.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r3, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r3, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d3, ORDER);
        }
        v = c31.mul(alpha).add(FloatVector.fromMemorySegment(S, c, r3 + h, ORDER).mul(betaOrOne));
        pos = v.compare(VectorOperators.GT, 0f);
        v.mul(slope).blend(0f, relu).blend(v, pos).intoMemorySegment(c, r3 + h, ORDER);
        if (d != null) {
            lowSlope.blend(1f, pos.or(v.compare(VectorOperators.EQ, 0f).and(atZero))).intoMemorySegment(d, d3 + h, ORDER);
        }
    }
}
