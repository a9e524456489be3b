package widenet.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/** The broadcast weights, packed: W (m×d, row-major), then a (m); serialized in bulk ({@link FloatArrays}). */
final class Weights implements Serializable {
    private static final long serialVersionUID = 1L;

    transient float[] values;

    Weights(int length) {
        values = new float[length];
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        FloatArrays.write(out, values);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        values = FloatArrays.read(in);
    }
}
