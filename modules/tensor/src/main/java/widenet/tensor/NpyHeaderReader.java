package widenet.tensor;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static widenet.tensor.Npy.MAGIC;
import static widenet.tensor.Npy.MAX_HEADER_BYTES;
import static widenet.tensor.Npy.escape;
import static widenet.tensor.Npy.pyShape;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import widenet.tensor.Npy.Dtype;
import widenet.tensor.Npy.Header;

/**
 * The reading half of a {@code .npy} file's preamble: magic, version, header length, and the header itself (a
 * Python dict literal), each checked before anything else is read, so that every malformed, truncated or hostile
 * file fails with an {@link NpyFormatException} that names the offset of the problem.
 */
final class NpyHeaderReader {
    private NpyHeaderReader() {}

    /** Reads and validates the preamble and header, and checks the data length against the file size. */
    static Header read(SeekableByteChannel ch, Path file) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(0);
        while (pre.hasRemaining() && ch.read(pre) >= 0) {
            // keep reading: a channel may return fewer bytes than asked
        }
        int have = pre.position();
        for (int i = 0; i < Math.min(have, MAGIC.length); i++) {
            if (pre.get(i) != MAGIC[i]) {
                throw new NpyFormatException(
                        file,
                        "not a .npy file: bad magic at offset 0; expected "
                                + escape(MAGIC, 0, MAGIC.length) + ", found "
                                + escape(pre.array(), 0, Math.min(have, MAGIC.length))
                                + (pre.get(0) == 'P' && have > 1 && pre.get(1) == 'K'
                                        ? " (a zip archive: an .npz is not read here)"
                                        : ""));
            }
        }
        if (have < 10) {
            throw new NpyFormatException(
                    file,
                    "truncated preamble: file has " + have
                            + " bytes; a .npy preamble (magic \\x93NUMPY, version, header length) needs at least 10");
        }
        int major = pre.get(6) & 0xff;
        int minor = pre.get(7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(
                    file,
                    "unsupported .npy format version " + major + "." + minor
                            + " at offset 6; expected 1.0, 2.0 or 3.0");
        }
        int preambleLength = major == 1 ? 10 : 12;
        if (have < preambleLength) {
            throw new NpyFormatException(
                    file,
                    "truncated preamble: a version " + major + ".0 preamble needs " + preambleLength
                            + " bytes, file has " + have);
        }
        long headerLength = major == 1 ? pre.getShort(8) & 0xffff : pre.getInt(8) & 0xffff_ffffL;
        if (headerLength > size - preambleLength) {
            throw new NpyFormatException(
                    file,
                    "truncated header: header length at offset 8 says " + headerLength + " bytes after offset "
                            + preambleLength + ", file has " + (size - preambleLength));
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(
                    file,
                    "header length " + headerLength + " at offset 8 is above the limit of " + MAX_HEADER_BYTES
                            + " bytes");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
        ch.position(preambleLength);
        while (hb.hasRemaining()) {
            if (ch.read(hb) < 0) {
                throw new NpyFormatException(
                        file,
                        "truncated header: file ended at offset " + (preambleLength + hb.position())
                                + " inside a header of " + headerLength
                                + " bytes (was the file changed while being read?)");
            }
        }
        String text = major == 3 ? decodeUtf8(hb.array(), file, preambleLength) : new String(hb.array(), ISO_8859_1);
        NpyHeaderParser p = new NpyHeaderParser(text, file, preambleLength, major == 3, major <= 2);
        p.parse();
        Dtype dtype = p.dtype();
        long[] shape = p.shape();
        if (p.fortranOrder) {
            throw new NpyFormatException(
                    file,
                    "fortran_order: True (column-major data) at " + p.at(p.fortranAt)
                            + " is not supported; expected False (save np.ascontiguousarray(a) instead)");
        }

        long dataOffset = preambleLength + headerLength;
        long available = size - dataOffset;
        long count = shape.length == 1 ? shape[0] : shape[0] * shape[1]; // each < 2^31: no overflow
        long need = count <= Long.MAX_VALUE / dtype.size ? count * dtype.size : -1;
        if (need < 0 || need > available) {
            String needText = need < 0
                    ? BigInteger.valueOf(count)
                            .multiply(BigInteger.valueOf(dtype.size))
                            .toString()
                    : Long.toString(need);
            throw new NpyFormatException(
                    file,
                    "data truncated: header says shape " + pyShape(shape) + " = " + needText + " bytes of " + p.descr
                            + " after offset " + dataOffset + ", file has " + available);
        }
        if (need < available) {
            throw new NpyFormatException(
                    file,
                    "trailing garbage: header says shape " + pyShape(shape) + " = " + need
                            + " bytes of " + p.descr + " after offset " + dataOffset + ", file has " + available
                            + " (" + (available - need) + " extra bytes from offset " + (dataOffset + need) + ")");
        }
        return new Header(major, dtype, shape, dataOffset);
    }

    private static String decodeUtf8(byte[] bytes, Path file, int base) throws NpyFormatException {
        CharsetDecoder dec = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never yields more chars than bytes
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            throw new NpyFormatException(
                    file,
                    "header is not valid UTF-8 (required by format version 3.0) at header offset " + in.position()
                            + " (file offset " + (base + in.position()) + ")");
        }
        return out.flip().toString();
    }
}
