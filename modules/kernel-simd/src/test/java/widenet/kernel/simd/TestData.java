package widenet.kernel.simd;

import java.lang.foreign.Arena;
import java.util.Random;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * Seeded random operands in one arena per test, optionally as strided views (a block inside a wider matrix, with
 * poison around it so a kernel that reads or writes outside the view shows up).
 */
final class TestData implements AutoCloseable {
    /** Value of the border around strided views: any read of it poisons a result, any write to it is detected. */
    static final float POISON = Float.NaN;

    final Arena arena = Arena.ofShared();
    final Random random;

    TestData(long seed) {
        random = new Random(seed);
    }

    /** A rows×cols matrix of uniform values in [−1, 1); strided (stride cols + 3, offset by one row and column) if asked. */
    FloatMatrix matrix(int rows, int cols, boolean strided) {
        FloatMatrix m = empty(rows, cols, strided);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, 2 * random.nextFloat() - 1);
            }
        }
        return m;
    }

    /** A rows×cols matrix filled with {@code v}, poison around it when strided. */
    FloatMatrix filled(int rows, int cols, boolean strided, float v) {
        FloatMatrix m = empty(rows, cols, strided);
        m.fill(v);
        return m;
    }

    private FloatMatrix empty(int rows, int cols, boolean strided) {
        if (!strided) {
            return FloatMatrix.allocate(arena, rows, cols);
        }
        FloatMatrix outer = FloatMatrix.allocate(arena, rows + 2, cols + 3);
        outer.fill(POISON);
        return outer.block(1, rows + 1, 1, cols + 1);
    }

    /** Whether the poison border around a strided view made by this class is intact (trivially true otherwise). */
    static boolean borderIntact(FloatMatrix view) {
        if (view.stride() == view.cols() || view.rows() == 0) {
            return true;
        }
        // The view starts one row and one column into its outer matrix: check the cells right of each row, which
        // lie inside the view's segment except after the last row.
        for (int i = 0; i + 1 < view.rows(); i++) {
            for (int j = view.cols(); j < view.stride(); j++) {
                float v = view.segment()
                        .getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, (long) i * view.stride() + j);
                if (!Float.isNaN(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    FloatVec vector(int n) {
        FloatVec v = FloatVec.allocate(arena, n);
        for (int i = 0; i < n; i++) {
            v.set(i, 2 * random.nextFloat() - 1);
        }
        return v;
    }

    /** A copy in fresh contiguous memory. */
    FloatMatrix copy(FloatMatrix m) {
        FloatMatrix c = FloatMatrix.allocate(arena, m.rows(), m.cols());
        c.copyFrom(m);
        return c;
    }

    /** A copy with the same layout (strided if m is). */
    FloatMatrix copyLike(FloatMatrix m) {
        FloatMatrix c = empty(m.rows(), m.cols(), m.stride() != m.cols());
        c.copyFrom(m);
        return c;
    }

    FloatVec copy(FloatVec v) {
        FloatVec c = FloatVec.allocate(arena, v.length());
        c.copyFrom(v);
        return c;
    }

    /** |m| elementwise, contiguous. */
    FloatMatrix abs(FloatMatrix m) {
        FloatMatrix c = FloatMatrix.allocate(arena, m.rows(), m.cols());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                c.set(i, j, Math.abs(m.get(i, j)));
            }
        }
        return c;
    }

    @Override
    public void close() {
        arena.close();
    }
}
