package widenet.model;

import widenet.tensor.FloatMatrix;

/**
 * Scalar fields of a model (counters, flags, doubles) stored exactly in a float column, so that they travel in a
 * checkpoint as one more {@link Network#extraState()} array. Each 64-bit value is split into four 16-bit words, each
 * held as a float integer in [0, 65535]: exact, and never a NaN whose payload a copy might change (a double's raw
 * bits put in one or two floats could be).
 */
final class PackedScalars implements AutoCloseable {
    private static final int WORDS = 4;

    private final FloatMatrix words;
    private int at;

    /** Room for {@code count} values. */
    PackedScalars(int count) {
        words = FloatMatrix.allocate(count * WORDS, 1);
    }

    /** The column the values are packed into (the array a checkpoint saves). */
    FloatMatrix column() {
        return words;
    }

    /** Starts packing (or unpacking) at the first value. */
    PackedScalars rewind() {
        at = 0;
        return this;
    }

    PackedScalars put(long value) {
        for (int w = 0; w < WORDS; w++) {
            words.set(at++, 0, (float) ((value >>> (16 * w)) & 0xFFFF));
        }
        return this;
    }

    PackedScalars put(double value) {
        return put(Double.doubleToRawLongBits(value));
    }

    PackedScalars put(boolean value) {
        return put(value ? 1L : 0L);
    }

    long getLong() {
        long value = 0;
        for (int w = 0; w < WORDS; w++) {
            float f = words.get(at, 0);
            if (!(f >= 0 && f <= 0xFFFF && f == Math.rint(f))) {
                throw new IllegalArgumentException(
                        "packed scalar word " + at + " is " + f + ", not an integer in [0, 65535]");
            }
            value |= (long) f << (16 * w);
            at++;
        }
        return value;
    }

    int getInt(int min, int max, String what) {
        long v = getLong();
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " is " + v + ", expected " + min + ".." + max);
        }
        return (int) v;
    }

    double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    boolean getBoolean(String what) {
        return getInt(0, 1, what) == 1;
    }

    @Override
    public void close() {
        words.close();
    }
}
