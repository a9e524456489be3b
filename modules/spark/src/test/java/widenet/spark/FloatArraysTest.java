package widenet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Weights and partials survive Java serialization bit for bit, at lengths around the chunk size. */
class FloatArraysTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void serializedArraysComeBackBitForBit() throws Exception {
        Random rng = new Random(2);
        for (int length : new int[] {0, 1, 7, 16384, 16385, 100_003}) {
            Weights w = new Weights(length);
            Partial p = new Partial(length);
            for (int k = 0; k < length; k++) {
                w.values[k] = Float.intBitsToFloat(rng.nextInt()); // every bit pattern, NaNs included
                p.gradient[k] = (float) rng.nextGaussian();
            }
            p.halfSquaredResiduals = 3.5;
            p.patternChanges = 17;
            p.partitionsWithInitialPatterns = 1;
            float[] back = roundTrip(w).values;
            assertEquals(length, back.length);
            for (int k = 0; k < length; k++) {
                assertEquals(Float.floatToRawIntBits(w.values[k]), Float.floatToRawIntBits(back[k]), "element " + k);
            }
            Partial q = roundTrip(p);
            assertArrayEquals(p.gradient, q.gradient);
            assertEquals(3.5, q.halfSquaredResiduals);
            assertEquals(17, q.patternChanges);
            assertEquals(1, q.partitionsWithInitialPatterns);
        }
    }
}
