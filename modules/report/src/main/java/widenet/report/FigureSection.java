package widenet.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import widenet.train.InputException;

/**
 * The top of a reproduction's page: the paper's figure as reproduced, its panels side by side, each with the paper's
 * own values (columns named {@code paper…}) drawn as markers over widenet's curves, so the comparison is the first
 * thing a reader sees. Read from reproduction.json's {@code figure} entry (written by {@code widenet.reproduce.Figure}).
 */
final class FigureSection {
    private FigureSection() {}

    /** Draws the figure; returns the series files it drew (the page's series section leaves them out). */
    static Set<Path> add(Html page, Path dir, Map<String, Object> rep, Path file) {
        Map<String, Object> figure = JsonValues.object(rep, "figure", file);
        if (figure.isEmpty()) {
            return Set.of();
        }
        if (!(figure.get("panels") instanceof List<?> panels)) {
            throw new InputException(file + ": \"figure\" should have a \"panels\" array, found "
                    + JsonValues.kind(figure.get("panels")));
        }
        String caption = figure.get("caption") instanceof String s ? s : "the paper's figure";
        page.section("Figure: " + caption);
        if (figure.get("source") instanceof String source) {
            page.paragraph("Markers: the paper's values (" + source + "). Lines: widenet's measurements"
                    + " (dashed: predictions and theory).");
        }
        page.panels();
        List<Path> drawn = new ArrayList<>();
        for (Object o : panels) {
            if (!(o instanceof Map<?, ?> p) || !(p.get("file") instanceof String f)) {
                throw new InputException(
                        file + ": every figure panel should be an object with a \"file\", found " + JsonValues.kind(o));
            }
            Path csv = dir.resolve(f).normalize();
            if (!csv.startsWith(dir.normalize()) || !Files.isRegularFile(csv)) {
                throw new InputException(file + ": figure panel " + f + " does not exist in " + dir);
            }
            String title = p.get("title") instanceof String t ? t : f;
            page.chart(
                    panel(
                            CsvTable.read(csv),
                            title,
                            Boolean.TRUE.equals(p.get("log_x")),
                            Boolean.TRUE.equals(p.get("log_y"))),
                    title);
            drawn.add(csv);
        }
        return Set.copyOf(drawn);
    }

    /** One panel: x the first column; paper… columns as markers, pred…/theory… dashed, the others as lines. */
    static Chart panel(CsvTable t, String title, boolean logX, boolean logY) {
        t.requireNumeric(t.columns());
        String xName = t.columns().get(0);
        double[] x = t.numbers(xName);
        Chart c = new Chart(title, xName, "").logX(logX).logY(logY);
        for (String y : t.columns().subList(1, t.columns().size())) {
            String n = y.toLowerCase(Locale.ROOT);
            Chart.Style style = n.startsWith("paper")
                    ? Chart.Style.POINTS
                    : n.startsWith("pred") || n.startsWith("theory")
                            ? Chart.Style.DASHED
                            : x.length <= 12 ? Chart.Style.LINE_POINTS : Chart.Style.LINE;
            c.add(y, x, t.numbers(y), style);
        }
        return c;
    }
}
