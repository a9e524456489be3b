package widenet.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import widenet.files.DurableFiles;
import widenet.train.InputException;
import widenet.train.internal.ResultTarget;

/**
 * {@code widenet report DIR}: one self-contained HTML page for a widenet folder, recognised by its files:
 * a sweep ({@code sweep.json}), a reproduction ({@code reproduction.json}) or a run ({@code metrics.csv}, with
 * {@code run.json} and {@code theory.json} when present). Bad input (not such a folder, malformed JSON or CSV) is an
 * {@link InputException} naming the file and line.
 */
public final class Report {
    /** What kind of folder a report is about. */
    public enum Kind {
        RUN,
        REPRODUCTION,
        SWEEP
    }

    /** A rendered report: its kind, the HTML, and how many charts it holds. */
    public record Page(Kind kind, String html, int charts) {}

    private Report() {}

    public static Kind detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is not a folder");
        }
        if (Files.isRegularFile(dir.resolve("sweep.json"))) {
            return Kind.SWEEP;
        }
        if (Files.isRegularFile(dir.resolve("reproduction.json"))) {
            return Kind.REPRODUCTION;
        }
        if (Files.isRegularFile(dir.resolve("metrics.csv"))) {
            return Kind.RUN;
        }
        throw new InputException(dir + " is not a widenet run, reproduction or sweep folder "
                + "(no metrics.csv, reproduction.json or sweep.json in it)");
    }

    /** Renders the report of {@code dir}. */
    public static Page render(Path dir) {
        Kind kind = detect(dir);
        Html page = new Html("widenet " + kind.name().toLowerCase(java.util.Locale.ROOT) + " · " + RunPage.name(dir));
        switch (kind) {
            case RUN -> RunPage.build(page, dir);
            case REPRODUCTION -> ReproductionPage.build(page, dir);
            case SWEEP -> SweepPage.build(page, dir);
        }
        return new Page(kind, page.document("widenet report"), page.chartCount());
    }

    /** Renders the report of {@code dir} and writes it atomically to {@code out} (default {@code dir/report.html}). */
    public static Page write(Path dir, Path out) throws IOException {
        Path target = out != null ? out : dir.resolve("report.html");
        ResultTarget.check("--out", target, dir, ResultTarget.Kind.HTML);
        Page p = render(dir);
        DurableFiles.writeString(target, p.html());
        return p;
    }
}
