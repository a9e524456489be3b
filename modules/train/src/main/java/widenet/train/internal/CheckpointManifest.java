package widenet.train.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import widenet.train.CheckpointException;

/**
 * The table of contents of a checkpoint folder, written last: every file with its size and CRC32, and a CRC32 of
 * the manifest itself, so that a torn or corrupted checkpoint is recognised and the previous one used. Plain text:
 * <pre>
 * widenet-checkpoint 1
 * step 1234
 * file checkpoint.json 812 9a0c33f1
 * file params/W.npy 8000128 04b2e6d0
 * end 5c1d7a2e
 * </pre>
 * where the number after {@code end} is the CRC32 of every byte before that line. Paths are relative, '/'-separated,
 * made of {@code [A-Za-z0-9._-]} and never {@code .} or {@code ..}, so a manifest cannot point outside its folder.
 */
public record CheckpointManifest(long step, List<Entry> files) {
    public static final String MAGIC = "widenet-checkpoint";
    public static final int VERSION = 1;
    /** Larger manifests are refused before reading: a real one lists a few files per parameter. */
    public static final int MAX_BYTES = 1 << 20;

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._-]{1,128}(/[A-Za-z0-9._-]{1,128}){0,3}");
    private static final Pattern HEX8 = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern DIGITS = Pattern.compile("0|[1-9][0-9]{0,17}");

    /** One file of the checkpoint: its path relative to the checkpoint folder, size in bytes and CRC32. */
    public record Entry(String path, long bytes, long crc32) {
        public Entry {
            checkPath(path);
            if (bytes < 0 || crc32 < 0 || crc32 > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(
                        "bad manifest entry for " + path + ": " + bytes + " bytes, crc " + crc32);
            }
        }
    }

    public CheckpointManifest {
        files = List.copyOf(files);
        Set<String> seen = new HashSet<>();
        for (Entry e : files) {
            if (!seen.add(e.path())) {
                throw new IllegalArgumentException("file " + e.path() + " listed twice");
            }
        }
        if (step < 0) {
            throw new IllegalArgumentException("negative step " + step);
        }
    }

    /** Whether {@code path} is a safe relative path (see the class comment). */
    public static boolean isValidPath(String path) {
        if (!PATH.matcher(path).matches()) {
            return false;
        }
        for (String part : path.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static void checkPath(String path) {
        if (!isValidPath(path)) {
            throw new IllegalArgumentException("unsafe or malformed checkpoint path '" + path + "'");
        }
    }

    public Entry entry(String path) {
        for (Entry e : files) {
            if (e.path().equals(path)) {
                return e;
            }
        }
        return null;
    }

    /** The manifest's text, ending with its own checksum line. */
    public byte[] format() {
        StringBuilder sb = new StringBuilder();
        sb.append(MAGIC).append(' ').append(VERSION).append('\n');
        sb.append("step ").append(step).append('\n');
        for (Entry e : files) {
            sb.append("file ")
                    .append(e.path())
                    .append(' ')
                    .append(e.bytes())
                    .append(' ')
                    .append(hex(e.crc32()))
                    .append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        sb.append("end ").append(hex(crc32(body, body.length))).append('\n');
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a manifest, checking its own checksum first. Any problem is a {@link CheckpointException} whose
     * message names {@code source} and the line.
     */
    public static CheckpointManifest parse(byte[] bytes, String source) {
        if (bytes.length > MAX_BYTES) {
            throw new CheckpointException(source + ": " + bytes.length + " bytes, more than a manifest's " + MAX_BYTES);
        }
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            throw new CheckpointException(source + ": incomplete (does not end with a newline): a torn write");
        }
        int lastLineStart = bytes.length - 1;
        while (lastLineStart > 0 && bytes[lastLineStart - 1] != '\n') {
            lastLineStart--;
        }
        for (byte b : bytes) {
            if (b < 0x20 && b != '\n' || b > 0x7e) {
                throw new CheckpointException(source + ": not a manifest (byte 0x" + Integer.toHexString(b & 0xff)
                        + " is not printable ASCII)");
            }
        }
        String endLine = new String(bytes, lastLineStart, bytes.length - 1 - lastLineStart, StandardCharsets.US_ASCII);
        if (!endLine.startsWith("end ") || !HEX8.matcher(endLine.substring(4)).matches()) {
            throw new CheckpointException(
                    source + ": last line '" + clip(endLine) + "' is not 'end <crc32>': a torn write");
        }
        long expected = Long.parseLong(endLine.substring(4), 16);
        long actual = crc32(bytes, lastLineStart);
        if (expected != actual) {
            throw new CheckpointException(source + ": checksum " + hex(actual) + " differs from the recorded "
                    + endLine.substring(4) + ": corrupted");
        }
        String[] lines = new String(bytes, 0, lastLineStart, StandardCharsets.US_ASCII).split("\n", -1);
        // lines ends with "" (the text before "end" ends with a newline)
        if (lines.length < 3) {
            throw new CheckpointException(
                    source + ": too short; expected '" + MAGIC + " " + VERSION + "', a step line and files");
        }
        if (!lines[0].equals(MAGIC + " " + VERSION)) {
            throw new CheckpointException(
                    source + " line 1: expected '" + MAGIC + " " + VERSION + "', found '" + clip(lines[0]) + "'");
        }
        long step = number(lines[1], "step ", source, 2);
        List<Entry> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 2; i < lines.length - 1; i++) {
            String[] f = lines[i].split(" ", -1);
            String where = source + " line " + (i + 1);
            if (f.length != 4 || !f[0].equals("file")) {
                throw new CheckpointException(
                        where + ": expected 'file <path> <bytes> <crc32>', found '" + clip(lines[i]) + "'");
            }
            if (!isValidPath(f[1])) {
                throw new CheckpointException(where + ": unsafe or malformed path '" + clip(f[1]) + "'");
            }
            if (!seen.add(f[1])) {
                throw new CheckpointException(where + ": " + f[1] + " is listed twice");
            }
            if (!DIGITS.matcher(f[2]).matches()) {
                throw new CheckpointException(where + ": size '" + clip(f[2]) + "' is not a byte count");
            }
            if (!HEX8.matcher(f[3]).matches()) {
                throw new CheckpointException(where + ": checksum '" + clip(f[3]) + "' is not 8 lowercase hex digits");
            }
            files.add(new Entry(f[1], Long.parseLong(f[2]), Long.parseLong(f[3], 16)));
        }
        return new CheckpointManifest(step, files);
    }

    private static long number(String line, String key, String source, int lineNo) {
        if (!line.startsWith(key)
                || !DIGITS.matcher(line.substring(key.length())).matches()) {
            throw new CheckpointException(source + " line " + lineNo + ": expected '" + key
                    + "<non-negative integer>', found '" + clip(line) + "'");
        }
        return Long.parseLong(line.substring(key.length()));
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    static long crc32(byte[] b, int length) {
        CRC32 c = new CRC32();
        c.update(b, 0, length);
        return c.getValue();
    }

    static String hex(long crc) {
        return String.format("%08x", crc);
    }
}
