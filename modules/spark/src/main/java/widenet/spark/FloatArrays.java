package widenet.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Java serialization of large float arrays in bulk: ObjectOutputStream writes a float[] value by value, which is
 * a large part of a step's cost when 16 MB of weights go out and 16 MB of gradient per partition come back.
 * Little-endian on the wire, whatever the machines.
 */
final class FloatArrays {
    private static final ValueLayout.OfFloat WIRE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK = 1 << 16;

    private FloatArrays() {}

    static void write(ObjectOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        MemorySegment src = MemorySegment.ofArray(values);
        byte[] buffer = new byte[Math.min(CHUNK, values.length * Float.BYTES)];
        MemorySegment dst = MemorySegment.ofArray(buffer);
        int perChunk = buffer.length / Float.BYTES;
        for (int from = 0; from < values.length; from += perChunk) {
            int count = Math.min(perChunk, values.length - from);
            MemorySegment.copy(src, ValueLayout.JAVA_FLOAT, (long) from * Float.BYTES, dst, WIRE, 0, count);
            out.write(buffer, 0, count * Float.BYTES);
        }
    }

    static float[] read(ObjectInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative float array length " + length);
        }
        float[] values = new float[length];
        MemorySegment dst = MemorySegment.ofArray(values);
        byte[] buffer = new byte[Math.min(CHUNK, length * Float.BYTES)];
        MemorySegment src = MemorySegment.ofArray(buffer);
        int perChunk = Math.max(1, buffer.length / Float.BYTES);
        for (int from = 0; from < length; from += perChunk) {
            int count = Math.min(perChunk, length - from);
            in.readFully(buffer, 0, count * Float.BYTES);
            MemorySegment.copy(src, WIRE, 0, dst, ValueLayout.JAVA_FLOAT, (long) from * Float.BYTES, count);
        }
        return values;
    }
}
