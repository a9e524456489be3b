package widenet.tensor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static widenet.tensor.Npy.NATIVE_LE;
import static widenet.tensor.Npy.escape;
import static widenet.tensor.Npy.pyShape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import widenet.tensor.Npy.Dtype;

/**
 * A parser for the subset of Python literal syntax NumPy headers use:
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}, keys in any order, any whitespace,
 * optional trailing commas. It parses no nested values, so hostile input cannot make it recurse.
 */
final class NpyHeaderParser {
    private static final int END = -1;

    private final String s;
    private final Path file;
    private final int base;
    private final boolean utf8;
    /** Python 2 wrote long integers as {@code 3L}; NumPy still accepts that in version 1.0/2.0 headers. */
    private final boolean allowLongSuffix;

    private int i;

    String descr;
    int descrAt = -1;
    boolean fortranOrder;
    int fortranAt = -1;
    private final List<Long> dims = new ArrayList<>();
    private final List<Integer> dimAt = new ArrayList<>();
    int shapeAt = -1;

    NpyHeaderParser(String s, Path file, int base, boolean utf8, boolean allowLongSuffix) {
        this.s = s;
        this.file = file;
        this.base = base;
        this.utf8 = utf8;
        this.allowLongSuffix = allowLongSuffix;
    }

    /** "header offset H (file offset F)" for char index {@code at}, in bytes. */
    String at(int at) {
        int h = utf8 ? s.substring(0, at).getBytes(UTF_8).length : at;
        return "header offset " + h + " (file offset " + (base + h) + ")";
    }

