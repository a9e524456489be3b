package widenet.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code metrics.csv}: a header row, then one row per {@link Trainer.Row}, flushed as it comes so that nothing is
 * lost when a run stops. Numbers are written with {@link Double#toString}, which round-trips exactly.
 */
public final class MetricsCsv implements Trainer.Listener, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(256);

    public MetricsCsv(Path file, List<String> columns) {
        this.file = file;
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(String.join(",", columns));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onRow(Trainer.Row row) {
        line.setLength(0);
        line.append(row.step).append(',');
        append(row.epoch).append(',');
        append(row.loss).append(',');
        append(row.rate);
        for (double v : row.model) {
            line.append(',');
            append(v);
        }
        for (double v : row.probes) {
            line.append(',');
            append(v);
        }
        line.append(',');
        append(row.stepMillis).append(',');
        append(row.elapsedSeconds);
        try {
            out.append(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private StringBuilder append(double v) {
        return line.append(Double.isNaN(v) ? "nan" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : Double.toString(v));
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
