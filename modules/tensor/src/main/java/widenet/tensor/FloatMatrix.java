package widenet.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A row-major float32 matrix in off-heap memory: element (i, j) lives at float index {@code i·stride + j}
 * of {@link #segment()}. A matrix either owns its memory (allocated with {@link #allocate(int, int)}; freed by
 * {@link #close()}), lives in a caller's {@link Arena}, or is a view of another matrix (rows or a block), which
 * shares the memory and whose {@code close()} does nothing.
 *
 * <p>Element accessors are for set-up, tests and I/O; kernels read {@link #segment()} directly.
 */
public final class FloatMatrix implements AutoCloseable {
    /** Allocation alignment: one cache line, which also covers 512-bit vectors. */
    public static final long ALIGNMENT = 64;

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final MemorySegment segment;
    private final int rows;
    private final int cols;
    private final int stride;
    private final Arena owned;

    private FloatMatrix(MemorySegment segment, int rows, int cols, int stride, Arena owned) {
        this.segment = segment;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
        this.owned = owned;
    }

    /** A zero-filled rows×cols matrix in its own shared arena (usable from any thread), freed by {@link #close()}. */
    public static FloatMatrix allocate(int rows, int cols) {
        checkShape(rows, cols);
        Arena arena = Arena.ofShared();
        try {
            return new FloatMatrix(arena.allocate(bytes(rows, cols), ALIGNMENT), rows, cols, cols, arena);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** A zero-filled rows×cols matrix in the caller's arena; the arena frees it. */
    public static FloatMatrix allocate(Arena arena, int rows, int cols) {
        checkShape(rows, cols);
        return new FloatMatrix(arena.allocate(bytes(rows, cols), ALIGNMENT), rows, cols, cols, null);
    }

    /**
     * A matrix over existing memory: element (i, j) at float index {@code i·stride + j} of {@code segment}.
     * The caller keeps ownership of the memory.
     */
    public static FloatMatrix wrap(MemorySegment segment, int rows, int cols, int stride) {
        checkShape(rows, cols);
        if (stride < cols) {
            throw new IllegalArgumentException("stride " + stride + " is smaller than the column count " + cols);
        }
        long need = rows == 0 || cols == 0 ? 0 : ((long) (rows - 1) * stride + cols) * Float.BYTES;
        if (segment.byteSize() < need) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for a " + rows
                    + "×" + cols + " matrix with stride " + stride + " (" + need + " bytes needed)");
        }
        return new FloatMatrix(segment.asSlice(0, need), rows, cols, stride, null);
    }

    /** A copy of a Java array of rows (all of the same length) in its own arena. */
    public static FloatMatrix of(float[][] data) {
        int r = data.length;
        int c = r == 0 ? 0 : data[0].length;
        FloatMatrix m = allocate(r, c);
        for (int i = 0; i < r; i++) {
            if (data[i].length != c) {
                m.close();
                throw new IllegalArgumentException(
                        "ragged rows: row 0 has " + c + " columns, row " + i + " has " + data[i].length);
            }
            MemorySegment.copy(data[i], 0, m.segment, F32, (long) i * m.stride * Float.BYTES, c);
        }
        return m;
    }

    private static long bytes(int rows, int cols) {
        return Math.max(1L, (long) rows * cols * Float.BYTES);
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "×" + cols);
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }
    /** Distance in floats between the starts of consecutive rows (the leading dimension). */
    public int stride() {
        return stride;
    }

    public long size() {
        return (long) rows * cols;
    }
    /** True when the rows follow each other with no gap, so the elements form one run of {@link #size()} floats. */
    public boolean isContiguous() {
        return stride == cols || rows <= 1;
    }
    /** The memory, starting at element (0, 0). */
    public MemorySegment segment() {
        return segment;
    }

    public float get(int i, int j) {
        checkIndex(i, j);
        return segment.get(F32, ((long) i * stride + j) * Float.BYTES);
    }

    public void set(int i, int j, float v) {
        checkIndex(i, j);
        segment.set(F32, ((long) i * stride + j) * Float.BYTES, v);
    }

    private void checkIndex(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") outside a " + rows + "×" + cols + " matrix");
        }
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a view sharing this memory. */
    public FloatMatrix rows(int from, int to) {
        return block(from, to, 0, cols);
    }

    /** Row {@code i} as a 1×cols view. */
    public FloatMatrix row(int i) {
        return rows(i, i + 1);
    }

    /** Row {@code i} as a vector view sharing this memory. */
    public FloatVec rowVector(int i) {
        if (i < 0 || i >= rows) {
            throw new IndexOutOfBoundsException("row " + i + " outside a " + rows + "×" + cols + " matrix");
        }
        return FloatVec.wrap(segment.asSlice((long) i * stride * Float.BYTES, (long) cols * Float.BYTES), cols);
    }

    /** The block rows [r0, r1) × columns [c0, c1) as a view sharing this memory. */
    public FloatMatrix block(int r0, int r1, int c0, int c1) {
        if (r0 < 0 || r1 > rows || r0 > r1 || c0 < 0 || c1 > cols || c0 > c1) {
            throw new IndexOutOfBoundsException("block [" + r0 + ", " + r1 + ") × [" + c0 + ", " + c1 + ") outside a "
                    + rows + "×" + cols + " matrix");
        }
        int r = r1 - r0;
        int c = c1 - c0;
        long start = ((long) r0 * stride + c0) * Float.BYTES;
        long len = r == 0 || c == 0 ? 0 : ((long) (r - 1) * stride + c) * Float.BYTES;
        return new FloatMatrix(segment.asSlice(start, len), r, c, stride, null);
    }

    /** The whole matrix as a vector view; only for contiguous matrices. */
    public FloatVec asVector() {
        if (!isContiguous()) {
            throw new IllegalStateException(
                    "a " + rows + "×" + cols + " matrix with stride " + stride + " is not contiguous");
        }
        return FloatVec.wrap(segment, Math.toIntExact(size()));
    }

    public void fill(float v) {
        for (int i = 0; i < rows; i++) {
            MemorySegment row = segment.asSlice((long) i * stride * Float.BYTES, (long) cols * Float.BYTES);
            if (v == 0f) {
                row.fill((byte) 0);
            } else {
                for (int j = 0; j < cols; j++) {
                    row.setAtIndex(F32, j, v);
                }
            }
        }
    }

    /** Copies {@code src} (same shape) into this matrix. */
    public void copyFrom(FloatMatrix src) {
        requireSameShape(src, this, "copyFrom");
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(
                    src.segment,
                    (long) i * src.stride * Float.BYTES,
                    segment,
                    (long) i * stride * Float.BYTES,
                    (long) cols * Float.BYTES);
        }
    }

    /** Row {@code i} copied into a new Java array. */
    public float[] rowToArray(int i) {
        float[] out = new float[cols];
        MemorySegment.copy(segment, F32, (long) i * stride * Float.BYTES, out, 0, cols);
        return out;
    }

    /** All elements, row by row, copied into a new Java array. */
    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size())];
        for (int i = 0; i < rows; i++) {
            MemorySegment.copy(segment, F32, (long) i * stride * Float.BYTES, out, i * cols, cols);
        }
        return out;
    }

    public String shape() {
        return rows + "×" + cols;
    }

    /** Throws with a message naming {@code what} unless {@code a} and {@code b} have the same shape. */
    public static void requireSameShape(FloatMatrix a, FloatMatrix b, String what) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException(what + ": shapes differ, " + a.shape() + " vs " + b.shape());
        }
    }

    /** Frees the memory if this matrix owns it; a view or a matrix in a caller's arena is left alone. */
    @Override
    public void close() {
        if (owned != null && owned.scope().isAlive()) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + shape() + (stride != cols ? ", stride " + stride : "") + "]";
    }
}
