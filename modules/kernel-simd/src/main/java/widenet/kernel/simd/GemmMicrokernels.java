// GENERATED FILE — DO NOT EDIT. Produced by MicrokernelGenerator (modules/kernel-simd/src/test/java/widenet/
// kernel/simd/MicrokernelGenerator.java), the template to review; GeneratedSourcesTest checks it is current.
package widenet.kernel.simd;

/** The lookup of the generated {@link Microkernel} variants by width and tile shape. */
final class GemmMicrokernels {
    private GemmMicrokernels() {
    }

    /** The variant for {@code bits}-bit vectors and an {@code mr}×{@code nr} tile, or null if none was generated. */
    static Microkernel find(int bits, int mr, int nr) {
        if (bits == 128 && mr == 4 && nr == 8) {
            return new Mk128x4x8();
        }
        if (bits == 128 && mr == 8 && nr == 8) {
            return new Mk128x8x8();
        }
        if (bits == 256 && mr == 4 && nr == 16) {
            return new Mk256x4x16();
        }
        if (bits == 256 && mr == 8 && nr == 16) {
            return new Mk256x8x16();
        }
        if (bits == 512 && mr == 4 && nr == 32) {
            return new Mk512x4x32();
        }
        if (bits == 512 && mr == 8 && nr == 32) {
            return new Mk512x8x32();
        }
        if (bits == 512 && mr == 12 && nr == 32) {
            return new Mk512x12x32();
        }
        return null;
    }

    /** Whether a variant for {@code bits}-bit vectors and an {@code mr}×{@code nr} tile was generated (loads no vector class). */
    static boolean exists(int bits, int mr, int nr) {
        return bits == 128 && mr == 4 && nr == 8
                || bits == 128 && mr == 8 && nr == 8
                || bits == 256 && mr == 4 && nr == 16
                || bits == 256 && mr == 8 && nr == 16
                || bits == 512 && mr == 4 && nr == 32
                || bits == 512 && mr == 8 && nr == 32
                || bits == 512 && mr == 12 && nr == 32;
    }

    /** The generated variants as width:MR×NR, for messages. */
    static String list() {
        return "128:4x8, 128:8x8, 256:4x16, 256:8x16, 512:4x32, 512:8x32, 512:12x32";
    }
}
