package widenet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import widenet.train.InputException;

/** A run's {@code metrics.csv} read back: columns by name, as doubles ({@code nan}, {@code inf} understood). */
final class MetricsTable {
    private final Path file;
    private final List<String> header;
    private final double[][] rows;

    private MetricsTable(Path file, List<String> header, double[][] rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    static MetricsTable read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new InputException(file + ": empty, expected a header row");
        }
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            if (cells.length != header.size()) {
                throw new InputException(file + ": line " + (i + 1) + " has " + cells.length + " cells, the header " + header.size());
            }
            double[] row = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                row[c] = parse(cells[c], file, i + 1);
            }
            rows.add(row);
        }
        return new MetricsTable(file, header, rows.toArray(new double[0][]));
    }

    private static double parse(String s, Path file, int line) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new InputException(file + ": line " + line + ": '" + s + "' is not a number");
                }
            }
        };
    }

    int size() { return rows.length; }

    boolean has(String column) { return header.contains(column); }

    /** The column's values, one per row. */
    double[] column(String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new InputException(file + ": no column '" + name + "' (has " + String.join(", ", header) + ")");
        }
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i][c];
        }
        return v;
    }

    /** The value in the last row. */
    double last(String name) {
        double[] v = column(name);
        return v[v.length - 1];
    }

    double first(String name) {
        return column(name)[0];
    }

    /** The finite values of a column measured on some rows only (theory rows; NaN elsewhere). */
    double[] measured(String name) {
        return Arrays.stream(column(name)).filter(Double::isFinite).toArray();
    }

    /** The steps of the rows where {@code name} was measured. */
    double[] measuredSteps(String name) {
        double[] c = column(name), s = column("step");
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            if (Double.isFinite(c[i])) {
                out.add(s[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
