// GENERATED FILE — DO NOT EDIT. Produced by MicrokernelGenerator (modules/kernel-simd/src/test/java/widenet/
// kernel/simd/MicrokernelGenerator.java), the template to review; GeneratedSourcesTest checks it is current.
package widenet.kernel.simd;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** 12×32 at 512 bits: 24 accumulators. */
final class Mk512x12x32 extends Microkernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int MR = 12, NR = 32;

    Mk512x12x32() {
        super(512, MR, NR);
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
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 16);
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
            av = FloatVector.broadcast(S, a[ai + 8]);
            c8_0 = av.fma(b0, c8_0);
            c8_1 = av.fma(b1, c8_1);
            av = FloatVector.broadcast(S, a[ai + 9]);
            c9_0 = av.fma(b0, c9_0);
            c9_1 = av.fma(b1, c9_1);
            av = FloatVector.broadcast(S, a[ai + 10]);
            c10_0 = av.fma(b0, c10_0);
            c10_1 = av.fma(b1, c10_1);
            av = FloatVector.broadcast(S, a[ai + 11]);
            c11_0 = av.fma(b0, c11_0);
            c11_1 = av.fma(b1, c11_1);
        }
        c0_0.intoArray(tile, 0);
        c0_1.intoArray(tile, 16);
        c1_0.intoArray(tile, 32);
        c1_1.intoArray(tile, 48);
        c2_0.intoArray(tile, 64);
        c2_1.intoArray(tile, 80);
        c3_0.intoArray(tile, 96);
        c3_1.intoArray(tile, 112);
        c4_0.intoArray(tile, 128);
        c4_1.intoArray(tile, 144);
        c5_0.intoArray(tile, 160);
        c5_1.intoArray(tile, 176);
        c6_0.intoArray(tile, 192);
        c6_1.intoArray(tile, 208);
        c7_0.intoArray(tile, 224);
        c7_1.intoArray(tile, 240);
        c8_0.intoArray(tile, 256);
        c8_1.intoArray(tile, 272);
        c9_0.intoArray(tile, 288);
        c9_1.intoArray(tile, 304);
        c10_0.intoArray(tile, 320);
        c10_1.intoArray(tile, 336);
        c11_0.intoArray(tile, 352);
        c11_1.intoArray(tile, 368);
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
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 16);
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
            av = FloatVector.broadcast(S, a[ai + 8]);
            c8_0 = av.fma(b0, c8_0);
            c8_1 = av.fma(b1, c8_1);
            av = FloatVector.broadcast(S, a[ai + 9]);
            c9_0 = av.fma(b0, c9_0);
            c9_1 = av.fma(b1, c9_1);
            av = FloatVector.broadcast(S, a[ai + 10]);
            c10_0 = av.fma(b0, c10_0);
            c10_1 = av.fma(b1, c10_1);
            av = FloatVector.broadcast(S, a[ai + 11]);
            c11_0 = av.fma(b0, c11_0);
            c11_1 = av.fma(b1, c11_1);
        }
        c0_0.mul(alpha).intoMemorySegment(c, cOff, Lanes.ORDER);
        c0_1.mul(alpha).intoMemorySegment(c, cOff + 64, Lanes.ORDER);
        c1_0.mul(alpha).intoMemorySegment(c, cOff + ldc, Lanes.ORDER);
        c1_1.mul(alpha).intoMemorySegment(c, cOff + ldc + 64, Lanes.ORDER);
        c2_0.mul(alpha).intoMemorySegment(c, cOff + 2 * ldc, Lanes.ORDER);
        c2_1.mul(alpha).intoMemorySegment(c, cOff + 2 * ldc + 64, Lanes.ORDER);
        c3_0.mul(alpha).intoMemorySegment(c, cOff + 3 * ldc, Lanes.ORDER);
        c3_1.mul(alpha).intoMemorySegment(c, cOff + 3 * ldc + 64, Lanes.ORDER);
        c4_0.mul(alpha).intoMemorySegment(c, cOff + 4 * ldc, Lanes.ORDER);
        c4_1.mul(alpha).intoMemorySegment(c, cOff + 4 * ldc + 64, Lanes.ORDER);
        c5_0.mul(alpha).intoMemorySegment(c, cOff + 5 * ldc, Lanes.ORDER);
        c5_1.mul(alpha).intoMemorySegment(c, cOff + 5 * ldc + 64, Lanes.ORDER);
        c6_0.mul(alpha).intoMemorySegment(c, cOff + 6 * ldc, Lanes.ORDER);
        c6_1.mul(alpha).intoMemorySegment(c, cOff + 6 * ldc + 64, Lanes.ORDER);
        c7_0.mul(alpha).intoMemorySegment(c, cOff + 7 * ldc, Lanes.ORDER);
        c7_1.mul(alpha).intoMemorySegment(c, cOff + 7 * ldc + 64, Lanes.ORDER);
        c8_0.mul(alpha).intoMemorySegment(c, cOff + 8 * ldc, Lanes.ORDER);
        c8_1.mul(alpha).intoMemorySegment(c, cOff + 8 * ldc + 64, Lanes.ORDER);
        c9_0.mul(alpha).intoMemorySegment(c, cOff + 9 * ldc, Lanes.ORDER);
        c9_1.mul(alpha).intoMemorySegment(c, cOff + 9 * ldc + 64, Lanes.ORDER);
        c10_0.mul(alpha).intoMemorySegment(c, cOff + 10 * ldc, Lanes.ORDER);
        c10_1.mul(alpha).intoMemorySegment(c, cOff + 10 * ldc + 64, Lanes.ORDER);
        c11_0.mul(alpha).intoMemorySegment(c, cOff + 11 * ldc, Lanes.ORDER);
        c11_1.mul(alpha).intoMemorySegment(c, cOff + 11 * ldc + 64, Lanes.ORDER);
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
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 16);
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
            av = FloatVector.broadcast(S, a[ai + 8]);
            c8_0 = av.fma(b0, c8_0);
            c8_1 = av.fma(b1, c8_1);
            av = FloatVector.broadcast(S, a[ai + 9]);
            c9_0 = av.fma(b0, c9_0);
            c9_1 = av.fma(b1, c9_1);
            av = FloatVector.broadcast(S, a[ai + 10]);
            c10_0 = av.fma(b0, c10_0);
            c10_1 = av.fma(b1, c10_1);
            av = FloatVector.broadcast(S, a[ai + 11]);
            c11_0 = av.fma(b0, c11_0);
            c11_1 = av.fma(b1, c11_1);
        }
        c0_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff, Lanes.ORDER);
        c0_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 64, Lanes.ORDER);
        c1_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + ldc, Lanes.ORDER);
        c1_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + ldc + 64, Lanes.ORDER);
        c2_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 2 * ldc, Lanes.ORDER);
        c2_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 2 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 2 * ldc + 64, Lanes.ORDER);
        c3_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 3 * ldc, Lanes.ORDER);
        c3_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 3 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 3 * ldc + 64, Lanes.ORDER);
        c4_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 4 * ldc, Lanes.ORDER);
        c4_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 4 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 4 * ldc + 64, Lanes.ORDER);
        c5_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 5 * ldc, Lanes.ORDER);
        c5_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 5 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 5 * ldc + 64, Lanes.ORDER);
        c6_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 6 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 6 * ldc, Lanes.ORDER);
        c6_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 6 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 6 * ldc + 64, Lanes.ORDER);
        c7_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 7 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 7 * ldc, Lanes.ORDER);
        c7_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 7 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 7 * ldc + 64, Lanes.ORDER);
        c8_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 8 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 8 * ldc, Lanes.ORDER);
        c8_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 8 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 8 * ldc + 64, Lanes.ORDER);
        c9_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 9 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 9 * ldc, Lanes.ORDER);
        c9_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 9 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 9 * ldc + 64, Lanes.ORDER);
        c10_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 10 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 10 * ldc, Lanes.ORDER);
        c10_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 10 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 10 * ldc + 64, Lanes.ORDER);
        c11_0.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 11 * ldc, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 11 * ldc, Lanes.ORDER);
        c11_1.mul(alpha).add(FloatVector.fromMemorySegment(S, c, cOff + 11 * ldc + 64, Lanes.ORDER).mul(betaOrOne))
                .intoMemorySegment(c, cOff + 11 * ldc + 64, Lanes.ORDER);
    }
}
