package widenet.kernel.simd;

import static widenet.kernel.simd.GemmBlocking.MR;
import static widenet.kernel.simd.GemmBlocking.NR;
import static widenet.kernel.simd.Lanes.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import widenet.kernel.Epilogue;
import widenet.tensor.FloatMatrix;

/**
 * Writes a microkernel tile into C: C = α·AB + β·C for the first KC block of the K dimension, C += α·AB for the
 * later ones, and after the last one the epilogue σ (σ′ into the derivative matrix). One instance per GEMM task,
 * configured per call and only read while the workers run.
 *
 * <p>β = 0 never reads C, so NaN or garbage there is ignored. Partial tiles at C's right and bottom edges store their
 * partial rows in scalar code: the same arithmetic as full tiles, and no access outside C.
 */
final class GemmTileStore {
    private static final VectorSpecies<Float> S = Lanes.SPECIES;

    private final VectorActivation activation = new VectorActivation();
    private float alpha;
    private float beta;
    private MemorySegment c;
    private long ldc;
    private boolean hasActivation;
    private MemorySegment d;
    private long ldd;

    void set(float alpha, float beta, FloatMatrix c, Epilogue epilogue) {
        this.alpha = alpha;
        this.beta = beta;
        this.c = c.segment();
        this.ldc = c.stride();
        this.hasActivation = !epilogue.isNone();
        if (hasActivation) {
            activation.set(epilogue.activationOrNull());
        }
        FloatMatrix deriv = epilogue.derivative();
        this.d = deriv == null ? null : deriv.segment();
        this.ldd = deriv == null ? 0 : deriv.stride();
    }

    /** Whether there is an epilogue σ to apply after the last KC block. */
    boolean hasActivation() {
        return hasActivation;
    }

    /** The epilogue σ (σ′ into the derivative matrix) over the full MR×NR tile of C at (row, col), in place. */
    void activateTile(int row, int col) {
        MemorySegment c = this.c;
        MemorySegment d = this.d;
        for (int r = 0; r < MR; r++) {
            long cOff = ((row + r) * ldc + col) * Float.BYTES;
            activation.apply(c, cOff, c, cOff, d, ((row + r) * ldd + col) * Float.BYTES, NR);
        }
    }

    VectorActivation activation() {
        return activation;
    }

    /** The derivative matrix's memory, or null. */
    MemorySegment d() {
        return d;
    }

    /** Byte offset of D(row, col). */
    long derivativeOffset(int row, int col) {
        return (row * ldd + col) * Float.BYTES;
    }

    long derivativeRowBytes() {
        return ldd * Float.BYTES;
    }

    MemorySegment c() {
        return c;
    }

    /** Byte offset of C(row, col). */
    long offset(int row, int col) {
        return (row * ldc + col) * Float.BYTES;
    }

    /** Bytes between C's rows. */
    long rowBytes() {
        return ldc * Float.BYTES;
    }

    float alpha() {
        return alpha;
    }

    float beta() {
        return beta;
    }

    /** Drops the references to the caller's matrices once the call is over. */
    void clear() {
        c = null;
        d = null;
    }

    /**
     * Stores rows [0, mr) × columns [0, nr) of {@code tile} (row length NR) at C(row, col).
     *
     * @param first whether this is the first KC block (apply β)
     * @param last  whether this is the last KC block (apply the epilogue)
     */
    void store(float[] tile, int row, int col, int mr, int nr, boolean first, boolean last) {
        boolean epilogue = last && hasActivation;
        // Fields into locals: C2 would read them again after every store through the segment.
        MemorySegment c = this.c;
        float alpha = this.alpha;
        boolean writeOnly = first && beta == 0f;
        float betaOrOne = first ? beta : 1f;
        for (int r = 0; r < mr; r++) {
            long cOff = ((row + r) * ldc + col) * Float.BYTES;
            int t = r * NR;
            for (int j = 0; j < nr; j += Lanes.LENGTH) {
                storeVector(
                        tile,
                        t + j,
                        c,
                        cOff + (long) j * Float.BYTES,
                        Math.min(Lanes.LENGTH, nr - j),
                        alpha,
                        betaOrOne,
                        writeOnly);
            }
            if (epilogue) {
                activation.apply(c, cOff, c, cOff, d, ((row + r) * ldd + col) * Float.BYTES, nr);
            }
        }
    }

    /**
     * α·AB + β′·C (or α·AB without reading C), β′ = β for the first KC block and 1 after it: the arithmetic of
     * {@link GemmMicrokernel#multiplyUpdate} and {@link GemmMicrokernel#multiplyWrite}.
     */
    private static void storeVector(
            float[] tile,
            int t,
            MemorySegment c,
            long cOff,
            int lanes,
            float alpha,
            float betaOrOne,
            boolean writeOnly) {
        if (lanes == Lanes.LENGTH) {
            FloatVector ab = FloatVector.fromArray(S, tile, t).mul(alpha);
            if (writeOnly) {
                ab.intoMemorySegment(c, cOff, ORDER);
            } else {
                ab.add(FloatVector.fromMemorySegment(S, c, cOff, ORDER).mul(betaOrOne))
                        .intoMemorySegment(c, cOff, ORDER);
            }
        } else {
            // A partial row in scalar code, same arithmetic: masked stores were boxed by C2 on some shapes.
            for (int l = 0; l < lanes; l++, cOff += Float.BYTES) {
                float v = tile[t + l] * alpha;
                c.set(Lanes.F32, cOff, writeOnly ? v : v + c.get(Lanes.F32, cOff) * betaOrOne);
            }
        }
    }
}
