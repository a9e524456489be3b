package widenet.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import widenet.files.Csv;
import widenet.files.DurableFiles;

/**
 * {@code metrics.csv}: a header row, then one row per {@link Trainer.Row}, flushed as it comes so that nothing is
 * lost when a run stops. Numbers are written by {@link Csv#format}, which round-trips exactly.
 */
public final class MetricsCsv implements Trainer.Listener, AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(256);

    /** A new file (replacing any) with the header row. */
    public MetricsCsv(Path file, List<String> columns) {
        this(file, columns, true);
    }

    private MetricsCsv(Path file, List<String> columns, boolean fresh) {
        this.file = file;
        try {
            channel = fresh
                    ? DurableFiles.openNoFollow(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : DurableFiles.openNoFollow(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
            if (fresh) {
                out.write(Csv.header(columns));
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + widenet.files.FileErrors.describe(file, e), e);
        }
    }

    /**
     * Continues {@code file} of a run resumed at step {@code step}: keeps the header (which must be
     * {@code columns}) and the complete rows of steps before {@code step}, drops the rest (rows written after the
     * checkpoint, or a row torn by a crash), atomically, and appends from there. The last row kept must be the
     * one at {@code lastRowStep}, the checkpoint's last row; otherwise rows are missing and the run cannot continue
     * the file without a gap.
     */
    public static MetricsCsv resume(Path file, List<String> columns, long step, long lastRowStep) {
        List<String> kept = new ArrayList<>();
        try {
            if (!Files.isRegularFile(file)) {
                throw new CheckpointException(
                        file + " is missing; it holds the rows before the checkpoint at step " + step);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            String header = Csv.header(columns);
            if (!lines[0].equals(header)) {
                throw new CheckpointException(file + ": header '" + abbreviate(lines[0])
                        + "' differs from this run's columns '" + header + "'");
            }
            kept.add(header);
            long last = -1;
            // The last element is what follows the final newline: empty, or a row torn by a crash; never kept.
            for (int i = 1; i < lines.length - 1; i++) {
                String l = lines[i];
                int comma = l.indexOf(',');
                long s;
                try {
                    s = Long.parseLong(comma < 0 ? l : l.substring(0, comma));
                } catch (NumberFormatException e) {
                    break;
                }
                if (s >= step || s <= last || l.split(",", -1).length != columns.size()) {
                    break;
                }
                kept.add(l);
                last = s;
            }
            if (last != lastRowStep) {
                throw new CheckpointException(
                        file + ": the checkpoint at step " + step + " follows a row at step " + lastRowStep
                                + ", but the file's rows before it end at " + (last < 0 ? "no row" : "step " + last));
            }
            DurableFiles.writeString(file, String.join("\n", kept) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + widenet.files.FileErrors.describe(file, e), e);
        }
        return new MetricsCsv(file, columns, false);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
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
            throw new UncheckedIOException("cannot write " + widenet.files.FileErrors.describe(file, e), e);
        }
    }

    private StringBuilder append(double v) {
        return Csv.append(line, v);
    }

    /** Forces the rows written so far to the disk (before a checkpoint that refers to them). */
    public void sync() throws IOException {
        out.flush();
        channel.force(false);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + widenet.files.FileErrors.describe(file, e), e);
        }
    }
}
