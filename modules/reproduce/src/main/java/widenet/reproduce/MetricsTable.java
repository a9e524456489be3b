package widenet.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import widenet.files.Csv;
import widenet.train.InputException;

/** A run's {@code metrics.csv} read back by the one CSV reader ({@link Csv}): columns by name, as doubles. */
public final class MetricsTable {
    private final Path file;
    private final List<String> header;
    private final double[][] rows;

    private MetricsTable(Path file, List<String> header, double[][] rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    public static MetricsTable read(Path file) throws IOException {
        Csv.Table t;
        try {
            t = Csv.read(file);
        } catch (Csv.FormatException e) {
            throw new InputException(e.getMessage(), e);
        }
        List<String> header = t.columns();
        double[][] rows = new double[t.size()][header.size()];
        for (int c = 0; c < header.size(); c++) {
            double[] v;
            try {
                v = t.numbers(header.get(c));
            } catch (Csv.FormatException e) {
                throw new InputException(e.getMessage(), e);
            }
            for (int i = 0; i < v.length; i++) {
                rows[i][c] = v[i];
            }
        }
        return new MetricsTable(file, header, rows);
    }

    public int size() {
        return rows.length;
    }

    public boolean has(String column) {
        return header.contains(column);
    }

    /** The column's values, one per row. */
    public double[] column(String name) {
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
    public double last(String name) {
        double[] v = column(name);
        return v[v.length - 1];
    }

    public double first(String name) {
        return column(name)[0];
    }

    /** The finite values of a column measured on some rows only (theory rows; NaN elsewhere). */
    public double[] measured(String name) {
        return Arrays.stream(column(name)).filter(Double::isFinite).toArray();
    }

    /** The steps of the rows where {@code name} was measured. */
    public double[] measuredSteps(String name) {
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
