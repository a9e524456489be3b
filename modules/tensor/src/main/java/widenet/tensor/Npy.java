package widenet.tensor;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.StringJoiner;
import widenet.files.DurableFiles;

/**
 * Reads and writes NumPy {@code .npy} files of float32 data, straight to and from off-heap tensors.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, dtypes {@code <f4} and {@code <f8} (the latter rounded
 * to float32; {@code |}/{@code =}/no byte-order prefix only on a little-endian machine), C order, and shapes
 * {@code (n,)} and {@code (rows, cols)}. Everything else, and every malformed, truncated or over-long file, is
 * rejected with an {@link NpyFormatException}. The header is checked against the file length before anything
 * is allocated, so a header claiming a huge shape costs nothing; data is read through a {@link FileChannel}
 * into off-heap memory in chunks, never into a heap array.
 *
 * <p>Writing produces exactly the bytes {@code np.save} produces for a C-ordered little-endian array
 * (version 1.0 header with NumPy's spare space and padding to 64 bytes), through {@link DurableFiles#write}:
 * a temporary file in the same folder is written, forced to disk and renamed over the target, the folder forced.
 *
 * <p>Arrays with a zero dimension are allowed both ways: {@code (0, 5)} reads as a 0×5 matrix and a 0×5
 * matrix writes as {@code (0, 5)}, as NumPy does.
 */
public final class Npy {
    private Npy() {}

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /**
     * Largest header accepted. NumPy refuses headers over 10 000 characters by default and writes ~128 bytes
     * for the arrays read here; the limit only stops a lying length field from costing a large heap array
     * when the file happens to be big enough to pass the length check.
     */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** NumPy's {@code ARRAY_ALIGN}: the preamble (magic to header end) is a multiple of this. */
    private static final int ALIGN = 64;
    /** NumPy's {@code GROWTH_AXIS_MAX_DIGITS}: spare header space so the first dimension can grow in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** NumPy 1.x's {@code NPY_MAXDIMS}, so that what is written here loads in any NumPy. */
    private static final int MAX_WRITE_RANK = 32;
    /** Read/write chunk; bounds the staging memory and keeps each {@code ByteBuffer} view far below 2 GiB. */
    private static final int CHUNK = 1 << 20;

    static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32 = FloatMatrix.F32;
    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The element types read here, with their canonical (little-endian) descr. */
    enum Dtype {
        F4("<f4", 4),
        F8("<f8", 8);

        final String descr;
        final int size;

        Dtype(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }
    }

    /** A validated header: the data of {@code shape} in {@code dtype} fills the file from {@code dataOffset} to its end. */
    record Header(int version, Dtype dtype, long[] shape, long dataOffset) {
        long count() {
            return shape.length == 1 ? shape[0] : shape[0] * shape[1];
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** The shape in the header, (n) or (rows, cols), after checking the header and the file length; reads no data. */
    public static long[] shape(Path file) throws IOException {
        requireRegularFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file).shape().clone();
        }
    }

    /** A 2-D array (rows, cols) as a matrix; a 1-D array (n,) is read as an n×1 column. */
    public static FloatMatrix readMatrix(Path file) throws IOException {
        return readMatrix(file, -1, -1);
    }

