package widenet.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.files.Csv;

/**
 * An extra curve file of a reproduction, {@code series/NAME.csv}: a header row, the x axis in the first column,
 * one column per named curve (empty cells where a curve has fewer points), in widenet's one CSV format ({@link Csv}).
 */
public final class SeriesCsv {
    private final String xName;
    private final double[] x;
    private final Map<String, double[]> columns = new LinkedHashMap<>();

    public SeriesCsv(String xName, double[] x) {
        this.xName = xName;
        this.x = x;
    }

    public SeriesCsv add(String name, double[] values) {
        columns.put(name, values);
        return this;
    }

    public void write(Path file) throws IOException {
        List<String> header = new ArrayList<>(List.of(xName));
        header.addAll(columns.keySet());
        Csv.Writer csv = Csv.writer(header);
        for (int i = 0; i < x.length; i++) {
            Object[] row = new Object[header.size()];
            row[0] = x[i];
            int c = 1;
            for (double[] v : columns.values()) {
                row[c++] = i < v.length ? v[i] : null; // an empty cell: this curve has fewer points
            }
            csv.row(row);
        }
        csv.write(file);
    }
}
