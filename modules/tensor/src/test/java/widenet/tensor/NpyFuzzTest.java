package widenet.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Property: any byte string either reads as a .npy array or fails with an {@link NpyFormatException} naming the
 * file; never another exception, an OutOfMemoryError or a hang. Both readers and the header check must agree.
 *
 * <p>A plain {@code ./mvnw verify} replays the seeds in
 * {@code src/test/resources/widenet/tensor/NpyFuzzTestInputs/read/} and any crash files saved there (regression
 * mode, well under a second). To fuzz (one fuzz test per run; Jazzer instruments {@code widenet.tensor} for
 * coverage inside the named module, no extra set-up):
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -pl modules/tensor -am test -Dtest='NpyFuzzTest#read'
 * </pre>
 * {@code JAZZER_MAX_DURATION} overrides the annotation's 5 minutes. The growing corpus goes to
 * {@code modules/tensor/.cifuzz-corpus/} (git-ignored); a crashing input is written into the Inputs folder above,
 * where it becomes a regression test once committed.
 */
class NpyFuzzTest {
    private static final Path NAME = Path.of("fuzz.npy");

    @FuzzTest(maxDuration = "5m")
    // libFuzzer dictionary syntax: "\\x93" is the byte 0x93.
    @DictionaryEntries({
        "\\x93NUMPY",
        "\\x01\\x00",
        "\\x02\\x00",
        "\\x03\\x00",
        "'descr'",
        "'fortran_order'",
        "'shape'",
        "'<f4'",
        "'<f8'",
        "'>f4'",
        "'|f4'",
        "'=f8'",
        "True",
        "False",
        "(3, 4)",
        "(3,)",
        "()",
        ", }",
        "L,"
    })
    void read(byte[] data) throws IOException {
        long[] shape = null;
        try (ByteArrayChannel ch = new ByteArrayChannel(data)) {
            Npy.Header h = Npy.readHeader(ch, NAME);
            shape = h.shape();
            assertTrue(shape.length == 1 || shape.length == 2);
            assertEquals(
                    data.length, h.dataOffset() + h.count() * h.dtype().size, "header accepted, length must match");
        } catch (NpyFormatException e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        }
        try (ByteArrayChannel ch = new ByteArrayChannel(data);
                FloatMatrix m = Npy.readMatrix(ch, NAME, -1, -1)) {
            assertTrue(shape != null, "readMatrix accepted what readHeader rejected");
            assertArrayEquals(new long[] {m.rows(), m.cols()}, shape.length == 2 ? shape : new long[] {shape[0], 1});
        } catch (NpyFormatException e) {
            assertTrue(shape == null, "readMatrix rejected a valid header: " + e.getMessage());
        }
        try (ByteArrayChannel ch = new ByteArrayChannel(data);
                FloatVec v = Npy.readVector(ch, NAME, -1)) {
            assertTrue(shape != null && (shape.length == 1 || shape[0] == 1 || shape[1] == 1));
            assertEquals(shape.length == 1 ? shape[0] : shape[0] * shape[1], v.length());
        } catch (NpyFormatException e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        }
    }
}
