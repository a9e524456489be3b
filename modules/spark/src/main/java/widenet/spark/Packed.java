package widenet.spark;

import java.lang.foreign.MemorySegment;
import widenet.tensor.FloatMatrix;

/**
 * Copies between matrices and packed float vectors (row after row, no padding), the form in which weights and
 * gradients travel through Spark. Works on segments, so that a copy wraps no array and allocates nothing.
 */
final class Packed {
    private Packed() {}

    /** {@code src} (floats, from float index {@code offset} on) into {@code dst}. */
    static void unpack(MemorySegment src, long offset, FloatMatrix dst) {
        long rowBytes = (long) dst.cols() * Float.BYTES;
        long from = offset * Float.BYTES;
        if (dst.isContiguous()) {
            MemorySegment.copy(src, from, dst.segment(), 0, dst.rows() * rowBytes);
            return;
        }
        for (int i = 0; i < dst.rows(); i++) {
            MemorySegment.copy(
                    src, from + i * rowBytes, dst.segment(), (long) i * dst.stride() * Float.BYTES, rowBytes);
        }
    }

    /** {@code src} into {@code dst} (floats, from float index {@code offset} on). */
    static void pack(FloatMatrix src, MemorySegment dst, long offset) {
        long rowBytes = (long) src.cols() * Float.BYTES;
        long to = offset * Float.BYTES;
        if (src.isContiguous()) {
            MemorySegment.copy(src.segment(), 0, dst, to, src.rows() * rowBytes);
            return;
        }
        for (int i = 0; i < src.rows(); i++) {
            MemorySegment.copy(src.segment(), (long) i * src.stride() * Float.BYTES, dst, to + i * rowBytes, rowBytes);
        }
    }

    static void unpack(float[] src, long offset, FloatMatrix dst) {
        unpack(MemorySegment.ofArray(src), offset, dst);
    }

    static void pack(FloatMatrix src, float[] dst, long offset) {
        pack(src, MemorySegment.ofArray(dst), offset);
    }
}
