// GENERATED FILE — DO NOT EDIT. Produced by MicrokernelGenerator (modules/kernel-simd/src/test/java/widenet/
// kernel/simd/MicrokernelGenerator.java), the template to review; GeneratedSourcesTest checks it is current.
package widenet.kernel.simd;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** 4×8 at 128 bits: 8 accumulators. */
final class Mk128x4x8 extends Microkernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    private static final int MR = 4, NR = 8;

    Mk128x4x8() {
        super(128, MR, NR);
    }

    @Override
    void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 4);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c0_0 = av.fma(b0, c0_0);
            c0_1 = av.fma(b1, c0_1);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c1_0 = av.fma(b0, c1_0);
            c1_1 = av.fma(b1, c1_1);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c2_0 = av.fma(b0, c2_0);
            c2_1 = av.fma(b1, c2_1);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c3_0 = av.fma(b0, c3_0);
            c3_1 = av.fma(b1, c3_1);
        }
        c0_0.intoArray(tile, 0);
        c0_1.intoArray(tile, 4);
        c1_0.intoArray(tile, 8);
        c1_1.intoArray(tile, 12);
        c2_0.intoArray(tile, 16);
        c2_1.intoArray(tile, 20);
        c3_0.intoArray(tile, 24);
        c3_1.intoArray(tile, 28);
    }

    @Override
    void multiplyWrite(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff,
                       long ldc, float alpha) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 4);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c0_0 = av.fma(b0, c0_0);
            c0_1 = av.fma(b1, c0_1);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c1_0 = av.fma(b0, c1_0);
            c1_1 = av.fma(b1, c1_1);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c2_0 = av.fma(b0, c2_0);
            c2_1 = av.fma(b1, c2_1);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c3_0 = av.fma(b0, c3_0);
            c3_1 = av.fma(b1, c3_1);
        }
        c0_0.mul(alpha).intoMemorySegment(c, cOff, Lanes.ORDER);
        c0_1.mul(alpha).intoMemorySegment(c, cOff + 16, Lanes.ORDER);
        c1_0.mul(alpha).intoMemorySegment(c, cOff + ldc, Lanes.ORDER);
        c1_1.mul(alpha).intoMemorySegment(c, cOff + ldc + 16, Lanes.ORDER);
        c2_0.mul(alpha).intoMemorySegment(c, cOff + 2 * ldc, Lanes.ORDER);
        c2_1.mul(alpha).intoMemorySegment(c, cOff + 2 * ldc + 16, Lanes.ORDER);
        c3_0.mul(alpha).intoMemorySegment(c, cOff + 3 * ldc, Lanes.ORDER);
        c3_1.mul(alpha).intoMemorySegment(c, cOff + 3 * ldc + 16, Lanes.ORDER);
    }

    @Override
    void multiplyUpdate(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff,
                        long ldc, float alpha, float betaOrOne) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 4);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c0_0 = av.fma(b0, c0_0);
            c0_1 = av.fma(b1, c0_1);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c1_0 = av.fma(b0, c1_0);
            c1_1 = av.fma(b1, c1_1);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c2_0 = av.fma(b0, c2_0);
            c2_1 = av.fma(b1, c2_1);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c3_0 = av.fma(b0, c3_0);
            c3_1 = av.fma(b1, c3_1);
        }
        c0_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff, Lanes.ORDER);
        c0_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 16, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 16, Lanes.ORDER);
        c1_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + ldc, Lanes.ORDER);
        c1_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + ldc + 16, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + ldc + 16, Lanes.ORDER);
        c2_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 2 * ldc, Lanes.ORDER);
        c2_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldc + 16, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 2 * ldc + 16, Lanes.ORDER);
        c3_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 3 * ldc, Lanes.ORDER);
        c3_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldc + 16, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 3 * ldc + 16, Lanes.ORDER);
    }
}
