package widenet.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Property: any byte string either reads as IDX images/labels or fails with an {@link IdxFormatException} naming
 * the file; never another exception, an OutOfMemoryError or a hang, and the size check agrees with the readers.
 * {@link #read} takes the bytes as the file (plain, or gzip when they start with its magic: mutated gzip seeds
 * reach the inflater's error paths); {@link #readGzipped} gzips them first, so the IDX structure behind a valid
 * gzip stream is fuzzed too. Seeds: {@code src/test/resources/widenet/tensor/IdxFuzzTestInputs/<method>/}.
 * To fuzz, as described on {@link NpyFuzzTest}, e.g.
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -pl modules/tensor -am test -Dtest='IdxFuzzTest#readGzipped'
 * </pre>
 */
class IdxFuzzTest {
    private static final Path NAME = Path.of("fuzz-idx");

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\\x00\\x00\\x08\\x03", "\\x00\\x00\\x08\\x01", "\\x1f\\x8b\\x08\\x00"})
    void read(byte[] data) throws IOException {
        check(data);
    }

    @FuzzTest(maxDuration = "5m")
    void readGzipped(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        check(out.toByteArray());
    }

    private static void check(byte[] file) throws IOException {
        long[] dims = null;
        try (ByteArrayChannel ch = new ByteArrayChannel(file)) {
            dims = Idx.check(ch, NAME, 0).dims();
            assertTrue(dims.length >= 1 && dims.length <= 3);
        } catch (IdxFormatException e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        }
        try (ByteArrayChannel ch = new ByteArrayChannel(file);
                FloatMatrix m = Idx.readImages(ch, NAME)) {
            assertTrue(dims != null && dims.length == 3, "readImages accepted what check rejected");
            assertEquals(dims[0], m.rows());
            assertEquals(dims[1] * dims[2], m.cols());
            for (float v : m.toArray()) {
                assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "pixel " + v);
            }
        } catch (IdxFormatException e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
            assertTrue(dims == null || dims.length != 3, "readImages rejected a checked file: " + e.getMessage());
        }
        try (ByteArrayChannel ch = new ByteArrayChannel(file)) {
            int[] labels = Idx.readLabels(ch, NAME);
            assertTrue(dims != null && dims.length == 1, "readLabels accepted what check rejected");
            assertEquals(dims[0], labels.length);
            for (int l : labels) {
                assertTrue(l >= 0 && l <= 255, "label " + l);
            }
        } catch (IdxFormatException e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
            assertTrue(dims == null || dims.length != 1, "readLabels rejected a checked file: " + e.getMessage());
        }
    }
}
