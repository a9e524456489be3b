package widenet.reproduce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's figure as reproduced: panels side by side at the top of the reproduction's report page, each a
 * {@code series/NAME.csv} whose columns named {@code paper…} are the paper's own values (drawn as markers over the
 * measured curves) and whose other columns are widenet's (lines; {@code pred…}/{@code theory…} dashed). Recorded in
 * reproduction.json as {@code "figure": {"caption", "source", "panels": [{"title", "file", "log_x", "log_y"}]}},
 * which {@code widenet report} and {@code widenet serve} read.
 */
public final class Figure {
    private final String caption;
    private final String source;
    private final List<Map<String, Object>> panels = new ArrayList<>();

    /** {@code caption}: what the figure shows; {@code source}: where the paper's values come from (figure, table). */
    public Figure(String caption, String source) {
        this.caption = caption;
        this.source = source;
    }

    /** Writes the panel's curves to {@code series/NAME.csv} and adds it as the next panel. */
    public Figure panel(
            ReproductionContext ctx, String title, String name, SeriesCsv curves, boolean logX, boolean logY)
            throws IOException {
        curves.write(ctx.seriesFile(name));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("title", title);
        p.put("file", "series/" + name + ".csv");
        p.put("log_x", logX);
        p.put("log_y", logY);
        panels.add(p);
        return this;
    }

    /** reproduction.json's {@code figure} entry (hand it to {@link ReproductionContext#writeRecord} in {@code more}). */
    public Map<String, Object> record() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("caption", caption);
        f.put("source", source);
        f.put("panels", List.copyOf(panels));
        return f;
    }
}