    private NpyFormatException malformed(int at, String what) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return new NpyFormatException(
                file, "malformed header at " + at(at) + ": " + what + "; header: " + escape(shown));
    }

    private int peek() {
        return i < s.length() ? s.charAt(i) : END;
    }

    private static String describe(int c) {
        return c == END ? "the end of the header" : "'" + escape(String.valueOf((char) c)) + "'";
    }

    private void skipWs() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return;
            }
            i++;
        }
    }

    void parse() throws NpyFormatException {
        skipWs();
        if (peek() != '{') {
            throw malformed(i, "expected '{' starting the header dict, found " + describe(peek()));
        }
        i++;
        skipWs();
        while (peek() != '}') {
            int keyAt = i;
            String key = string("a key ('descr', 'fortran_order' or 'shape')");
            skipWs();
            if (peek() != ':') {
                throw malformed(i, "expected ':' after key '" + escape(key) + "', found " + describe(peek()));
            }
            i++;
            skipWs();
            switch (key) {
                case "descr" -> {
                    if (descrAt >= 0) {
                        throw malformed(keyAt, "duplicate key 'descr'");
                    }
                    descrAt = i;
                    if (peek() == '[') {
                        throw new NpyFormatException(
                                file,
                                "structured dtype (a list of fields) at " + at(i)
                                        + " is not supported; expected '<f4' or '<f8'");
                    }
                    descr = string("a dtype string such as '<f4'");
                }
                case "fortran_order" -> {
                    if (fortranAt >= 0) {
                        throw malformed(keyAt, "duplicate key 'fortran_order'");
                    }
                    fortranAt = i;
                    fortranOrder = bool();
                }
                case "shape" -> {
                    if (shapeAt >= 0) {
                        throw malformed(keyAt, "duplicate key 'shape'");
                    }
                    shapeAt = i;
                    tuple();
                }
                default ->
                    throw malformed(
                            keyAt,
                            "unexpected key '" + escape(key) + "'; expected only 'descr', 'fortran_order' and 'shape'");
            }
            skipWs();
            if (peek() == ',') {
                i++;
                skipWs();
            } else if (peek() != '}') {
                throw malformed(i, "expected ',' or '}' after the value of '" + key + "', found " + describe(peek()));
            }
        }
        i++;
        skipWs();
        if (i < s.length()) {
            throw malformed(i, "expected only spaces and a newline after the header dict, found " + describe(peek()));
        }
        StringJoiner missing = new StringJoiner(", ");
        if (descrAt < 0) missing.add("'descr'");
        if (fortranAt < 0) missing.add("'fortran_order'");
        if (shapeAt < 0) missing.add("'shape'");
        if (missing.length() > 0) {
            throw malformed(
                    s.length(), "missing key(s) " + missing + "; expected 'descr', 'fortran_order' and 'shape'");
        }
    }

    /** A quoted string without escapes (NumPy never writes any in the keys and values read here). */
    private String string(String what) throws NpyFormatException {
        int q = peek();
        if (q != '\'' && q != '"') {
            throw malformed(i, "expected " + what + " in quotes, found " + describe(q));
        }
        int start = ++i;
        while (i < s.length() && s.charAt(i) != q) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\n' || c == '\r') {
                throw malformed(
                        i, "unsupported " + (c == '\\' ? "escape sequence" : "line break") + " inside a string");
            }
            i++;
        }
        if (i >= s.length()) {
            throw malformed(start - 1, "unterminated string");
        }
        return s.substring(start, i++);
    }

    private boolean bool() throws NpyFormatException {
        for (String word : new String[] {"True", "False"}) {
            if (s.startsWith(word, i) && !isWordChar(i + word.length())) {
                i += word.length();
                return word.equals("True");
            }
        }
        throw malformed(i, "expected True or False for 'fortran_order', found " + describe(peek()));
    }

    private boolean isWordChar(int at) {
        if (at >= s.length()) {
            return false;
        }
        char c = s.charAt(at);
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    private void tuple() throws NpyFormatException {
        int open = i;
        if (peek() != '(') {
            throw malformed(i, "expected a tuple such as (3, 4) for 'shape', found " + describe(peek()));
        }
        i++;
        skipWs();
        boolean comma = false;
        while (peek() != ')') {
            if (dims.size() == 64) { // NumPy's own limit; the rank check below rejects >2 anyway
                throw malformed(i, "more than 64 dimensions in 'shape'");
            }
            dimAt.add(i);
            dims.add(integer());
            skipWs();
            if (peek() == ',') {
                comma = true;
                i++;
                skipWs();
            } else if (peek() != ')') {
                throw malformed(i, "expected ',' or ')' in 'shape', found " + describe(peek()));
            }
        }
        i++;
        if (dims.size() == 1 && !comma) {
            throw malformed(
                    open,
                    "'shape' (" + dims.get(0) + ") is an integer in parentheses, not a tuple; expected (" + dims.get(0)
                            + ",)");
        }
    }

    private long integer() throws NpyFormatException {
        int start = i;
        if (peek() == '-') {
            throw malformed(i, "negative dimension in 'shape'; expected a non-negative integer");
        }
        if (peek() < '0' || peek() > '9') {
            throw malformed(i, "expected a non-negative integer in 'shape', found " + describe(peek()));
        }
        long v = 0;
        while (peek() >= '0' && peek() <= '9') {
            int d = peek() - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw new NpyFormatException(
                        file,
                        "dimension " + digitsFrom(start) + " in 'shape' at " + at(start)
                                + " is too large; expected at most " + Integer.MAX_VALUE);
            }
            v = v * 10 + d;
            i++;
        }
        if (allowLongSuffix && peek() == 'L') {
            i++;
        }
        if (isWordChar(i)) {
            throw malformed(start, "malformed integer in 'shape' (found " + describe(peek()) + " after the digits)");
        }
        return v;
    }

    private String digitsFrom(int start) {
        int end = start;
        while (end < s.length() && end - start < 40 && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        return s.substring(start, end) + (end - start == 40 ? "…" : "");
    }

    Dtype dtype() throws NpyFormatException {
        String d = descr;
        char order = d.length() == 3 ? d.charAt(0) : 0;
        String kind = d.length() == 3 ? d.substring(1) : d;
        boolean knownKind = kind.equals("f4") || kind.equals("f8");
        if (knownKind) {
            if (order == '<' || ((order == '|' || order == '=' || order == 0) && NATIVE_LE)) {
                return kind.equals("f4") ? Dtype.F4 : Dtype.F8;
            }
            if (order == '>') {
                throw new NpyFormatException(
                        file,
                        "unsupported dtype '" + escape(d) + "' (big-endian) at " + at(descrAt)
                                + "; expected '<f4' or '<f8' (little-endian: save a.astype('<f4'))");
            }
            if (order == '|' || order == '=' || order == 0) {
                throw new NpyFormatException(
                        file,
                        "ambiguous dtype '" + escape(d) + "' (native byte order) at " + at(descrAt)
                                + " on a big-endian machine; expected '<f4' or '<f8'");
            }
        }
        throw new NpyFormatException(
                file, "unsupported dtype '" + escape(d) + "' at " + at(descrAt) + "; expected '<f4' or '<f8'");
    }

    long[] shape() throws NpyFormatException {
        long[] shape = new long[dims.size()];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = dims.get(k);
        }
        if (shape.length == 0 || shape.length > 2) {
            throw new NpyFormatException(
                    file,
                    "unsupported " + shape.length + "-d shape " + pyShape(shape) + " at " + at(shapeAt)
                            + "; expected (n,) or (rows, cols)");
        }
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] > Integer.MAX_VALUE) {
                throw new NpyFormatException(
                        file,
                        "dimension " + shape[k] + " of shape " + pyShape(shape) + " at " + at(dimAt.get(k))
                                + " is too large; expected at most " + Integer.MAX_VALUE);
            }
        }
        return shape;
    }
}
