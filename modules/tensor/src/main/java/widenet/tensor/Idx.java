package widenet.tensor;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian header {@code 00 00 TT NN} (data type,
 * number of dimensions), NN big-endian u32 dimension sizes, then the data in C order. Only unsigned-byte data
 * is read: images ({@code 0x00000803}: count × rows × cols) and labels ({@code 0x00000801}: count).
 *
 * <p>Files may be plain or gzip-compressed; gzip is recognised by its magic bytes, not the file name. Sizes
 * are checked before anything is allocated: a plain file against its length; a gzip file by a first
 * decompression pass that counts the bytes without storing them, followed by a second pass that fills the
 * tensor. Decompressing twice costs ~0.3 s for the 60 000 training images (of ~0.5 s in all) and means a lying header can never
 * make the reader allocate more than the data that is really there. Every problem is reported as an
 * {@link IdxFormatException}; bytes after the end of a gzip stream are ignored, as {@code gzip -d} does.
 */
public final class Idx {
    private Idx() {}

    /** Magic number of unsigned-byte image files (3 dimensions: count, rows, cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of unsigned-byte label files (1 dimension: count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER = 1 << 16;
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    // ---------------------------------------------------------------------------------------------- public API

    /** Images (count, rows, cols) as a count × (rows·cols) matrix of the pixel values 0…255, row-major per image. */
    public static FloatMatrix readImages(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readImages(ch, file);
        }
    }

    /** Labels (count) as ints 0…255. */
    public static int[] readLabels(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readLabels(ch, file);
        }
    }

    /** Labels (count) as a float vector of the values 0…255. */
    public static FloatVec readLabelVector(Path file) throws IOException {
        int[] labels = readLabels(file);
        FloatVec v = FloatVec.allocate(labels.length);
        for (int i = 0; i < labels.length; i++) {
            v.set(i, labels[i]);
        }
        return v;
    }

    /**
     * The dimension sizes of an unsigned-byte IDX file of 1 to 3 dimensions, after checking that the data
     * matches them exactly (for gzip this decompresses the file once, storing nothing).
     */
    public static long[] dims(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Layout l = check(ch, file, 0);
            return l.dims.clone();
        }
    }

    // ---------------------------------------------------------------------------------------------- channel level

    static FloatMatrix readImages(SeekableByteChannel ch, Path file) throws IOException {
        Layout l = check(ch, file, 3);
        int n = (int) l.dims[0];
        int pixels = (int) (l.dims[1] * l.dims[2]); // checked by check()
        FloatMatrix m = FloatMatrix.allocate(n, pixels);
        try (Stream s = Stream.open(ch, file)) {
            s.expectSameLayout(l);
            MemorySegment dst = m.segment();
            byte[] buf = new byte[BUFFER];
            long total = (long) n * pixels;
            for (long done = 0; done < total; ) {
                int want = (int) Math.min(buf.length, total - done);
                s.readData(buf, want, l);
                for (int k = 0; k < want; k++) {
                    dst.setAtIndex(FloatMatrix.F32, done + k, buf[k] & 0xff);
                }
                done += want;
            }
            s.expectEnd(l);
        } catch (Throwable t) {
            m.close();
            throw t;
        }
        return m;
    }

    static int[] readLabels(SeekableByteChannel ch, Path file) throws IOException {
        Layout l = check(ch, file, 1);
        int[] labels = new int[(int) l.dims[0]];
        try (Stream s = Stream.open(ch, file)) {
            s.expectSameLayout(l);
            byte[] buf = new byte[Math.min(BUFFER, Math.max(1, labels.length))];
            for (int done = 0; done < labels.length; ) {
                int want = Math.min(buf.length, labels.length - done);
                s.readData(buf, want, l);
                for (int k = 0; k < want; k++) {
                    labels[done + k] = buf[k] & 0xff;
                }
                done += want;
            }
            s.expectEnd(l);
        }
        return labels;
    }

    /** Header facts: dimension sizes, where the data starts and how long it is. */
    record Layout(long[] dims, long dataOffset, long dataBytes) {}

    /**
     * Parses the header and checks the data length, allocating nothing that depends on the header.
     * {@code ndim} is the required number of dimensions (0: any of 1–3).
     */
    static Layout check(SeekableByteChannel ch, Path file, int ndim) throws IOException {
        try (Stream s = Stream.open(ch, file)) {
            Layout l = s.header(ndim);
            if (s.gzip) {
                s.skipData(l);
                s.expectEnd(l);
            } else {
                long available = ch.size() - l.dataOffset;
                if (available != l.dataBytes) {
                    throw s.sizeMismatch(l, available);
                }
            }
            return l;
        }
    }

    /** A plain or gunzipped view of the file that tracks the (decompressed) offset and words errors. */
    private static final class Stream implements AutoCloseable {
        final Path file;
        final boolean gzip;
        final InputStream in;
        final long fileSize;
        long pos;

        private Stream(Path file, boolean gzip, InputStream in, long fileSize) {
            this.file = file;
            this.gzip = gzip;
            this.in = in;
            this.fileSize = fileSize;
        }

        static Stream open(SeekableByteChannel ch, Path file) throws IOException {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(2);
            ch.position(0);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // a channel may return fewer bytes than asked
            }
            boolean gzip = b.position() == 2 && (b.get(0) & 0xff) == GZIP_MAGIC_0 && (b.get(1) & 0xff) == GZIP_MAGIC_1;
            ch.position(0);
            // The channel belongs to the caller; closing this stream must only release the inflater.
            InputStream raw = new FilterInputStream(Channels.newInputStream(ch)) {
                @Override
                public void close() {}
            };
            if (!gzip) {
                return new Stream(file, false, new BufferedInputStream(raw, BUFFER), size);
            }
            try {
                return new Stream(file, true, new GZIPInputStream(raw, BUFFER), size);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException(file, "corrupt gzip header: " + e.getMessage(), e);
            }
        }

        String where(long offset) {
            return (gzip ? "decompressed offset " : "offset ") + offset;
        }

        String has() {
            return gzip ? "decompressed data has" : "file has";
        }

        /** Reads up to {@code len} bytes; fewer only at the end of the data. */
        int read(byte[] b, int len) throws IOException {
            int got = 0;
            try {
                while (got < len) {
                    int n = in.read(b, got, len - got);
                    if (n < 0) {
                        break;
                    }
                    got += n;
                }
            } catch (ZipException | EOFException e) {
                // EOFException: the compressed stream ends early; ZipException: bad deflate data, CRC or length.
                throw new IdxFormatException(
                        file,
                        "corrupt or truncated gzip data after " + (pos + got) + " decompressed bytes: "
                                + e.getMessage(),
                        e);
            }
            pos += got;
            return got;
        }

        Layout header(int wantDims) throws IOException {
            byte[] m = new byte[4];
            int got = read(m, 4);
            if (got > 0 && m[0] != 0 || got > 1 && m[1] != 0) {
                throw new IdxFormatException(
                        file,
                        "not an IDX file: bad magic " + hex(m, got) + " at " + where(0)
                                + "; expected 0x00000803 (images) or 0x00000801 (labels)");
            }
            if (got < 4) {
                throw new IdxFormatException(
                        file, "truncated header: " + has() + " " + got + " bytes; an IDX magic number needs 4");
            }
            int type = m[2] & 0xff;
            if (type != 0x08) {
                throw new IdxFormatException(
                        file,
                        String.format(
                                "unsupported data type 0x%02X (%s) at %s; expected 0x08 (unsigned byte)",
                                type, typeName(type), where(2)));
            }
            int nd = m[3] & 0xff;
            if (wantDims != 0 ? nd != wantDims : nd < 1 || nd > 3) {
                String want = wantDims == 3
                        ? "3 dimensions (images: count, rows, cols)"
                        : wantDims == 1 ? "1 dimension (labels: count)" : "1 to 3 dimensions";
                String hint = wantDims == 3 && nd == 1
                        ? " (this looks like a label file)"
                        : wantDims == 1 && nd == 3 ? " (this looks like an image file)" : "";
                throw new IdxFormatException(file, "expected " + want + " at " + where(3) + ", found " + nd + hint);
            }
            byte[] d = new byte[4 * nd];
            got = read(d, d.length);
            if (got < d.length) {
                throw new IdxFormatException(
                        file,
                        "truncated header: " + has() + " " + (4 + got) + " bytes; a header of " + nd
                                + " dimension(s) needs " + (4 + d.length));
            }
            long[] dims = new long[nd];
            for (int k = 0; k < nd; k++) {
                dims[k] = ByteBuffer.wrap(d, 4 * k, 4).getInt() & 0xffff_ffffL;
                if (dims[k] > Integer.MAX_VALUE) {
                    throw new IdxFormatException(
                            file,
                            "dimension " + k + " at " + where(4 + 4 * k) + " is " + dims[k] + "; expected at most "
                                    + Integer.MAX_VALUE);
                }
                // An empty item (a 28×0 image) holds no data, so any count would pass the size check and
                // hand callers billions of empty rows to loop over.
                if (k > 0 && dims[k] == 0) {
                    throw new IdxFormatException(
                            file,
                            "dimension " + k + " at " + where(4 + 4 * k)
                                    + " is 0; expected at least 1 (each item must hold a value)");
                }
            }
            long perItem = 1;
            for (int k = 1; k < nd; k++) {
                perItem *= dims[k]; // at most 2 factors below 2^31: no overflow
            }
            if (perItem > Integer.MAX_VALUE) {
                throw new IdxFormatException(
                        file,
                        "items of " + perItem + " values (dimensions at " + where(8)
                                + ") are too large; expected at most " + Integer.MAX_VALUE);
            }
            return new Layout(dims, 4 + 4L * nd, dims[0] * perItem);
        }

        IdxFormatException sizeMismatch(Layout l, long available) {
            return new IdxFormatException(file, mismatch(l, available));
        }

        /** "data truncated: header says … = N bytes …, file has M" or the same for trailing data. */
        String mismatch(Layout l, long available) {
            String says = "header says " + shape(l.dims) + " = " + l.dataBytes + " bytes of u8 data after "
                    + where(l.dataOffset) + ", " + has() + " " + available;
            return available < l.dataBytes
                    ? "data truncated: " + says
                    : "trailing data: " + says + " (" + (available - l.dataBytes) + " extra bytes from "
                            + where(l.dataOffset + l.dataBytes) + ")";
        }

        /** First gzip pass: reads the data without storing it. */
        void skipData(Layout l) throws IOException {
            byte[] scratch = new byte[(int) Math.min(BUFFER, Math.max(1, l.dataBytes))];
            for (long done = 0; done < l.dataBytes; ) {
                int want = (int) Math.min(scratch.length, l.dataBytes - done);
                int got = read(scratch, want);
                done += got;
                if (got < want) {
                    throw sizeMismatch(l, done);
                }
            }
        }

        void readData(byte[] buf, int want, Layout l) throws IOException {
            long before = pos - l.dataOffset;
            int got = read(buf, want);
            if (got < want) {
                // Sizes were checked before: only a file changed in between gets here.
                throw new IdxFormatException(
                        file, mismatch(l, before + got) + " (was the file changed while being read?)");
            }
        }

        /**
         * Fails if anything follows the data. For gzip this also reads the stream's trailer, so a CRC or length
         * mismatch surfaces here; extra data is counted up to a bound (it could be a decompression bomb).
         */
        void expectEnd(Layout l) throws IOException {
            byte[] probe = new byte[BUFFER];
            long extra = 0;
            int got;
            while (extra < 16 * BUFFER && (got = read(probe, probe.length)) > 0) {
                extra += got;
            }
            if (extra > 0) {
                boolean more = extra >= 16 * BUFFER;
                throw new IdxFormatException(
                        file,
                        "trailing data: header says " + shape(l.dims) + " = " + l.dataBytes
                                + " bytes of u8 data after " + where(l.dataOffset) + ", but "
                                + (more ? "at least " : "")
                                + extra + " more bytes follow from " + where(l.dataOffset + l.dataBytes));
            }
        }

        /** Second pass: the header must be the one checked in the first (the file may have changed in between). */
        void expectSameLayout(Layout checked) throws IOException {
            Layout now = header(checked.dims.length);
            if (!Arrays.equals(now.dims, checked.dims)) {
                throw new IdxFormatException(
                        file, "header changed while reading: was " + shape(checked.dims) + ", now " + shape(now.dims));
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String shape(long[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < dims.length; k++) {
            sb.append(k == 0 ? "" : "×").append(dims[k]);
        }
        return sb.toString();
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder("0x");
        for (int k = 0; k < n; k++) {
            sb.append(String.format("%02X", b[k] & 0xff));
        }
        return sb.toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit integer";
            case 0x0C -> "32-bit integer";
            case 0x0D -> "32-bit float";
            case 0x0E -> "64-bit float";
            default -> "not an IDX type";
        };
    }
}
