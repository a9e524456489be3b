package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every generated microkernel variant, whatever this JVM's configuration, against the scalar definition: each tile
 * element is one FMA chain over p in increasing order, so the expected values are exact — the comparison is bit for
 * bit. Also checks that only the tile is written (the border around it in C stays untouched).
 */
class MicrokernelTest {
    private static final int[] DEPTHS = {1, 2, 7, 256};

    @Test
    void everyVariantIsExactlyTheFmaChain() {
        Random rnd = new Random(3);
        for (MicrokernelGenerator.Variant v : MicrokernelGenerator.VARIANTS) {
            Microkernel k = GemmMicrokernels.find(v.bits(), v.mr(), v.nr());
            assertNotNull(k, v.toString());
            assertEquals(v.mr(), k.mr);
            assertEquals(v.nr(), k.nr);
            for (int kc : DEPTHS) {
                check(k, kc, rnd);
            }
        }
    }

    private static void check(Microkernel k, int kc, Random rnd) {
        int mr = k.mr, nr = k.nr;
        float[] a = new float[3 + mr * kc];
        float[] b = new float[5 + nr * kc];
        for (int i = 0; i < a.length; i++) {
            a[i] = 2 * rnd.nextFloat() - 1;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = 2 * rnd.nextFloat() - 1;
        }
        int aOff = 3, bOff = 5;
        float[] want = new float[mr * nr];
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                float acc = 0f;
                for (int p = 0; p < kc; p++) {
                    acc = Math.fma(a[aOff + p * mr + r], b[bOff + p * nr + j], acc);
                }
                want[r * nr + j] = acc;
            }
        }
        String what = k + " kc=" + kc;
        float[] tile = new float[mr * nr];
        k.multiply(kc, a, aOff, b, bOff, tile);
        for (int i = 0; i < tile.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(tile[i]), what + " multiply at " + i);
        }
        // Into a C with a stride of nr + 3 and one row and column of border around the tile.
        int ldc = nr + 3;
        float alpha = -1.25f, beta = 0.75f;
        float[] c = new float[(mr + 2) * ldc];
        float[] c0 = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            c0[i] = 2 * rnd.nextFloat() - 1;
        }
        long cOff = (long) (ldc + 1) * Float.BYTES;
        System.arraycopy(c0, 0, c, 0, c.length);
        k.multiplyWrite(kc, a, aOff, b, bOff, MemorySegment.ofArray(c), cOff, (long) ldc * Float.BYTES, alpha);
        compare(what + " multiplyWrite", c, c0, want, mr, nr, ldc, alpha, Float.NaN);
        System.arraycopy(c0, 0, c, 0, c.length);
        k.multiplyUpdate(kc, a, aOff, b, bOff, MemorySegment.ofArray(c), cOff, (long) ldc * Float.BYTES, alpha, beta);
        compare(what + " multiplyUpdate", c, c0, want, mr, nr, ldc, alpha, beta);
    }

    private static void compare(
            String what, float[] c, float[] c0, float[] ab, int mr, int nr, int ldc, float alpha, float beta) {
        for (int i = 0; i < c.length; i++) {
            int row = i / ldc - 1, col = i % ldc - 1;
            float want = c0[i];
            if (row >= 0 && row < mr && col >= 0 && col < nr) {
                float v = ab[row * nr + col] * alpha;
                want = Float.isNaN(beta) ? v : v + c0[i] * beta;
            }
            assertEquals(
                    Float.floatToRawIntBits(want),
                    Float.floatToRawIntBits(c[i]),
                    what + " at row " + row + " col " + col);
        }
    }
}
