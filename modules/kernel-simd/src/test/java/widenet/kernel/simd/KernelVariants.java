package widenet.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Scratch: microkernel shape experiments (not a test). */
public final class KernelVariants {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    static void k4x16(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 16;
            int ai = aOff + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, 8); c10.intoArray(tile, 16); c11.intoArray(tile, 24);
        c20.intoArray(tile, 32); c21.intoArray(tile, 40); c30.intoArray(tile, 48); c31.intoArray(tile, 56);
    }

    static void k5x16(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 16;
            int ai = aOff + p * 5;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, 8); c10.intoArray(tile, 16); c11.intoArray(tile, 24);
        c20.intoArray(tile, 32); c21.intoArray(tile, 40); c30.intoArray(tile, 48); c31.intoArray(tile, 56);
        c40.intoArray(tile, 64); c41.intoArray(tile, 72);
    }

    /** 6×16 with B as broadcast and A as vectors: 16 rows (2 vectors of A) × 6 columns. */
    static void k16x6(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 6;
            int ai = aOff + p * 16;
            FloatVector a0 = FloatVector.fromArray(S, a, ai);
            FloatVector a1 = FloatVector.fromArray(S, a, ai + 8);
            FloatVector bv = FloatVector.broadcast(S, b[bi]);
            c00 = a0.fma(bv, c00); c01 = a1.fma(bv, c01);
            bv = FloatVector.broadcast(S, b[bi + 1]);
            c10 = a0.fma(bv, c10); c11 = a1.fma(bv, c11);
            bv = FloatVector.broadcast(S, b[bi + 2]);
            c20 = a0.fma(bv, c20); c21 = a1.fma(bv, c21);
            bv = FloatVector.broadcast(S, b[bi + 3]);
            c30 = a0.fma(bv, c30); c31 = a1.fma(bv, c31);
            bv = FloatVector.broadcast(S, b[bi + 4]);
            c40 = a0.fma(bv, c40); c41 = a1.fma(bv, c41);
            bv = FloatVector.broadcast(S, b[bi + 5]);
            c50 = a0.fma(bv, c50); c51 = a1.fma(bv, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, 8); c10.intoArray(tile, 16); c11.intoArray(tile, 24);
        c20.intoArray(tile, 32); c21.intoArray(tile, 40); c30.intoArray(tile, 48); c31.intoArray(tile, 56);
        c40.intoArray(tile, 64); c41.intoArray(tile, 72); c50.intoArray(tile, 80); c51.intoArray(tile, 88);
    }

    static void k3x24(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 24;
            int ai = aOff + p * 3;
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 16);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 8);
        c02.intoArray(tile, 16);
        c10.intoArray(tile, 24);
        c11.intoArray(tile, 32);
        c12.intoArray(tile, 40);
        c20.intoArray(tile, 48);
        c21.intoArray(tile, 56);
        c22.intoArray(tile, 64);
    }
    static void k4x24(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 24;
            int ai = aOff + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 16);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 8);
        c02.intoArray(tile, 16);
        c10.intoArray(tile, 24);
        c11.intoArray(tile, 32);
        c12.intoArray(tile, 40);
        c20.intoArray(tile, 48);
        c21.intoArray(tile, 56);
        c22.intoArray(tile, 64);
        c30.intoArray(tile, 72);
        c31.intoArray(tile, 80);
        c32.intoArray(tile, 88);
    }
    static void k2x32(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 32;
            int ai = aOff + p * 2;
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 16);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 24);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 8);
        c02.intoArray(tile, 16);
        c03.intoArray(tile, 24);
        c10.intoArray(tile, 32);
        c11.intoArray(tile, 40);
        c12.intoArray(tile, 48);
        c13.intoArray(tile, 56);
    }
    static void k3x32(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 32;
            int ai = aOff + p * 3;
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 8);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 16);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 24);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 8);
        c02.intoArray(tile, 16);
        c03.intoArray(tile, 24);
        c10.intoArray(tile, 32);
        c11.intoArray(tile, 40);
        c12.intoArray(tile, 48);
        c13.intoArray(tile, 56);
        c20.intoArray(tile, 64);
        c21.intoArray(tile, 72);
        c22.intoArray(tile, 80);
        c23.intoArray(tile, 88);
    }

    interface K { void run(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile); }

    static double time(String which, float[] a, float[] b, float[] tile, int kc) {
        int mr, nrr = 16;
        if (which.equals("6")) mr = 6; else if (which.equals("4")) mr = 4; else if (which.equals("5")) mr = 5;
        else { mr = Integer.parseInt(which.split("x")[0]); nrr = Integer.parseInt(which.split("x")[1]); }
        long t0 = System.nanoTime();
        long calls = 0;
        for (int rep = 0; rep < 1000; rep++) {
            for (int p = 0; p < 24; p++) {
                switch (which) {
                    case "4" -> k4x16(kc, a, p * 4 * kc, b, 0, tile);
                    case "5" -> k5x16(kc, a, p * 5 * kc, b, 0, tile);
                    case "3x24" -> k3x24(kc, a, p * 3 * kc, b, 0, tile);
                    case "4x24" -> k4x24(kc, a, p * 4 * kc, b, 0, tile);
                    case "2x32" -> k2x32(kc, a, p * 2 * kc, b, 0, tile);
                    case "3x32" -> k3x32(kc, a, p * 3 * kc, b, 0, tile);
                    default -> GemmMicrokernel.multiply(kc, a, p * 6 * kc, b, 0, tile);
                }
                calls++;
            }
        }
        return 2.0 * mr * nrr * kc * calls / (System.nanoTime() - t0);
    }

    public static void main(String[] args) {
        int kc = 256;
        float[] a = new float[16 * kc * 24];
        float[] b = new float[32 * kc];
        float[] tile = new float[128];
        for (int i = 0; i < a.length; i++) a[i] = (i % 7) * 0.01f;
        for (int i = 0; i < b.length; i++) b[i] = (i % 5) * 0.01f;
        double[][] r = new double[args.length][12];
        for (int round = 0; round < 12; round++) {
            for (int v = 0; v < args.length; v++) {
                r[v][round] = time(args[v], a, b, tile, kc);
            }
        }
        for (int v = 0; v < args.length; v++) {
            double[] x = java.util.Arrays.copyOfRange(r[v], 4, 12);
            java.util.Arrays.sort(x);
            System.out.printf("%-5s median %.1f max %.1f GFLOP/s%n", args[v], x[x.length / 2], x[x.length - 1]);
        }
    }
}
