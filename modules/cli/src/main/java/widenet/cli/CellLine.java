package widenet.cli;

import java.util.Locale;
import widenet.sweep.CellResult;

/** The progress line of one trained sweep cell, as {@code widenet sweep} and {@code widenet worker} print it. */
final class CellLine {
    private CellLine() {}

    /** The {@code count}-th cell; {@code reused}: read back from an earlier run of the sweep rather than trained. */
    static String of(int count, CellResult r, boolean reused) {
        return String.format(
                Locale.ROOT,
                "  %4d  n=%-5d m=%-6d seed=%-3d %-11s L(k)/L(0)=%.3g at k=%d%s",
                count,
                r.cell().n(),
                r.cell().width(),
                r.cell().seed(),
                r.status(),
                r.ratio(),
                r.stepsRun(),
                reused ? "  (read back)" : String.format(Locale.ROOT, "  %.1f s", r.seconds()));
    }
}
