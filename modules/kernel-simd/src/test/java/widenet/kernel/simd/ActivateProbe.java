package widenet.kernel.simd;

import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/** Scratch (not a test): ns per element of activate() on L1/L2-resident data. */
public final class ActivateProbe {
    public static void main(String[] args) {
        try (Kernels k = KernelProviders.open("simd", 1); FloatMatrix z = FloatMatrix.allocate(16, 256);
             FloatMatrix out = FloatMatrix.allocate(16, 256); FloatMatrix d = FloatMatrix.allocate(16, 256)) {
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < 16; i++) for (int j = 0; j < 256; j++) z.set(i, j, r.nextFloat() * 4 - 2);
            Activation[] acts = {Activation.identity(), Activation.relu(true), Activation.leakyRelu(0.1f, true), Activation.smoothLeakyRelu(0.1f, 4f)};
            for (int round = 0; round < 5; round++) {
                for (Activation act : acts) {
                    for (FloatMatrix dd : new FloatMatrix[] {null, d}) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < 2000; i++) k.activate(act, z, out, dd);
                        if (round == 4) System.out.printf("%s deriv=%s %.3f ns/el%n", act, dd != null, (System.nanoTime() - t0) / 2000.0 / 4096);
                    }
                }
            }
        }
    }
}