    /**
     * Like {@link #readMatrix(Path)}, and fails unless the shape is {@code expectedRows × expectedCols};
     * −1 accepts any count. A 1-D array counts as n×1.
     */
    public static FloatMatrix readMatrix(Path file, int expectedRows, int expectedCols) throws IOException {
        checkExpected(expectedRows, "expectedRows");
        checkExpected(expectedCols, "expectedCols");
        requireRegularFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readMatrix(ch, file, expectedRows, expectedCols);
        }
    }

    /** A 1-D array (n,), or a 2-D (n, 1) column or (1, n) row, as a vector. */
    public static FloatVec readVector(Path file) throws IOException {
        return readVector(file, -1);
    }

    /** Like {@link #readVector(Path)}, and fails unless the length is {@code expectedLength} (−1: any). */
    public static FloatVec readVector(Path file, int expectedLength) throws IOException {
        checkExpected(expectedLength, "expectedLength");
        requireRegularFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readVector(ch, file, expectedLength);
        }
    }

    /**
     * A folder, FIFO, device or socket is refused before it is opened: opening a FIFO with no writer would block
     * forever, and reading a folder fails with a bare "Is a directory". A missing file is left to the open, whose
     * NoSuchFileException names it.
     */
    private static void requireRegularFile(Path file) throws NpyFormatException {
        if (Files.isDirectory(file)) {
            throw new NpyFormatException(file, "is a folder, not a .npy file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new NpyFormatException(file, "is not a regular file (a FIFO, device or socket); give a .npy file");
        }
    }

    private static void checkExpected(int n, String name) {
        if (n < -1) {
            throw new IllegalArgumentException(name + " must be -1 (any) or a count ≥ 0, not " + n);
        }
    }

    /** The channel-level reader; {@code file} only names the source in messages (tests pass in-memory channels). */
    static FloatMatrix readMatrix(SeekableByteChannel ch, Path file, int expectedRows, int expectedCols)
            throws IOException {
        Header h = readHeader(ch, file);
        int rows = (int) h.shape[0];
        int cols = h.shape.length == 2 ? (int) h.shape[1] : 1;
        if ((expectedRows != -1 && rows != expectedRows) || (expectedCols != -1 && cols != expectedCols)) {
            throw new NpyFormatException(
                    file,
                    "expected shape (" + (expectedRows == -1 ? "*" : expectedRows) + ", "
                            + (expectedCols == -1 ? "*" : expectedCols) + "), found " + pyShape(h.shape)
                            + (h.shape.length == 1 ? " (a 1-D array, read as " + rows + "×1)" : ""));
        }
        FloatMatrix m = FloatMatrix.allocate(rows, cols);
        try {
            readData(ch, file, h, m.segment());
        } catch (Throwable t) {
            m.close();
            throw t;
        }
        return m;
    }

    static FloatVec readVector(SeekableByteChannel ch, Path file, int expectedLength) throws IOException {
        Header h = readHeader(ch, file);
        long[] s = h.shape;
        if (s.length == 2 && s[0] != 1 && s[1] != 1) {
            throw new NpyFormatException(file, "expected a vector, shape (n,), (n, 1) or (1, n), found " + pyShape(s));
        }
        int n = (int) h.count(); // each dimension fits an int and one of them is 1
        if (expectedLength != -1 && n != expectedLength) {
            throw new NpyFormatException(
                    file, "expected a vector of length " + expectedLength + ", found shape " + pyShape(s));
        }
        FloatVec v = FloatVec.allocate(n);
        try {
            readData(ch, file, h, v.segment());
        } catch (Throwable t) {
            v.close();
            throw t;
        }
        return v;
    }

    /** Reads the data of a validated header into {@code dst} (count floats, contiguous). */
    private static void readData(SeekableByteChannel ch, Path file, Header h, MemorySegment dst) throws IOException {
        long count = h.count();
        ch.position(h.dataOffset);
        if (h.dtype == Dtype.F4) {
            long bytes = count * Float.BYTES;
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(CHUNK, bytes - done);
                readFully(ch, dst.asSlice(done, n).asByteBuffer(), file, h, done);
                done += n;
            }
            if (!NATIVE_LE) { // the file is little-endian; swap in place (copy handles overlap)
                MemorySegment.copy(dst, F32_LE, 0, dst, F32, 0, count);
            }
        } else {
            try (Arena arena = Arena.ofConfined()) {
                int stageDoubles = (int) Math.min(CHUNK / Double.BYTES, Math.max(1, count));
                MemorySegment stage = arena.allocate((long) stageDoubles * Double.BYTES);
                for (long done = 0; done < count; ) {
                    int n = (int) Math.min(stageDoubles, count - done);
                    readFully(
                            ch, stage.asSlice(0, (long) n * Double.BYTES).asByteBuffer(), file, h, done * Double.BYTES);
                    for (int i = 0; i < n; i++) {
                        dst.setAtIndex(F32, done + i, (float) stage.getAtIndex(F64_LE, i));
                    }
                    done += n;
                }
            }
        }
    }

    private static void readFully(SeekableByteChannel ch, ByteBuffer buf, Path file, Header h, long dataPos)
            throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                // The length was checked before reading: only a file changed under us gets here.
                throw new NpyFormatException(
                        file,
                        "data truncated while reading: file ended at offset "
                                + (h.dataOffset + dataPos + buf.position()) + " but header says " + pyShape(h.shape)
                                + " of "
                                + h.dtype.descr + " ends at " + (h.dataOffset + h.count() * h.dtype.size)
                                + " (was the file changed while being read?)");
            }
        }
    }

    /** Reads and validates the preamble and header, and checks the data length against the file size. */
    static Header readHeader(SeekableByteChannel ch, Path file) throws IOException {
        return NpyHeaderReader.read(ch, file);
    }

    // ---------------------------------------------------------------------------------------------- writing

    /** Writes {@code m} as a (rows, cols) {@code <f4} array; strided views are written row by row. */
    public static void write(Path file, FloatMatrix m) throws IOException {
        byte[] pre = preamble(dict(Dtype.F4, new long[] {m.rows(), m.cols()}));
        writeAtomically(file, ch -> {
            writeFully(ch, ByteBuffer.wrap(pre));
            writeFloats(ch, m.segment(), m.rows(), m.cols(), m.stride());
        });
    }

    /** Writes {@code v} as an (n,) {@code <f4} array. */
    public static void write(Path file, FloatVec v) throws IOException {
        byte[] pre = preamble(dict(Dtype.F4, new long[] {v.length()}));
        writeAtomically(file, ch -> {
            writeFully(ch, ByteBuffer.wrap(pre));
            writeFloats(ch, v.segment(), 1, v.length(), v.length());
        });
    }

    /**
     * Writes small double results as a {@code <f8} array of the given shape (C order; rank 0 to 32, so a
     * scalar is {@code write(file, new double[] {x})}). {@link #readMatrix} reads back ranks 1 and 2.
     */
    public static void write(Path file, double[] data, int... shape) throws IOException {
        if (shape.length > MAX_WRITE_RANK) {
            throw new IllegalArgumentException("rank " + shape.length + " is above NumPy's limit of " + MAX_WRITE_RANK);
        }
        long count = 1;
        long[] s = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + pyShape(toLongs(shape)));
            }
            s[k] = shape[k];
            count = Math.multiplyExact(count, shape[k]);
        }
        if (count != data.length) {
            throw new IllegalArgumentException(
                    "shape " + pyShape(s) + " holds " + count + " values, data has " + data.length);
        }
        byte[] pre = preamble(dict(Dtype.F8, s));
        writeAtomically(file, ch -> {
            writeFully(ch, ByteBuffer.wrap(pre));
            try (Arena arena = Arena.ofConfined()) {
                int stageDoubles = Math.max(1, Math.min(CHUNK / Double.BYTES, data.length));
                MemorySegment stage = arena.allocate((long) stageDoubles * Double.BYTES);
                for (int done = 0; done < data.length; ) {
                    int n = Math.min(stageDoubles, data.length - done);
                    MemorySegment.copy(data, done, stage, F64_LE, 0, n);
                    writeFully(ch, stage.asSlice(0, (long) n * Double.BYTES).asByteBuffer());
                    done += n;
                }
            }
        });
    }

    private static long[] toLongs(int[] a) {
        long[] r = new long[a.length];
        for (int k = 0; k < a.length; k++) {
            r[k] = a[k];
        }
        return r;
    }

    /** Packs rows of a (possibly strided) float region into a little-endian staging buffer and writes it out. */
    private static void writeFloats(FileChannel ch, MemorySegment src, int rows, int cols, int stride)
            throws IOException {
        long total = (long) rows * cols;
        if (total == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int stageFloats = (int) Math.min(CHUNK / Float.BYTES, total);
            MemorySegment stage = arena.allocate((long) stageFloats * Float.BYTES);
            int filled = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; ) {
                    int n = Math.min(cols - c, stageFloats - filled);
                    MemorySegment.copy(
                            src,
                            F32,
                            ((long) r * stride + c) * Float.BYTES,
                            stage,
                            F32_LE,
                            (long) filled * Float.BYTES,
                            n);
                    filled += n;
                    c += n;
                    if (filled == stageFloats) {
                        writeFully(ch, stage.asByteBuffer());
                        filled = 0;
                    }
                }
            }
            if (filled > 0) {
                writeFully(ch, stage.asSlice(0, (long) filled * Float.BYTES).asByteBuffer());
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** The header dict exactly as NumPy's {@code _write_array_header} makes it, spare growth-axis space included. */
    static String dict(Dtype dtype, long[] shape) {
        String shapeRepr = pyShape(shape);
        StringBuilder sb = new StringBuilder("{'descr': '")
                .append(dtype.descr)
                .append("', 'fortran_order': False, 'shape': ")
                .append(shapeRepr)
                .append(", }");
        if (shape.length > 0) {
            sb.repeat(
                    ' ',
                    Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        return sb.toString();
    }

    /**
     * Magic, version, header length and the header padded with spaces and a final newline to a multiple of 64,
     * as NumPy's {@code _wrap_header} does (note: an already aligned header still gets 64 spaces). Version 1.0
     * unless the header length does not fit its 16-bit field, then 2.0.
     */
    static byte[] preamble(String dict) {
        byte[] h = dict.getBytes(ISO_8859_1);
        for (int major = 1; ; major = 2) {
            int lengthBytes = major == 1 ? 2 : 4;
            long hlen = h.length + 1L;
            long pad = ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ALIGN);
            long field = hlen + pad;
            if (major == 1 && field > 0xFFFF) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(MAGIC.length + 2 + lengthBytes + field))
                    .order(ByteOrder.LITTLE_ENDIAN);
            b.put(MAGIC).put((byte) major).put((byte) 0);
            if (major == 1) {
                b.putShort((short) field);
            } else {
                b.putInt(Math.toIntExact(field));
            }
            b.put(h);
            for (long k = 0; k < pad; k++) {
                b.put((byte) ' ');
            }
            b.put((byte) '\n');
            return b.array();
        }
    }

    /** Every array is written through the one durable write: temp file, fsync, rename, fsync of the folder. */
    private static void writeAtomically(Path file, DurableFiles.Body body) throws IOException {
        DurableFiles.write(file, body);
    }

    // ---------------------------------------------------------------------------------------------- text

    /** A shape as Python's repr of a tuple: (), (3,), (3, 4). */
    static String pyShape(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (long d : shape) {
            j.add(Long.toString(d));
        }
        return j.toString();
    }

    /** Bytes as a quoted Python-style literal, e.g. '\x93NUMPY'. */
    static String escape(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder("'");
        for (int k = from; k < to; k++) {
            int c = b[k] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('\'').toString();
    }

    /** Control and non-ASCII characters escaped, so a message stays one readable line. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
