package widenet.report;

import java.util.List;
import java.util.Map;

/**
 * The report page as it is built: a self-contained HTML document (inline CSS, inline SVG charts, no scripts and
 * nothing fetched). Every chart is a {@code <figure class="chart" id="fig-…" data-points="…">} holding one
 * {@code <svg>}; tests and the browser check count and inspect those.
 */
final class Html {
    private static final String CSS = """
            body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;color:#222;background:#f6f6f4}
            main{max-width:1340px;margin:0 auto;padding:18px 28px 48px}
            h1{font-size:1.55em;margin:.4em 0 .1em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ccc;padding-bottom:.2em}
            h3{font-size:1.05em}.sub{color:#666;margin:0 0 1em}
            table{border-collapse:collapse;margin:.4em 0 1em;background:#fff;font-size:.9em}
            th,td{border:1px solid #d4d4d4;padding:3px 9px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
            th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
            table.kv-table{display:inline-table;margin-right:26px;vertical-align:top}
            .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
            .charts.panels{grid-template-columns:repeat(auto-fit,minmax(390px,1fr))}
            figure.chart{margin:0;background:#fff;border:1px solid #ddd;padding:6px}
            figure.chart svg{width:100%;height:auto;display:block}
            figcaption{font-size:.85em;color:#555;padding:4px 6px 2px}
            .md{background:#fff;border:1px solid #ddd;padding:4px 18px}
            .ok{color:#1a7f37}.bad{color:#b42318}.muted{color:#777}
            code{background:#eee;padding:0 3px;border-radius:2px}
            """;

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private int charts;
    private boolean inCharts;

    Html(String title) {
        this.title = title;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    Html heading(String text, String subtitle) {
        closeCharts();
        body.append("<h1>").append(escape(text)).append("</h1>\n");
        if (subtitle != null) {
            body.append("<p class=\"sub\">").append(escape(subtitle)).append("</p>\n");
        }
        return this;
    }

    Html section(String text) {
        closeCharts();
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    Html paragraph(String text) {
        closeCharts();
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A two-column table of names and values (values already formatted). */
    Html keyValues(String caption, Map<String, String> rows) {
        if (rows.isEmpty()) {
            return this;
        }
        closeCharts();
        body.append("<table class=\"kv-table\">");
        if (caption != null) {
            body.append("<caption>").append(escape(caption)).append("</caption>");
        }
        for (Map.Entry<String, String> e : rows.entrySet()) {
            body.append("<tr><th>")
                    .append(escape(e.getKey()))
                    .append("</th><td")
                    .append(numeric(e.getValue()) ? " class=\"num\"" : "")
                    .append('>')
                    .append(escape(e.getValue()))
                    .append("</td></tr>");
        }
        body.append("</table>\n");
        return this;
    }

    /** A small heading over the next table. */
    Html caption(String text) {
        closeCharts();
        body.append("<h3>").append(escape(text)).append("</h3>\n");
        return this;
    }

    /** A table with a header row. */
    Html table(List<String> header, List<List<String>> rows) {
        closeCharts();
        body.append("<table><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>");
        for (List<String> r : rows) {
            body.append("<tr>");
            r.forEach(v -> body.append("<td")
                    .append(numeric(v) ? " class=\"num\"" : "")
                    .append('>')
                    .append(escape(v))
                    .append("</td>"));
            body.append("</tr>");
        }
        body.append("</table>\n");
        return this;
    }

    /** Rendered Markdown (already safe HTML from {@link Markdown}). */
    Html markdown(String renderedHtml) {
        closeCharts();
        body.append("<div class=\"md\">\n").append(renderedHtml).append("</div>\n");
        return this;
    }

    /** Adds the chart as a figure unless it has nothing to show; returns whether it was added. */
    boolean chart(Chart chart, String caption) {
        if (chart.isEmpty()) {
            return false;
        }
        if (!inCharts) {
            body.append("<div class=\"charts\">\n");
            inCharts = true;
        }
        String id = "fig-" + (++charts);
        body.append("<figure class=\"chart\" id=\"")
                .append(id)
                .append("\" data-points=\"")
                .append(chart.points())
                .append("\" data-title=\"")
                .append(escape(chart.title()))
                .append("\">\n")
                .append(chart.svg(id + "-svg"))
                .append('\n');
        if (caption != null) {
            body.append("<figcaption>").append(escape(caption)).append("</figcaption>\n");
        }
        body.append("</figure>\n");
        return true;
    }

    /** The next charts are panels of one figure: side by side, narrower than ordinary charts. */
    Html panels() {
        closeCharts();
        body.append("<div class=\"charts panels\">\n");
        inCharts = true;
        return this;
    }

    int chartCount() {
        return charts;
    }

    private void closeCharts() {
        if (inCharts) {
            body.append("</div>\n");
            inCharts = false;
        }
    }

    private static boolean numeric(String v) {
        return !v.isEmpty() && v.chars().allMatch(c -> "0123456789.-+eE∞−NaN".indexOf(c) >= 0);
    }

    String document(String generator) {
        closeCharts();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                + "<meta name=\"generator\" content=\"" + escape(generator) + "\"/>\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n"
                + body + "</main>\n</body>\n</html>\n";
    }
}
