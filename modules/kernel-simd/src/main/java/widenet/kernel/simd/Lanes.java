package widenet.kernel.simd;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector shape every kernel here uses: 256-bit float vectors (8 lanes), the width of AVX2. It is fixed
 * rather than {@code SPECIES_PREFERRED} because the GEMM microkernel's register blocking is designed for it and
 * because one width everywhere keeps reductions' summation order, hence their bits, independent of the machine.
 */
final class Lanes {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
    /** Floats per vector. */
    static final int LENGTH = 8;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private Lanes() {
    }
}
