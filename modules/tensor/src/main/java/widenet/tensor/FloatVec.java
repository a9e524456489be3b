package widenet.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A contiguous float32 vector in off-heap memory. Owns its memory when made by {@link #allocate(int)};
 * otherwise it is a view and {@link #close()} does nothing.
 */
public final class FloatVec implements AutoCloseable {
    private final MemorySegment segment;
    private final int length;
    private final Arena owned;

    private FloatVec(MemorySegment segment, int length, Arena owned) {
        this.segment = segment;
        this.length = length;
        this.owned = owned;
    }

    /** A zero-filled vector in its own shared arena, freed by {@link #close()}. */
    public static FloatVec allocate(int length) {
        check(length);
        Arena arena = Arena.ofShared();
        try {
            return new FloatVec(
                    arena.allocate(Math.max(1L, (long) length * Float.BYTES), FloatMatrix.ALIGNMENT), length, arena);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** A zero-filled vector in the caller's arena. */
    public static FloatVec allocate(Arena arena, int length) {
        check(length);
        return new FloatVec(
                arena.allocate(Math.max(1L, (long) length * Float.BYTES), FloatMatrix.ALIGNMENT), length, null);
    }

    /** A vector over the first {@code length} floats of {@code segment}; the caller keeps ownership. */
    public static FloatVec wrap(MemorySegment segment, int length) {
        check(length);
        if (segment.byteSize() < (long) length * Float.BYTES) {
            throw new IllegalArgumentException(
                    "segment of " + segment.byteSize() + " bytes is too small for " + length + " floats");
        }
        return new FloatVec(segment.asSlice(0, (long) length * Float.BYTES), length, null);
    }

    public static FloatVec of(float... data) {
        FloatVec v = allocate(data.length);
        MemorySegment.copy(data, 0, v.segment, FloatMatrix.F32, 0, data.length);
        return v;
    }

    private static void check(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
    }

    public int length() {
        return length;
    }

    public MemorySegment segment() {
        return segment;
    }

    public float get(int i) {
        checkIndex(i);
        return segment.getAtIndex(FloatMatrix.F32, i);
    }

    public void set(int i, float v) {
        checkIndex(i);
        segment.setAtIndex(FloatMatrix.F32, i, v);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("index " + i + " outside a vector of length " + length);
        }
    }

    /** Elements [from, to) as a view. */
    public FloatVec slice(int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException(
                    "slice [" + from + ", " + to + ") outside a vector of length " + length);
        }
        return new FloatVec(
                segment.asSlice((long) from * Float.BYTES, (long) (to - from) * Float.BYTES), to - from, null);
    }

    /** This vector as a 1×length matrix view. */
    public FloatMatrix asRow() {
        return FloatMatrix.wrap(segment, length == 0 ? 0 : 1, length, length);
    }

    /** This vector as a length×1 matrix view. */
    public FloatMatrix asColumn() {
        return FloatMatrix.wrap(segment, length, length == 0 ? 0 : 1, 1);
    }

    public void fill(float v) {
        for (int i = 0; i < length; i++) {
            segment.setAtIndex(FloatMatrix.F32, i, v);
        }
    }

    public void copyFrom(FloatVec src) {
        if (src.length != length) {
            throw new IllegalArgumentException("copyFrom: lengths differ, " + src.length + " vs " + length);
        }
        MemorySegment.copy(src.segment, 0, segment, 0, (long) length * Float.BYTES);
    }

    public float[] toArray() {
        float[] out = new float[length];
        MemorySegment.copy(segment, FloatMatrix.F32, 0, out, 0, length);
        return out;
    }

    @Override
    public void close() {
        if (owned != null && owned.scope().isAlive()) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "FloatVec[" + length + "]";
    }
}
