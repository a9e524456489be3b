package widenet.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import widenet.train.InputException;

/**
 * A CSV file with a header row, as widenet writes them (metrics.csv, series/*.csv, sweep.csv, cells.csv): plain
 * comma-separated fields, no quoting, numbers or {@code nan}/{@code inf}/{@code -inf}. Errors name the file and line.
 */
final class CsvTable {
    private final Path file;
    private final List<String> columns;
    private final List<String[]> rows;
    private final int[] lineNumbers;

    private CsvTable(Path file, List<String> columns, List<String[]> rows, int[] lineNumbers) {
        this.file = file;
        this.columns = columns;
        this.rows = rows;
        this.lineNumbers = lineNumbers;
    }

    static CsvTable read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new InputException(file + ":1: empty file, expected a header row");
        }
        List<String> columns = List.of(lines.get(0).strip().split(",", -1));
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).isBlank()) {
                throw new InputException(file + ":1: empty column name at position " + (c + 1));
            }
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != columns.size()) {
                throw new InputException(file + ":" + (i + 1) + ": expected " + columns.size() + " fields (as in the header), found " + f.length);
            }
            rows.add(f);
            numbers.add(i + 1);
        }
        return new CsvTable(file, columns, rows, numbers.stream().mapToInt(Integer::intValue).toArray());
    }

    Path file() { return file; }
    List<String> columns() { return columns; }
    int size() { return rows.size(); }
    boolean has(String column) { return columns.contains(column); }

    String text(int row, String column) {
        return rows.get(row)[index(column)];
    }

    /** The column as numbers; NaN for {@code nan} or an empty field; an input error naming file:line for anything else. */
    double[] numbers(String column) {
        int c = index(column);
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = parse(rows.get(i)[c], i, column);
        }
        return v;
    }

    /** Checks that every value in {@code columns} is a number (so a malformed row is reported even if never plotted). */
    void requireNumeric(List<String> numericColumns) {
        for (String c : numericColumns) {
            numbers(c);
        }
    }

    private int index(String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new InputException(file + ": no column '" + column + "' (has " + String.join(", ", columns) + ")");
        }
        return c;
    }

    private double parse(String s, int row, String column) {
        String t = s.strip();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "", "nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new InputException(file + ":" + lineNumbers[row] + ": column " + column + ": '" + s + "' is not a number");
                }
            }
        }
    }
}
