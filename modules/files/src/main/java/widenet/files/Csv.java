package widenet.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * widenet's CSV files ({@code metrics.csv}, {@code series/*.csv}, {@code sweep.csv}, {@code cells.csv}), written
 * and read here only: a header row of column names, then rows of plain comma-separated fields (no quoting: no
 * field holds a comma or a line break), UTF-8, each line ended by {@code \n}. A number is written by
 * {@link #format}: an integral value below 10¹⁵ as an integer ({@code 12}), any other finite value as
 * {@link Double#toString} (shortest text that reads back to the same double), and {@code nan}, {@code inf},
 * {@code -inf}. {@link #parse} reads exactly what {@code format} writes (and decimal text from any other tool); an
 * empty field is a missing value (NaN).
 */
public final class Csv {
    private Csv() {}

    /** Decimal numbers as Python, NumPy and spreadsheets write them; no hex, no Java suffixes ({@code 1d}). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    /** A value as widenet writes it in a CSV field (see the class comment); reads back exactly by {@link #parse}. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** Appends {@link #format}{@code (v)} without making a string (for rows written on every step). */
    public static StringBuilder append(StringBuilder sb, double v) {
        if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            return sb.append((long) v);
        }
        return Double.isFinite(v) ? sb.append(v) : sb.append(format(v));
    }

    /**
     * A field as a number: {@code nan}, {@code inf}, {@code -inf} (also {@code +inf}, any case), a decimal number,
     * or an empty field (a missing value: NaN). Surrounding blanks are ignored.
     *
     * @throws NumberFormatException for anything else
     */
    public static double parse(String field) {
        String t = field.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "", "nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                if (!DECIMAL.matcher(t).matches()) {
                    throw new NumberFormatException("'" + field + "' is not a number");
                }
                return Double.parseDouble(t);
            }
        }
    }

    /** A CSV file being built in memory, then written durably by {@link #write}. */
    public static final class Writer {
        private final int columns;
        private final StringBuilder text = new StringBuilder();

        private Writer(List<String> header) {
            this.columns = header.size();
            for (String h : header) {
                requirePlain(h);
            }
            text.append(String.join(",", header)).append('\n');
        }

        /** One row: numbers through {@link #format}, text as it is (which must hold no comma or line break). */
        public Writer row(Object... cells) {
            if (cells.length != columns) {
                throw new IllegalArgumentException("a row of " + cells.length + " fields for " + columns + " columns");
            }
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    text.append(',');
                }
                Object c = cells[i];
                if (c instanceof Double || c instanceof Float) {
                    append(text, ((Number) c).doubleValue());
                } else if (c instanceof Number n) {
                    text.append(n.longValue());
                } else if (c != null) {
                    text.append(requirePlain(c.toString()));
                }
            }
            text.append('\n');
            return this;
        }

        public String text() {
            return text.toString();
        }

        public void write(Path file) throws IOException {
            DurableFiles.writeString(file, text.toString());
        }
    }

    public static Writer writer(List<String> header) {
        return new Writer(header);
    }

    /** The header row for {@code columns}, as {@link Writer} and {@code metrics.csv} write it (no line end). */
    public static String header(List<String> columns) {
        columns.forEach(Csv::requirePlain);
        return String.join(",", columns);
    }

    private static String requirePlain(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a CSV field may not hold a comma or a line break: '" + s + "'");
        }
        return s;
    }

    /** A CSV file that is not what widenet writes: the message is "FILE:LINE: problem". */
    public static final class FormatException extends IOException {
        private final transient Path file;

        FormatException(Path file, int line, String problem) {
            super(file + (line > 0 ? ":" + line : "") + ": " + problem);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }

    /**
     * A CSV file read back whole: its columns and its rows as text; blank lines are skipped, a row with another
     * number of fields than the header is an error naming the line.
     */
    public static final class Table {
        private final Path file;
        private final List<String> columns;
        private final List<String[]> rows;
        private final int[] lines;

        private Table(Path file, List<String> columns, List<String[]> rows, int[] lines) {
            this.file = file;
            this.columns = columns;
            this.rows = rows;
            this.lines = lines;
        }

        public Path file() {
            return file;
        }

        public List<String> columns() {
            return columns;
        }

        public int size() {
            return rows.size();
        }

        public boolean has(String column) {
            return columns.contains(column);
        }

        /** The line of the file where row {@code row} is (1 is the header). */
        public int line(int row) {
            return lines[row];
        }

        public String text(int row, String column) throws FormatException {
            return rows.get(row)[index(column)];
        }

        /** The column as numbers ({@link #parse}); an error naming the file, line and column for a field that is not one. */
        public double[] numbers(String column) throws FormatException {
            int c = index(column);
            double[] v = new double[rows.size()];
            for (int i = 0; i < v.length; i++) {
                String f = rows.get(i)[c];
                try {
                    v[i] = parse(f);
                } catch (NumberFormatException e) {
                    throw new FormatException(file, lines[i], "column " + column + ": '" + f + "' is not a number");
                }
            }
            return v;
        }

        private int index(String column) throws FormatException {
            int c = columns.indexOf(column);
            if (c < 0) {
                throw new FormatException(
                        file, 0, "no column '" + column + "' (has " + String.join(", ", columns) + ")");
            }
            return c;
        }
    }

    /** Reads a whole CSV file (see {@link Table}); errors name the file and the line. */
    public static Table read(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, 0, "not UTF-8 text");
        }
        String[] all = text.split("\n", -1);
        if (all[0].isBlank()) {
            throw new FormatException(file, 1, "empty file, expected a header row");
        }
        List<String> columns = List.of(stripCr(all[0]).strip().split(",", -1));
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).isBlank()) {
                throw new FormatException(file, 1, "empty column name at position " + (c + 1));
            }
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i < all.length; i++) {
            String line = stripCr(all[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != columns.size()) {
                throw new FormatException(
                        file, i + 1, "expected " + columns.size() + " fields (as in the header), found " + f.length);
            }
            rows.add(f);
            numbers.add(i + 1);
        }
        return new Table(
                file,
                columns,
                rows,
                numbers.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
