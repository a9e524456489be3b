package widenet.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file: magic 00 00 type ndim, big-endian dimension sizes, then {@code data}. */
    static byte[] idx(int type, long[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (long d : dims) {
            b.putInt((int) d);
        }
        return b.put(data).array();
    }

    static byte[] images(int n, int rows, int cols) {
        return idx(8, new long[] {n, rows, cols}, pixels(n * rows * cols));
    }

    /** Pixel k is (7k + 3) mod 256: every byte value occurs, including those with the sign bit set. */
    static byte[] pixels(int count) {
        byte[] p = new byte[count];
        for (int k = 0; k < count; k++) {
            p[k] = (byte) (7 * k + 3);
        }
        return p;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertPixels(FloatMatrix m, int n, int pixels) {
        assertEquals(n + "×" + pixels, m.shape());
        float[] all = m.toArray();
        for (int k = 0; k < all.length; k++) {
            assertEquals((7 * k + 3) & 0xff, all[k], "pixel " + k);
        }
    }

    // ------------------------------------------------------------------ well-formed files

    @Test
    void readsPlainAndGzippedImagesAlike() throws IOException {
        byte[] plain = images(3, 2, 5);
        for (Path f : List.of(file("i.idx", plain), file("i.idx.gz", gzip(plain)))) {
            try (FloatMatrix m = Idx.readImages(f)) {
                assertPixels(m, 3, 10);
            }
            assertArrayEquals(new long[] {3, 2, 5}, Idx.dims(f));
        }
    }

    @Test
    void recognisesGzipByItsMagicNotItsName() throws IOException {
        byte[] plain = images(2, 3, 3);
        try (FloatMatrix a = Idx.readImages(file("compressed.idx", gzip(plain)));
                FloatMatrix b = Idx.readImages(file("plain.gz", plain))) {
            assertPixels(a, 2, 9);
            assertPixels(b, 2, 9);
        }
    }

    @Test
    void readsImagesSpanningManyBuffers() throws IOException {
        byte[] plain = images(300, 28, 28); // 235 200 bytes: several 64 KiB buffers, split mid-image
        for (Path f : List.of(file("i", plain), file("i.gz", gzip(plain)))) {
            try (FloatMatrix m = Idx.readImages(f)) {
                assertPixels(m, 300, 784);
            }
        }
    }

    @Test
    void readsConcatenatedGzipMembers() throws IOException {
        byte[] plain = images(4, 5, 5);
        byte[] a = gzip(Arrays.copyOfRange(plain, 0, 37));
        byte[] b = gzip(Arrays.copyOfRange(plain, 37, plain.length));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        try (FloatMatrix m = Idx.readImages(file("two.gz", both))) {
            assertPixels(m, 4, 25);
        }
    }

    @Test
    void ignoresBytesAfterTheGzipStreamAsGzipDoes() throws IOException {
        byte[] gz = gzip(images(2, 2, 2));
        byte[] withJunk = Arrays.copyOf(gz, gz.length + 5);
        System.arraycopy("junk\n".getBytes(), 0, withJunk, gz.length, 5);
        try (FloatMatrix m = Idx.readImages(file("junk.gz", withJunk))) {
            assertPixels(m, 2, 4);
        }
    }

    @Test
    void readsEmptyImageSets() throws IOException {
        try (FloatMatrix m = Idx.readImages(file("none", images(0, 28, 28)))) {
            assertEquals("0×784", m.shape());
        }
    }

    @Test
    void readsLabelsAsIntsAndAsFloats() throws IOException {
        byte[] labels = idx(8, new long[] {6}, new byte[] {0, 9, 1, (byte) 255, 5, (byte) 128});
        for (Path f : List.of(file("l", labels), file("l.gz", gzip(labels)))) {
            assertArrayEquals(new int[] {0, 9, 1, 255, 5, 128}, Idx.readLabels(f));
            try (FloatVec v = Idx.readLabelVector(f)) {
                assertArrayEquals(new float[] {0, 9, 1, 255, 5, 128}, v.toArray());
            }
            assertArrayEquals(new long[] {6}, Idx.dims(f));
        }
        assertArrayEquals(new int[0], Idx.readLabels(file("l0", idx(8, new long[] {0}, new byte[0]))));
    }

    @Test
    void dimsAcceptsAnyUnsignedByteFileOfOneToThreeDimensions() throws IOException {
        assertArrayEquals(new long[] {2, 3}, Idx.dims(file("two", idx(8, new long[] {2, 3}, new byte[6]))));
        IdxFormatException e = assertThrows(
                IdxFormatException.class, () -> Idx.dims(file("four", idx(8, new long[] {1, 1, 1, 1}, new byte[1]))));
        assertTrue(e.getMessage().contains("expected 1 to 3 dimensions at offset 3, found 4"), e.getMessage());
    }

    // ------------------------------------------------------------------ malformed files

    /** Every reader that applies rejects {@code f}, naming it and the problem. */
    private static void assertRejected(Path f, boolean asImages, String problem) {
        assertRejected(f, asImages, true, problem);
    }

    /** As above; {@code withDims} false for a wrong dimension count, which {@link Idx#dims} accepts (1–3). */
    private static void assertRejected(Path f, boolean asImages, boolean withDims, String problem) {
        List<ThrowingRead> reads = new ArrayList<>(
                asImages
                        ? List.<ThrowingRead>of(Idx::readImages)
                        : List.<ThrowingRead>of(Idx::readLabels, Idx::readLabelVector));
        if (withDims) {
            reads.add(Idx::dims);
        }
        for (ThrowingRead read : reads) {
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> read.apply(f));
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(problem), () -> "expected «" + problem + "» in: " + e.getMessage());
            assertEquals(f, e.file());
        }
    }

    interface ThrowingRead {
        Object apply(Path f) throws IOException;
    }

    // "rank: …" cases: Idx.dims accepts any rank 1–3, so only the typed readers must reject them.
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPlain")
    void rejectsMalformedPlainFiles(String what, byte[] content, boolean asImages, String problem) throws IOException {
        assertRejected(file("bad-idx", content), asImages, !what.startsWith("rank:"), problem);
    }

    static Stream<Arguments> malformedPlain() {
        byte[] images = images(2, 3, 3);
        return Stream.of(
                Arguments.of(
                        "empty", new byte[0], true, "truncated header: file has 0 bytes; an IDX magic number needs 4"),
                Arguments.of("3 bytes", new byte[] {0, 0, 8}, true, "truncated header: file has 3 bytes"),
                Arguments.of(
                        "bad magic",
                        "GIF89a".getBytes(),
                        true,
                        "not an IDX file: bad magic 0x47494638 at offset 0; expected 0x00000803 (images) or 0x00000801 (labels)"),
                Arguments.of("bad magic, short", new byte[] {0, 7}, true, "bad magic 0x0007 at offset 0"),
                Arguments.of(
                        "float data",
                        idx(0x0D, new long[] {1, 1, 1}, new byte[4]),
                        true,
                        "unsupported data type 0x0D (32-bit float) at offset 2; expected 0x08 (unsigned byte)"),
                Arguments.of(
                        "unknown type",
                        idx(0x42, new long[] {1}, new byte[1]),
                        false,
                        "unsupported data type 0x42 (not an IDX type)"),
                Arguments.of(
                        "rank: labels as images",
                        idx(8, new long[] {3}, new byte[3]),
                        true,
                        "expected 3 dimensions (images: count, rows, cols) at offset 3, found 1 (this looks like a label file)"),
                Arguments.of(
                        "rank: images as labels",
                        images,
                        false,
                        "expected 1 dimension (labels: count) at offset 3, found 3 (this looks like an image file)"),
                Arguments.of(
                        "rank: no dimensions",
                        idx(8, new long[0], new byte[0]),
                        false,
                        "expected 1 dimension (labels: count) at offset 3, found 0"),
                Arguments.of(
                        "truncated dimensions",
                        Arrays.copyOf(images, 10),
                        true,
                        "truncated header: file has 10 bytes; a header of 3 dimension(s) needs 16"),
                Arguments.of(
                        "count above int",
                        idx(8, new long[] {0x8000_0000L, 1, 1}, new byte[0]),
                        true,
                        "dimension 0 at offset 4 is 2147483648; expected at most 2147483647"),
                Arguments.of(
                        "cols above int",
                        idx(8, new long[] {1, 1, 0xFFFF_FFFFL}, new byte[0]),
                        true,
                        "dimension 2 at offset 12 is 4294967295; expected at most 2147483647"),
                Arguments.of(
                        "empty images",
                        idx(8, new long[] {1_895_828_224, 224, 0}, new byte[0]),
                        true,
                        "dimension 2 at offset 12 is 0; expected at least 1 (each item must hold a value)"),
                Arguments.of(
                        "image above int",
                        idx(8, new long[] {1, 65536, 65536}, new byte[0]),
                        true,
                        "items of 4294967296 values (dimensions at offset 8) are too large; expected at most 2147483647"),
                Arguments.of(
                        "data truncated",
                        Arrays.copyOf(images, images.length - 1),
                        true,
                        "data truncated: header says 2×3×3 = 18 bytes of u8 data after offset 16, file has 17"),
                Arguments.of(
                        "trailing data",
                        Arrays.copyOf(images, images.length + 2),
                        true,
                        "trailing data: header says 2×3×3 = 18 bytes of u8 data after offset 16, file has 20 (2 extra bytes from offset 34)"),
                Arguments.of(
                        "labels truncated",
                        idx(8, new long[] {5}, new byte[4]),
                        false,
                        "data truncated: header says 5 = 5 bytes of u8 data after offset 8, file has 4"),
                Arguments.of(
                        "huge header, tiny file",
                        idx(8, new long[] {Integer.MAX_VALUE, 28, 28}, new byte[10]),
                        true,
                        "data truncated: header says 2147483647×28×28 = 1683627179248 bytes of u8 data after offset 16, file has 10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedGzip")
    void rejectsMalformedGzipFiles(String what, byte[] content, boolean asImages, String problem) throws IOException {
        assertRejected(file("bad-idx.gz", content), asImages, problem);
    }

    static Stream<Arguments> malformedGzip() {
        byte[] images = images(20, 10, 10);
        byte[] gz = gzip(images);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1; // CRC32 in the trailer
        byte[] badLength = gz.clone();
        badLength[gz.length - 4] ^= 1; // ISIZE in the trailer
        byte[] badDeflate = gz.clone();
        badDeflate[10] = (byte) 0xFF; // first deflate block header: reserved block type 3
        return Stream.of(
                Arguments.of("gzip magic only", new byte[] {0x1f, (byte) 0x8b}, true, "corrupt gzip header"),
                Arguments.of(
                        "gzip header only",
                        Arrays.copyOf(gz, 10),
                        true,
                        "corrupt or truncated gzip data after 0 decompressed bytes"),
                Arguments.of(
                        "truncated stream",
                        Arrays.copyOf(gz, gz.length / 2),
                        true,
                        "corrupt or truncated gzip data after"),
                Arguments.of(
                        "missing trailer",
                        Arrays.copyOf(gz, gz.length - 8),
                        true,
                        "corrupt or truncated gzip data after 2016 decompressed bytes"),
                Arguments.of(
                        "bad CRC",
                        badCrc,
                        true,
                        "corrupt or truncated gzip data after 2016 decompressed bytes: Corrupt GZIP trailer"),
                Arguments.of("bad length", badLength, true, "Corrupt GZIP trailer"),
                Arguments.of(
                        "bad deflate data",
                        badDeflate,
                        true,
                        "corrupt or truncated gzip data after 0 decompressed bytes"),
                Arguments.of(
                        "not IDX inside",
                        gzip("hello".getBytes()),
                        true,
                        "bad magic 0x68656C6C at decompressed offset 0"),
                Arguments.of(
                        "data truncated",
                        gzip(Arrays.copyOf(images, images.length - 3)),
                        true,
                        "data truncated: header says 20×10×10 = 2000 bytes of u8 data after decompressed offset 16, decompressed data has 1997"),
                Arguments.of(
                        "trailing data",
                        gzip(Arrays.copyOf(images, images.length + 3)),
                        true,
                        "trailing data: header says 20×10×10 = 2000 bytes of u8 data after decompressed offset 16, but 3 more bytes follow from decompressed offset 2016"),
                Arguments.of(
                        "huge header, tiny file",
                        gzip(idx(8, new long[] {Integer.MAX_VALUE, 28, 28}, new byte[10])),
                        true,
                        "data truncated: header says 2147483647×28×28 = 1683627179248 bytes of u8 data after decompressed offset 16, decompressed data has 10"),
                Arguments.of(
                        "labels type",
                        gzip(idx(0x0C, new long[] {1}, new byte[4])),
                        false,
                        "unsupported data type 0x0C (32-bit integer) at decompressed offset 2"));
    }

    @Test
    void boundsTheCountOfTrailingDecompressedData() throws IOException {
        // 2 MB of zeros compress to ~2 KB; the reader counts 1 MiB of them and stops.
        byte[] plain = Arrays.copyOf(images(1, 2, 2), 2_000_000);
        assertRejected(
                file("bomb.gz", gzip(plain)),
                true,
                "but at least 1048576 more bytes follow from decompressed offset 20");
    }

    @Test
    void missingFileIsAnIoErrorNotAFormatError() {
        assertThrows(NoSuchFileException.class, () -> Idx.readImages(dir.resolve("nope")));
    }
}
