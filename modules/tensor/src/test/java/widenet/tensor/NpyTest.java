package widenet.tensor;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NpyTest {
    @TempDir
    Path dir;

    /** The fixture files made by src/test/resources/npy/make_fixtures.py with NumPy. */
    static byte[] fixture(String name) {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /npy/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path fixtureFile(String name) throws IOException {
        return Files.write(dir.resolve(name), fixture(name));
    }

    /** (i - 5.5) / 4 for i = 0…11 as 3×4: the values in the *_3x4 fixtures. */
    private static float[][] a34() {
        float[][] a = new float[3][4];
        for (int i = 0; i < 12; i++) {
            a[i / 4][i % 4] = (i - 5.5f) / 4;
        }
        return a;
    }

    private static void assertMatrix(float[][] expected, FloatMatrix m) {
        assertEquals(expected.length + "×" + (expected.length == 0 ? m.cols() : expected[0].length), m.shape());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], m.rowToArray(i), "row " + i);
        }
    }

    // ------------------------------------------------------------------ files written by NumPy

    @ParameterizedTest
    @MethodSource("numpy3x4")
    void readsNumpyFilesOfEveryVersionAndFloatType(String name) throws IOException {
        try (FloatMatrix m = Npy.readMatrix(fixtureFile(name))) {
            assertMatrix(a34(), m);
        }
        assertArrayEquals(new long[] {3, 4}, Npy.shape(dir.resolve(name)));
    }

    static Stream<String> numpy3x4() {
        return Stream.of("f4_3x4.npy", "f4_3x4_v2.npy", "f4_3x4_v3.npy", "f8_3x4.npy");
    }

    @Test
    void roundsDoublesToNearestFloat() throws IOException {
        try (FloatVec v = Npy.readVector(fixtureFile("f8_rounding.npy"))) {
            assertEquals(6, v.length());
            assertEquals(0.1f, v.get(0));
            assertEquals(Float.NEGATIVE_INFINITY, v.get(1));
            assertEquals(Float.POSITIVE_INFINITY, v.get(2));
            assertTrue(Float.isNaN(v.get(3)));
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(v.get(4)));
            assertEquals((float) 3.4028235677973366e38, v.get(5));
        }
    }

    @Test
    void readsOneDimensionalArraysAsColumnsOrVectors() throws IOException {
        Path f = fixtureFile("f4_7.npy");
        assertArrayEquals(new long[] {7}, Npy.shape(f));
        try (FloatMatrix m = Npy.readMatrix(f);
                FloatVec v = Npy.readVector(f, 7)) {
            assertEquals("7×1", m.shape());
            for (int i = 0; i < 7; i++) {
                assertEquals(i, m.get(i, 0));
                assertEquals(i, v.get(i));
            }
        }
    }

    @Test
    void readsRowAndColumnMatricesAsVectors() throws IOException {
        for (String name : List.of("f4_5x1.npy", "f4_1x5.npy")) {
            try (FloatVec v = Npy.readVector(fixtureFile(name))) {
                assertArrayEquals(new float[] {0, 1, 2, 3, 4}, v.toArray(), name);
            }
        }
        try (FloatMatrix m = Npy.readMatrix(dir.resolve("f4_1x5.npy"), 1, 5)) {
            assertArrayEquals(new float[] {0, 1, 2, 3, 4}, m.rowToArray(0));
        }
    }

    @Test
    void readsEmptyArrays() throws IOException {
        try (FloatMatrix m = Npy.readMatrix(fixtureFile("f4_0x5.npy"), 0, 5)) {
            assertEquals("0×5", m.shape());
        }
        try (FloatVec v = Npy.readVector(fixtureFile("f4_0.npy"))) {
            assertEquals(0, v.length());
        }
    }

    @ParameterizedTest
    @MethodSource("numpyRejected")
    void rejectsWhatNumpyWritesButWeDoNotRead(String name, String problem) throws IOException {
        Path f = fixtureFile(name);
        assertRejected(f, problem);
    }

    static Stream<Arguments> numpyRejected() {
        return Stream.of(
                Arguments.of(
                        "f8_scalar.npy",
                        "unsupported 0-d shape () at header offset 50 (file offset 60); expected (n,) or (rows, cols)"),
                Arguments.of("f8_2x3x4.npy", "unsupported 3-d shape (2, 3, 4) at header offset 50 (file offset 60)"),
                Arguments.of(
                        "f4_fortran_3x4.npy",
                        "fortran_order: True (column-major data) at header offset 34 (file offset 44) is not supported; expected False"),
                Arguments.of(
                        "f4_bigendian_3x4.npy",
                        "unsupported dtype '>f4' (big-endian) at header offset 10 (file offset 20); expected '<f4' or '<f8'"),
                Arguments.of(
                        "i8_5.npy",
                        "unsupported dtype '<i8' at header offset 10 (file offset 20); expected '<f4' or '<f8'"),
                Arguments.of("object_2.npy", "unsupported dtype '|O' at header offset 10 (file offset 20)"),
                Arguments.of(
                        "archive.npz",
                        "not a .npy file: bad magic at offset 0; expected '\\x93NUMPY', found 'PK\\x03\\x04"),
                Arguments.of("archive.npz", "(a zip archive: an .npz is not read here)"));
    }

    // ------------------------------------------------------------------ writing, byte for byte as NumPy

    @Test
    void writesExactlyWhatNumpyWrites() throws IOException {
        Path f = dir.resolve("out.npy");
        try (FloatMatrix m = FloatMatrix.of(a34())) {
            Npy.write(f, m);
        }
        assertArrayEquals(fixture("f4_3x4.npy"), Files.readAllBytes(f));

        try (FloatVec v = FloatVec.of(0, 1, 2, 3, 4, 5, 6)) {
            Npy.write(f, v);
        }
        assertArrayEquals(fixture("f4_7.npy"), Files.readAllBytes(f));

        try (FloatMatrix col = FloatMatrix.of(new float[][] {{0}, {1}, {2}, {3}, {4}});
                FloatMatrix row = FloatMatrix.of(new float[][] {{0, 1, 2, 3, 4}})) {
            Npy.write(f, col);
            assertArrayEquals(fixture("f4_5x1.npy"), Files.readAllBytes(f));
            Npy.write(f, row);
            assertArrayEquals(fixture("f4_1x5.npy"), Files.readAllBytes(f));
        }

        try (FloatMatrix empty = FloatMatrix.allocate(0, 5);
                FloatVec none = FloatVec.allocate(0)) {
            Npy.write(f, empty);
            assertArrayEquals(fixture("f4_0x5.npy"), Files.readAllBytes(f));
            Npy.write(f, none);
            assertArrayEquals(fixture("f4_0.npy"), Files.readAllBytes(f));
        }

        double[] d = new double[12];
        for (int i = 0; i < 12; i++) {
            d[i] = (i - 5.5) / 4;
        }
        Npy.write(f, d, 3, 4);
        assertArrayEquals(fixture("f8_3x4.npy"), Files.readAllBytes(f));
        Npy.write(f, new double[] {2.5});
        assertArrayEquals(fixture("f8_scalar.npy"), Files.readAllBytes(f));
        double[] iota = new double[24];
        for (int i = 0; i < 24; i++) {
            iota[i] = i;
        }
        Npy.write(f, iota, 2, 3, 4);
        assertArrayEquals(fixture("f8_2x3x4.npy"), Files.readAllBytes(f));
    }

    @Test
    void rejectsDoubleDataThatDoesNotFitTheShape() {
        Path f = dir.resolve("bad.npy");
        assertThrows(IllegalArgumentException.class, () -> Npy.write(f, new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(f, new double[0], -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(f, new double[1], new int[33]));
        assertFalse(Files.exists(f));
    }

    @Test
    void preambleIsAlignedAndSwitchesToVersion2OnlyWhenTheHeaderOutgrowsSixteenBits() {
        for (int len = 0; len < 200; len++) {
            byte[] p = Npy.preamble("{" + " ".repeat(len) + "}");
            assertEquals(0, p.length % 64, "length " + len);
            assertEquals(1, p[6]);
            assertEquals('\n', p[p.length - 1]);
            assertEquals(
                    p.length - 10,
                    ByteBuffer.wrap(p, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff);
            // NumPy pads an already aligned header with a full 64 spaces rather than none.
            assertEquals(' ', p[p.length - 2]);
        }
        byte[] big = Npy.preamble("{" + " ".repeat(70_000) + "}");
        assertEquals(2, big[6]);
        assertEquals(0, big.length % 64);
        assertEquals(
                big.length - 12,
                ByteBuffer.wrap(big, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest
    @MethodSource("shapes")
    void roundTripsMatrices(int rows, int cols) throws IOException {
        Path f = dir.resolve("m.npy");
        try (FloatMatrix m = FloatMatrix.allocate(rows, cols)) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    m.set(i, j, i * 1.5f - j / 7f);
                }
            }
            Npy.write(f, m);
            assertArrayEquals(new long[] {rows, cols}, Npy.shape(f));
            try (FloatMatrix back = Npy.readMatrix(f, rows, cols)) {
                assertArrayEquals(m.toArray(), back.toArray());
            }
        }
    }

    static Stream<Arguments> shapes() {
        // 700×1000 floats span several 1 MiB chunks when writing and reading.
        return Stream.of(
                Arguments.of(0, 0),
                Arguments.of(3, 0),
                Arguments.of(1, 1),
                Arguments.of(7, 3),
                Arguments.of(1, 257),
                Arguments.of(257, 129),
                Arguments.of(700, 1000));
    }

    @Test
    void writesStridedViewsAsTheirElementsOnly() throws IOException {
        Path f = dir.resolve("view.npy");
        // 997 columns of a 1000-wide matrix: rows straddle the 1 MiB staging chunks at odd places.
        try (FloatMatrix big = FloatMatrix.allocate(700, 1000)) {
            for (int i = 0; i < 700; i++) {
                for (int j = 0; j < 1000; j++) {
                    big.set(i, j, i * 1000 + j);
                }
            }
            FloatMatrix view = big.block(2, 699, 1, 998);
            assertFalse(view.isContiguous());
            Npy.write(f, view);
            try (FloatMatrix back = Npy.readMatrix(f, 697, 997)) {
                assertArrayEquals(view.toArray(), back.toArray());
            }
            FloatVec row = big.rowVector(5).slice(10, 20);
            Npy.write(f, row);
            try (FloatVec back = Npy.readVector(f, 10)) {
                assertArrayEquals(row.toArray(), back.toArray());
            }
        }
    }

    @Test
    void roundTripsLongDoubleVectorsAcrossChunks() throws IOException {
        Path f = dir.resolve("d.npy");
        double[] d = new double[300_000]; // 2.4 MB of <f8: several read chunks
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sin(i) * 1e3;
        }
        Npy.write(f, d, d.length);
        try (FloatVec v = Npy.readVector(f, d.length)) {
            for (int i = 0; i < d.length; i++) {
                assertEquals((float) d[i], v.get(i), "element " + i);
            }
        }
    }

    // ------------------------------------------------------------------ atomic writes

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("x.npy");
        Files.writeString(f, "old contents");
        try (FloatVec v = FloatVec.of(1, 2, 3)) {
            Npy.write(f, v);
        }
        try (FloatVec back = Npy.readVector(f)) {
            assertArrayEquals(new float[] {1, 2, 3}, back.toArray());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndRemovesTheTemporaryOne() throws IOException {
        Path f = dir.resolve("x.npy");
        Files.writeString(f, "old contents");
        IOException e = assertThrows(
                IOException.class,
                () -> widenet.files.DurableFiles.write(f, ch -> {
                    ch.write(ByteBuffer.wrap("partial".getBytes(UTF_8)));
                    throw new IOException("disk full");
                }));
        assertEquals(f.toAbsolutePath() + ": disk full", widenet.files.FileErrors.describe(e));
        assertEquals("old contents", Files.readString(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void writeIntoAMissingFolderCreatesIt() throws IOException {
        try (FloatVec v = FloatVec.of(1)) {
            Npy.write(dir.resolve("missing/x.npy"), v);
        }
        assertTrue(Files.isRegularFile(dir.resolve("missing/x.npy")));
    }

    // ------------------------------------------------------------------ accepted variations

    /** A .npy file with the given version, raw header text (no padding added) and data bytes. */
    static byte[] npy(int major, byte[] header, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + header.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(Npy.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        return b.put(header).put(data).array();
    }

    static byte[] npy(int major, String header, int dataBytes) {
        return npy(major, header.getBytes(major == 3 ? UTF_8 : ISO_8859_1), new byte[dataBytes]);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @ParameterizedTest
    @MethodSource("acceptedHeaders")
    void acceptsEquivalentHeaderSpellings(int major, String header) throws IOException {
        Path f = file("ok.npy", npy(major, header, 3 * 2 * 4));
        assertArrayEquals(new long[] {3, 2}, Npy.shape(f));
        try (FloatMatrix m = Npy.readMatrix(f, 3, 2)) {
            assertEquals("3×2", m.shape());
        }
    }

    static Stream<Arguments> acceptedHeaders() {
        return Stream.of(
                Arguments.of(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }\n"),
                Arguments.of(1, "{'shape':(3,2),'fortran_order':False,'descr':'<f4'}"),
                Arguments.of(
                        1,
                        "  {\n\t'shape' : ( 3 ,\n 2 , ) ,\r\n 'descr' : \"<f4\" , \"fortran_order\" : False }  \n\n"),
                Arguments.of(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 2L), }\n"), // Python 2
                Arguments.of(
                        2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }" + " ".repeat(70_000) + "\n"),
                Arguments.of(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2)}\n"));
    }

    @ParameterizedTest
    @MethodSource("nativeOrderDescrs")
    void acceptsNativeOrderDescrsOnLittleEndianMachines(String descr, int size) throws IOException {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        Path f = file("n.npy", npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,)}", 2 * size));
        try (FloatVec v = Npy.readVector(f, 2)) {
            assertArrayEquals(new float[] {0, 0}, v.toArray());
        }
    }

    static Stream<Arguments> nativeOrderDescrs() {
        return Stream.of(
                Arguments.of("|f4", 4),
                Arguments.of("=f4", 4),
                Arguments.of("f4", 4),
                Arguments.of("|f8", 8),
                Arguments.of("=f8", 8),
                Arguments.of("f8", 8));
    }

    // ------------------------------------------------------------------ malformed input

    /** Both the header-only and the full reader reject {@code f}, naming it and the problem. */
    private static void assertRejected(Path f, String problem) {
        for (ThrowingRead read : List.<ThrowingRead>of(Npy::shape, Npy::readMatrix, Npy::readVector)) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> read.apply(f));
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(problem), () -> "expected «" + problem + "» in: " + e.getMessage());
            assertEquals(f, e.file());
        }
    }

    interface ThrowingRead {
        Object apply(Path f) throws IOException;
    }

    private static final String OK_DICT = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedFilesNamingFileAndProblem(String what, byte[] content, String problem) throws IOException {
        assertRejected(file("bad.npy", content), problem);
    }

    static Stream<Arguments> malformed() {
        byte[] truncatedV2 = new byte[11];
        System.arraycopy(npy(2, OK_DICT, 12), 0, truncatedV2, 0, 11);
        byte[] longHeaderLength = npy(1, OK_DICT, 12);
        longHeaderLength[8] = (byte) 200; // claims a 200-byte header in a 80-byte file
        byte[] badUtf8 =
                npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }".getBytes(UTF_8), new byte[12]);
        badUtf8[12 + 3] = (byte) 0xC3; // a lone UTF-8 lead byte inside 'descr'
        return Stream.of(
                Arguments.of("empty file", new byte[0], "truncated preamble: file has 0 bytes; a .npy preamble"),
                Arguments.of(
                        "bad magic",
                        "hello, world".getBytes(UTF_8),
                        "not a .npy file: bad magic at offset 0; expected '\\x93NUMPY', found 'hello,'"),
                Arguments.of("short magic", new byte[] {(byte) 0x93, 'N', 'U'}, "truncated preamble: file has 3 bytes"),
                Arguments.of(
                        "version 4.0",
                        withByte(npy(1, OK_DICT, 12), 6, 4),
                        "unsupported .npy format version 4.0 at offset 6; expected 1.0, 2.0 or 3.0"),
                Arguments.of(
                        "version 1.1",
                        withByte(npy(1, OK_DICT, 12), 7, 1),
                        "unsupported .npy format version 1.1 at offset 6"),
                Arguments.of("version 0.0", withByte(npy(1, OK_DICT, 12), 6, 0), "unsupported .npy format version 0.0"),
                Arguments.of(
                        "truncated v2 preamble",
                        truncatedV2,
                        "truncated preamble: a version 2.0 preamble needs 12 bytes, file has 11"),
                Arguments.of(
                        "header length past the end",
                        longHeaderLength,
                        "truncated header: header length at offset 8 says 200 bytes after offset 10, file has 69"),
                Arguments.of(
                        "invalid UTF-8 in v3",
                        badUtf8,
                        "header is not valid UTF-8 (required by format version 3.0) at header offset 3 (file offset 15)"),
                Arguments.of(
                        "UTF-8 offsets count bytes (é is 2)",
                        npy(3, "{'descr': 'é', 'fortran_order': False, 'shape': (3,) 'x'}", 12),
                        "malformed header at header offset 54 (file offset 66): expected ',' or '}' after the value of 'shape', found '''"),
                Arguments.of(
                        "no dict",
                        npy(1, "['descr', '<f4']", 12),
                        "malformed header at header offset 0 (file offset 10): expected '{' starting the header dict, found '['"),
                Arguments.of(
                        "missing key",
                        npy(1, "{'descr': '<f4', 'fortran_order': False}", 12),
                        "missing key(s) 'shape'; expected 'descr', 'fortran_order' and 'shape'"),
                Arguments.of("all keys missing", npy(1, "{}", 12), "missing key(s) 'descr', 'fortran_order', 'shape'"),
                Arguments.of(
                        "extra key",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'order': 'C'}", 12),
                        "malformed header at header offset 56 (file offset 66): unexpected key 'order'; expected only"),
                Arguments.of(
                        "duplicate key",
                        npy(1, "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", 12),
                        "malformed header at header offset 17 (file offset 27): duplicate key 'descr'"),
                Arguments.of(
                        "unquoted key",
                        npy(1, "{descr: '<f4'}", 12),
                        "expected a key ('descr', 'fortran_order' or 'shape') in quotes, found 'd'"),
                Arguments.of(
                        "missing colon", npy(1, "{'descr' '<f4'}", 12), "expected ':' after key 'descr', found '''"),
                Arguments.of(
                        "missing comma",
                        npy(1, "{'descr': '<f4' 'fortran_order': False}", 12),
                        "expected ',' or '}' after the value of 'descr', found '''"),
                Arguments.of("leading comma", npy(1, "{, 'descr': '<f4'}", 12), "in quotes, found ','"),
                Arguments.of(
                        "unterminated dict", npy(1, "{'descr': '<f4', ", 12), "in quotes, found the end of the header"),
                Arguments.of(
                        "unterminated string",
                        npy(1, "{'descr': '<f4", 12),
                        "header offset 10 (file offset 20): unterminated string"),
                Arguments.of(
                        "escape in string",
                        npy(1, "{'descr': '<f\\x34'}", 12),
                        "unsupported escape sequence inside a string"),
                Arguments.of(
                        "garbage after dict",
                        npy(1, OK_DICT + " x\n", 12),
                        "expected only spaces and a newline after the header dict, found 'x'"),
                Arguments.of("NUL padding", npy(1, OK_DICT + "\0\0\n", 12), "after the header dict, found '\\x00'"),
                Arguments.of(
                        "descr not a string",
                        npy(1, "{'descr': 4, 'fortran_order': False, 'shape': (3,)}", 12),
                        "expected a dtype string such as '<f4' in quotes, found '4'"),
                Arguments.of(
                        "structured dtype",
                        npy(1, "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (3,)}", 12),
                        "structured dtype (a list of fields) at header offset 10 (file offset 20) is not supported"),
                Arguments.of(
                        "fortran_order not a bool",
                        npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (3,)}", 12),
                        "expected True or False for 'fortran_order', found '0'"),
                Arguments.of(
                        "fortran_order lower case",
                        npy(1, "{'descr': '<f4', 'fortran_order': false, 'shape': (3,)}", 12),
                        "expected True or False for 'fortran_order', found 'f'"),
                Arguments.of(
                        "fortran_order True",
                        npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (3,)}", 12),
                        "fortran_order: True (column-major data) at header offset 34 (file offset 44) is not supported"),
                Arguments.of(
                        "shape not a tuple",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': 3}", 12),
                        "expected a tuple such as (3, 4) for 'shape', found '3'"),
                Arguments.of(
                        "shape is a list",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': [3]}", 12),
                        "expected a tuple such as (3, 4) for 'shape', found '['"),
                Arguments.of(
                        "shape (3)",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3)}", 12),
                        "'shape' (3) is an integer in parentheses, not a tuple; expected (3,)"),
                Arguments.of(
                        "0-d",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': ()}", 4),
                        "unsupported 0-d shape ()"),
                Arguments.of(
                        "3-d",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3)}", 12),
                        "unsupported 3-d shape (1, 1, 3)"),
                Arguments.of(
                        "too many dims",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, ".repeat(65) + ")}", 4),
                        "more than 64 dimensions in 'shape'"),
                Arguments.of(
                        "negative dimension",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3)}", 12),
                        "negative dimension in 'shape'; expected a non-negative integer"),
                Arguments.of(
                        "float dimension",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3.0,)}", 12),
                        "malformed integer in 'shape' (found '.' after the digits)"),
                Arguments.of(
                        "hex dimension",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0x3,)}", 12),
                        "malformed integer in 'shape' (found 'x' after the digits)"),
                Arguments.of(
                        "L suffix in v3",
                        npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (3L,)}", 12),
                        "malformed integer in 'shape' (found 'L' after the digits)"),
                Arguments.of(
                        "missing comma in shape",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3 4)}", 12),
                        "expected ',' or ')' in 'shape', found '4'"),
                Arguments.of(
                        "dimension above int",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3000000000, 1)}", 12),
                        "dimension 3000000000 of shape (3000000000, 1) at header offset 51 (file offset 61) is too large; expected at most 2147483647"),
                Arguments.of(
                        "dimension above long",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}", 12),
                        "dimension 99999999999999999999999 in 'shape' at header offset 51 (file offset 61) is too large"),
                Arguments.of(
                        "int dtype",
                        npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,)}", 24),
                        "unsupported dtype '<i8' at header offset 10 (file offset 20); expected '<f4' or '<f8'"),
                Arguments.of(
                        "half floats",
                        npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (3,)}", 6),
                        "unsupported dtype '<f2'"),
                Arguments.of(
                        "big-endian f8",
                        npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (3,)}", 24),
                        "unsupported dtype '>f8' (big-endian) at header offset 10 (file offset 20)"),
                Arguments.of(
                        "data truncated",
                        npy(1, OK_DICT, 11),
                        "data truncated: header says shape (3,) = 12 bytes of <f4 after offset 67, file has 11"),
                Arguments.of(
                        "trailing garbage",
                        npy(1, OK_DICT, 13),
                        "trailing garbage: header says shape (3,) = 12 bytes of <f4 after offset 67, file has 13 (1 extra bytes from offset 79)"),
                Arguments.of(
                        "huge shape, tiny file",
                        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647)}", 4),
                        "data truncated: header says shape (2147483647, 2147483647) = 18446744056529682436 bytes of <f4 after offset"),
                Arguments.of(
                        "shape overflowing 2^63 bytes",
                        npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647)}", 8),
                        "= 36893488113059364872 bytes of <f8"));
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        b[at] = (byte) value;
        return b;
    }

    @Test
    void reportsTruncatedDataLikeTheExampleInTheBrief() throws IOException {
        // A real-sized case: the message must give shape, byte counts and the data offset NumPy's 128-byte preamble
        // implies.
        byte[] pre = Npy.preamble(Npy.dict(Npy.Dtype.F4, new long[] {1000, 1000}));
        assertEquals(128, pre.length);
        byte[] content = new byte[128 + 3_999_996];
        System.arraycopy(pre, 0, content, 0, 128);
        assertRejected(
                file("y.npy", content),
                "data truncated: header says shape (1000, 1000) = 4000000 bytes of <f4 after offset 128, file has 3999996");
    }

    @Test
    void rejectsOverlongHeadersEvenWhenTheFileIsLongEnough() throws IOException {
        byte[] content = npy(2, OK_DICT, Npy.MAX_HEADER_BYTES + 100);
        ByteBuffer.wrap(content, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(Npy.MAX_HEADER_BYTES + 1);
        assertRejected(
                file("big.npy", content), "header length 1048577 at offset 8 is above the limit of 1048576 bytes");
    }

    @Test
    void checksExpectedShapes() throws IOException {
        Path f = fixtureFile("f4_3x4.npy");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.readMatrix(f, 4, -1));
        assertEquals(f + ": expected shape (4, *), found (3, 4)", e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.readMatrix(f, -1, 3));
        assertEquals(f + ": expected shape (*, 3), found (3, 4)", e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.readVector(f));
        assertEquals(f + ": expected a vector, shape (n,), (n, 1) or (1, n), found (3, 4)", e.getMessage());
        Path v = fixtureFile("f4_7.npy");
        e = assertThrows(NpyFormatException.class, () -> Npy.readMatrix(v, 7, 2));
        assertEquals(v + ": expected shape (7, 2), found (7,) (a 1-D array, read as 7×1)", e.getMessage());
        e = assertThrows(NpyFormatException.class, () -> Npy.readVector(v, 8));
        assertEquals(v + ": expected a vector of length 8, found shape (7,)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.readMatrix(f, -2, 4));
    }

    @Test
    void missingFileIsAnIoErrorNotAFormatError() {
        assertThrows(NoSuchFileException.class, () -> Npy.readMatrix(dir.resolve("nope.npy")));
    }
}
