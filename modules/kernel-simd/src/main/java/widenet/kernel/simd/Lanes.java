package widenet.kernel.simd;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector shape every kernel here uses, chosen once per process by the kernel configuration
 * ({@link SimdConfiguration}): 128, 256 or 512 bits. {@code static final}, so C2 compiles every kernel for that
 * species as a constant. Results that depend on the width (reductions' lane sums, gemv's dot products) are therefore
 * the same for every thread count on one configuration; GEMM, elementwise operations and every activation do not
 * depend on it at all.
 */
final class Lanes {
    static final VectorSpecies<Float> SPECIES =
            species(SimdConfiguration.config().bits());
    /** Floats per vector. */
    static final int LENGTH = SPECIES.length();

    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private Lanes() {}

    static VectorSpecies<Float> species(int bits) {
        return switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("no " + bits + "-bit float species");
        };
    }
}
