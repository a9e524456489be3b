package widenet.kernel.simd;

import java.util.zip.CRC32;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/** Prints a checksum of the SIMD smooth leaky ReLU's bits over fixed inputs: run in child JVMs by the bits test. */
public final class SmoothBitsProbe {
    private SmoothBitsProbe() {}

    public static void main(String[] args) {
        System.out.println(Long.toHexString(checksum()));
    }

    static long checksum() {
        CRC32 crc = new CRC32();
        try (Kernels k = KernelProviders.open("simd", 1)) {
            for (float[] p : SmoothActivationBitsTest.PARAMS) {
                Activation act = Activation.smoothLeakyRelu(p[0], p[1]);
                float[] xs = SmoothActivationBitsTest.inputs(p[1]);
                try (FloatMatrix z = FloatMatrix.allocate(1, xs.length);
                        FloatMatrix out = FloatMatrix.allocate(1, xs.length);
                        FloatMatrix d = FloatMatrix.allocate(1, xs.length)) {
                    for (int i = 0; i < xs.length; i++) {
                        z.set(0, i, xs[i]);
                    }
                    k.activate(act, z, out, d);
                    for (int i = 0; i < xs.length; i++) {
                        int v = Float.floatToRawIntBits(out.get(0, i)), w = Float.floatToRawIntBits(d.get(0, i));
                        crc.update(new byte[] {
                            (byte) v,
                            (byte) (v >> 8),
                            (byte) (v >> 16),
                            (byte) (v >> 24),
                            (byte) w,
                            (byte) (w >> 8),
                            (byte) (w >> 16),
                            (byte) (w >> 24)
                        });
                    }
                }
            }
        }
        return crc.getValue();
    }
}
