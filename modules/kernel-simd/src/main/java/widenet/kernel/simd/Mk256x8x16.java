// GENERATED FILE — DO NOT EDIT. Produced by MicrokernelGenerator (modules/kernel-simd/src/test/java/widenet/
// kernel/simd/MicrokernelGenerator.java), the template to review; GeneratedSourcesTest checks it is current.
package widenet.kernel.simd;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** 8×16 at 256 bits: 16 accumulators. */
final class Mk256x8x16 extends Microkernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int MR = 8, NR = 16;

    Mk256x8x16() {
        super(256, MR, NR);
    }

    @Override
    void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
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
            av = FloatVector.broadcast(S, a[ai + 4]);
            c4_0 = av.fma(b0, c4_0);
            c4_1 = av.fma(b1, c4_1);
            av = FloatVector.broadcast(S, a[ai + 5]);
            c5_0 = av.fma(b0, c5_0);
            c5_1 = av.fma(b1, c5_1);
            av = FloatVector.broadcast(S, a[ai + 6]);
            c6_0 = av.fma(b0, c6_0);
            c6_1 = av.fma(b1, c6_1);
            av = FloatVector.broadcast(S, a[ai + 7]);
            c7_0 = av.fma(b0, c7_0);
            c7_1 = av.fma(b1, c7_1);
        }
        c0_0.intoArray(tile, 0);
        c0_1.intoArray(tile, 8);
        c1_0.intoArray(tile, 16);
        c1_1.intoArray(tile, 24);
        c2_0.intoArray(tile, 32);
        c2_1.intoArray(tile, 40);
        c3_0.intoArray(tile, 48);
        c3_1.intoArray(tile, 56);
        c4_0.intoArray(tile, 64);
        c4_1.intoArray(tile, 72);
        c5_0.intoArray(tile, 80);
        c5_1.intoArray(tile, 88);
        c6_0.intoArray(tile, 96);
        c6_1.intoArray(tile, 104);
        c7_0.intoArray(tile, 112);
        c7_1.intoArray(tile, 120);
    }

    @Override
    void multiplyWrite(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff,
                       long ldc, float alpha) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
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
            av = FloatVector.broadcast(S, a[ai + 4]);
            c4_0 = av.fma(b0, c4_0);
            c4_1 = av.fma(b1, c4_1);
            av = FloatVector.broadcast(S, a[ai + 5]);
            c5_0 = av.fma(b0, c5_0);
            c5_1 = av.fma(b1, c5_1);
            av = FloatVector.broadcast(S, a[ai + 6]);
            c6_0 = av.fma(b0, c6_0);
            c6_1 = av.fma(b1, c6_1);
            av = FloatVector.broadcast(S, a[ai + 7]);
            c7_0 = av.fma(b0, c7_0);
            c7_1 = av.fma(b1, c7_1);
        }
        c0_0.mul(alpha).intoMemorySegment(c, cOff, Lanes.ORDER);
        c0_1.mul(alpha).intoMemorySegment(c, cOff + 32, Lanes.ORDER);
        c1_0.mul(alpha).intoMemorySegment(c, cOff + ldc, Lanes.ORDER);
        c1_1.mul(alpha).intoMemorySegment(c, cOff + ldc + 32, Lanes.ORDER);
        c2_0.mul(alpha).intoMemorySegment(c, cOff + 2 * ldc, Lanes.ORDER);
        c2_1.mul(alpha).intoMemorySegment(c, cOff + 2 * ldc + 32, Lanes.ORDER);
        c3_0.mul(alpha).intoMemorySegment(c, cOff + 3 * ldc, Lanes.ORDER);
        c3_1.mul(alpha).intoMemorySegment(c, cOff + 3 * ldc + 32, Lanes.ORDER);
        c4_0.mul(alpha).intoMemorySegment(c, cOff + 4 * ldc, Lanes.ORDER);
        c4_1.mul(alpha).intoMemorySegment(c, cOff + 4 * ldc + 32, Lanes.ORDER);
        c5_0.mul(alpha).intoMemorySegment(c, cOff + 5 * ldc, Lanes.ORDER);
        c5_1.mul(alpha).intoMemorySegment(c, cOff + 5 * ldc + 32, Lanes.ORDER);
        c6_0.mul(alpha).intoMemorySegment(c, cOff + 6 * ldc, Lanes.ORDER);
        c6_1.mul(alpha).intoMemorySegment(c, cOff + 6 * ldc + 32, Lanes.ORDER);
        c7_0.mul(alpha).intoMemorySegment(c, cOff + 7 * ldc, Lanes.ORDER);
        c7_1.mul(alpha).intoMemorySegment(c, cOff + 7 * ldc + 32, Lanes.ORDER);
    }

    @Override
    void multiplyUpdate(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff,
                        long ldc, float alpha, float betaOrOne) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
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
            av = FloatVector.broadcast(S, a[ai + 4]);
            c4_0 = av.fma(b0, c4_0);
            c4_1 = av.fma(b1, c4_1);
            av = FloatVector.broadcast(S, a[ai + 5]);
            c5_0 = av.fma(b0, c5_0);
            c5_1 = av.fma(b1, c5_1);
            av = FloatVector.broadcast(S, a[ai + 6]);
            c6_0 = av.fma(b0, c6_0);
            c6_1 = av.fma(b1, c6_1);
            av = FloatVector.broadcast(S, a[ai + 7]);
            c7_0 = av.fma(b0, c7_0);
            c7_1 = av.fma(b1, c7_1);
        }
        c0_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff, Lanes.ORDER);
        c0_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 32, Lanes.ORDER);
        c1_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + ldc, Lanes.ORDER);
        c1_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + ldc + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + ldc + 32, Lanes.ORDER);
        c2_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 2 * ldc, Lanes.ORDER);
        c2_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldc + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 2 * ldc + 32, Lanes.ORDER);
        c3_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 3 * ldc, Lanes.ORDER);
        c3_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldc + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 3 * ldc + 32, Lanes.ORDER);
        c4_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 4 * ldc, Lanes.ORDER);
        c4_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldc + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 4 * ldc + 32, Lanes.ORDER);
        c5_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 5 * ldc, Lanes.ORDER);
        c5_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldc + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 5 * ldc + 32, Lanes.ORDER);
        c6_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 6 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 6 * ldc, Lanes.ORDER);
        c6_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 6 * ldc + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 6 * ldc + 32, Lanes.ORDER);
        c7_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 7 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 7 * ldc, Lanes.ORDER);
        c7_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 7 * ldc + 32, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 7 * ldc + 32, Lanes.ORDER);
    }
}
