package widenet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import widenet.train.AtomicFiles;

/**
 * An extra curve file of a reproduction, {@code series/NAME.csv}: a header row, the x axis in the first column,
 * one column per named curve (empty cells where a curve has fewer points). Written atomically.
 */
final class SeriesCsv {
    private final String xName;
    private final double[] x;
    private final Map<String, double[]> columns = new LinkedHashMap<>();

    SeriesCsv(String xName, double[] x) {
        this.xName = xName;
        this.x = x;
    }

    SeriesCsv add(String name, double[] values) {
        columns.put(name, values);
        return this;
    }

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(xName);
        for (String c : columns.keySet()) {
            sb.append(',').append(c);
        }
        sb.append('\n');
        for (int i = 0; i < x.length; i++) {
            sb.append(format(x[i]));
            for (double[] v : columns.values()) {
                sb.append(',');
                if (i < v.length) {
                    sb.append(format(v[i]));
                }
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
