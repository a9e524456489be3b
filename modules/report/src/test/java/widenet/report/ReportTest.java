package widenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import widenet.train.InputException;

/** Reports of real runs, a hand-made reproduction and a real tiny sweep: structure, charts, overlays, errors. */
class ReportTest {
    @TempDir
    Path tmp;

    /** One chart as it stands in the page. */
    record Figure(String title, int points, String svg) {
        /** Data lines: the renderer's series-line groups holding a path of at least one segment ("M x y L x y"). */
        long polylines() {
            Matcher m = Pattern.compile("<g [^>]*class=.series-line.[^>]*>(\\s*<g [^>]*>)*\\s*<path [^>]*d=.M[^'\"]*L")
                    .matcher(svg);
            long k = 0;
            while (m.find()) {
                k++;
            }
            return k;
        }

        long dots() {
            Matcher m = Pattern.compile("<g [^>]*class=.series-point.[^>]*>(\\s*<g [^>]*>)*\\s*<(path|circle|ellipse) ")
                    .matcher(svg);
            long k = 0;
            while (m.find()) {
                k++;
            }
            return k;
        }
    }

    /**
     * Parses the page strictly (as XML: the report is written as well-formed polyglot HTML, so any unbalanced tag
     * fails here) and returns its figures.
     */
    static List<Figure> figures(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setNamespaceAware(false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals("html", doc.getDocumentElement().getTagName());
        NodeList figs = doc.getElementsByTagName("figure");
        List<Figure> out = new ArrayList<>();
        Matcher m = Pattern.compile("<figure class=\"chart\"[^>]*>(.*?)</figure>", Pattern.DOTALL)
                .matcher(html);
        for (int i = 0; i < figs.getLength(); i++) {
            Element e = (Element) figs.item(i);
            assertEquals("chart", e.getAttribute("class"));
            assertEquals(1, e.getElementsByTagName("svg").getLength(), "one svg per figure");
            assertTrue(m.find());
            out.add(new Figure(
                    e.getAttribute("data-title"), Integer.parseInt(e.getAttribute("data-points")), m.group(1)));
        }
        assertFalse(m.find(), "every figure element was parsed");
        return out;
    }

    static void assertSelfContained(String html) {
        for (String forbidden : List.of("<script", "<link", "<img", "<iframe", "src=", "url(http", "@import")) {
            assertFalse(html.contains(forbidden), "the page holds " + forbidden);
        }
        // the only URLs are XML namespace names (xmlns attributes), never fetched
        Matcher m = Pattern.compile("(\\S*)=?[\"']?(https?://[^\"' )]+)").matcher(html);
        while (m.find()) {
            assertTrue(m.group(1).startsWith("xmlns"), "external reference " + m.group());
        }
    }

    static void assertEveryChartDrawn(List<Figure> figs) {
        for (Figure f : figs) {
            assertTrue(f.points() > 0, f.title() + " has no points");
            assertTrue(f.polylines() + f.dots() > 0, f.title() + " draws no data");
        }
    }

    static Figure titled(List<Figure> figs, String prefix) {
        return figs.stream()
                .filter(f -> f.title().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no chart '" + prefix + "' among "
                        + figs.stream().map(Figure::title).toList()));
    }

    @Test
    void runReportHasOneChartPerFigureWithPredictionsOverlaid() throws Exception {
        Path run = Folders.run(tmp.resolve("run"), 24, 12, 64, 40, true);
        Report.Page page = Report.write(run, null);
        assertEquals(Report.Kind.RUN, page.kind());
        String html = Files.readString(run.resolve("report.html"));
        assertEquals(page.html(), html);
        assertSelfContained(html);
        List<Figure> figs = figures(html);
        // loss, rate, distance, pattern, λ_min(H), step time, spectrum, projections
        assertEquals(
                List.of(
                        "Training loss",
                        "Observed contraction per step",
                        "Distance from initialisation",
                        "Activation-pattern change",
                        "lambda_min_H",
                        "Wall time per step",
                        "Spectrum of the Gram matrix (spectrum)",
                        "Projections projections = (vᵢᵀ·)² on the eigenvectors"),
                figs.stream().map(Figure::title).toList());
        assertEquals(figs.size(), page.charts());
        assertEveryChartDrawn(figs);
        Figure loss = titled(figs, "Training loss");
        assertTrue(loss.svg().contains(">pred_du_bound<"), "the prediction is drawn over the loss");
        assertEquals(2, loss.polylines(), "loss and its prediction");
        assertEquals(41 + 9, loss.points(), "41 rows of loss, the prediction on rows 0, 5, …, 40");
        assertTrue(titled(figs, "Observed").svg().contains("1 − ηλ₀/2 (Du et al.)"));
        Figure dist = titled(figs, "Distance");
        assertTrue(dist.svg().contains(">radius_R<")
                && dist.svg().contains(">w_dist_max_row<")
                && dist.svg().contains(">w_dist_fro<"));
        assertFalse(dist.svg().contains(">a_dist<"), "a_dist is 0 throughout (a fixed): nothing to show on a log axis");
        Figure lambda = titled(figs, "lambda_min_H");
        assertEquals(9 + 2 + 2, lambda.points(), "rows 0, 5, …, 40 plus the two reference lines λ₀, λ₀/2");
        assertTrue(html.contains("<th>lambda_0</th>"), "theory.json values as a table");
    }

    @Test
    void runWithoutTheoryHasTheMeasuredChartsOnly() throws Exception {
        Path run = Folders.run(tmp.resolve("plain"), 16, 8, 32, 10, false);
        List<Figure> figs = figures(Report.render(run).html());
        assertEquals(
                List.of(
                        "Training loss",
                        "Observed contraction per step",
                        "Distance from initialisation",
                        "Activation-pattern change",
                        "Wall time per step"),
                figs.stream().map(Figure::title).toList());
        assertEveryChartDrawn(figs);
    }

    @Test
    void reproductionReportOverlaysOneLinePerWidthAndRendersTheSummaryTable() throws Exception {
        Path dir = Folders.reproduction(tmp.resolve("du2019"));
        Report.Page page = Report.write(dir, tmp.resolve("elsewhere/du.html"));
        assertEquals(Report.Kind.REPRODUCTION, page.kind());
        assertTrue(Files.isRegularFile(tmp.resolve("elsewhere/du.html")));
        assertFalse(Files.exists(dir.resolve("report.html")));
        String html = page.html();
        assertSelfContained(html);
        assertTrue(html.contains("&lt;script&gt;"), "raw HTML in summary.md is shown, not run");
        assertTrue(
                html.contains("<th align=\"right\">final loss</th>")
                        || html.contains("<th style=\"text-align: right\">final loss</th>")
                        || html.contains(">final loss</th>"),
                "summary.md's table is an HTML table");
        assertTrue(html.contains("<td align=\"right\">0.012</td>") || html.contains(">0.012</td>"));
        List<Figure> figs = figures(html);
        assertEveryChartDrawn(figs);
        Figure loss = titled(figs, "Training loss");
        for (String run : List.of("m16", "m32", "m64")) {
            assertTrue(loss.svg().contains(">" + run + "<"), run + " in the loss overlay");
            assertTrue(loss.svg().contains(">" + run + " · pred_du_bound<"), run + "'s prediction in the loss overlay");
        }
        assertEquals(6, loss.polylines());
        // series: loss.csv (comparable columns: one chart) and final_vs_width.csv (loss vs pattern: one chart each)
        assertEquals(1, figs.stream().filter(f -> f.title().equals("loss")).count());
        titled(figs, "final_vs_width: final_loss");
        titled(figs, "final_vs_width: pattern_change");
        assertTrue(html.contains("<th>run</th>") && html.contains(">m64</td>"), "the runs table");
    }

    @Test
    void theReproducedFigureOpensThePageWithThePapersValuesAsMarkers() throws Exception {
        Path dir = Folders.reproduction(tmp.resolve("fig"));
        Files.writeString(
                dir.resolve("series/panel_b.csv"),
                "width,pattern_change,paper_pattern_change\n500,0.027,0.0185\n1000,0.02,0.015\n2000,0.013,0.0115\n");
        Map<String, Object> rep = widenet.train.internal.Json.read(dir.resolve("reproduction.json"));
        rep.put(
                "figure",
                Map.of(
                        "caption",
                        "Figure 1 (b): pattern change",
                        "source",
                        "Du et al. 2019, Figure 1, read from the figure",
                        "panels",
                        List.of(Map.of(
                                "title",
                                "(b) pattern change",
                                "file",
                                "series/panel_b.csv",
                                "log_x",
                                true,
                                "log_y",
                                false))));
        widenet.train.internal.Json.write(dir.resolve("reproduction.json"), rep);
        String html = Report.render(dir).html();
        int figure = html.indexOf("Figure: Figure 1 (b)"), settings = html.indexOf(">Settings<");
        assertTrue(figure > 0 && settings > figure, "the figure comes before the settings");
        List<Figure> figs = figures(html);
        Figure panel = figs.get(0);
        assertEquals("(b) pattern change", panel.title(), "the first chart is the figure's panel");
        assertEquals(1, panel.polylines(), "widenet's curve is a line");
        assertTrue(panel.dots() >= 3, "the paper's three values are markers: " + panel.dots());
        assertTrue(html.contains("read from the figure"), "the source of the paper's values is named");
        assertEquals(
                0,
                figs.stream().filter(f -> f.title().startsWith("panel_b")).count(),
                "the panel's file is not drawn again among the series");
        assertTrue(html.indexOf("class=\"charts panels\"") < settings, "panels side by side");

        rep.put("figure", Map.of("panels", List.of(Map.of("file", "series/missing.csv"))));
        widenet.train.internal.Json.write(dir.resolve("reproduction.json"), rep);
        InputException e = assertThrows(InputException.class, () -> Report.render(dir));
        assertTrue(e.getMessage().contains("series/missing.csv"), e.getMessage());
    }

    @Test
    void seriesNamedAfterTheirFileShareOneChartWhateverTheirSizes() throws Exception {
        Path dir = Folders.reproduction(tmp.resolve("deep"));
        // one quantity per run, 10⁶ apart (a run that converged and one that stalled): still one chart
        Files.writeString(
                dir.resolve("series/gram.csv"), "step,gram_n1_64,gram_n1_256\n0,1e-6,1\n10,2e-6,2\n20,3e-6,3\n");
        // two quantities 10⁶ apart: one chart each
        Files.writeString(dir.resolve("series/mixed.csv"), "step,small,large\n0,1e-6,1\n10,2e-6,2\n20,3e-6,3\n");
        List<Figure> figs = figures(Report.render(dir).html());
        assertEveryChartDrawn(figs);
        assertEquals(2, titled(figs, "gram").polylines());
        titled(figs, "mixed: small");
        titled(figs, "mixed: large");
    }

    @Test
    void sweepReportShowsTheFitAgainstTheTheorems() throws Exception {
        Path dir = Folders.sweep(tmp.resolve("sweep"));
        Report.Page page = Report.write(dir, null);
        assertEquals(Report.Kind.SWEEP, page.kind());
        String html = page.html();
        assertSelfContained(html);
        List<Figure> figs = figures(html);
        assertEquals(
                List.of(
                        "Smallest width that reaches the target, m_min(n)",
                        "Loss ratio reached by each cell",
                        "Steps to reach the target"),
                figs.stream().map(Figure::title).toList());
        assertEveryChartDrawn(figs);
        Figure m = figs.get(0);
        assertTrue(m.svg().contains(">fit: α = "), "the fitted line");
        for (String ref : List.of("n^6", "n^2", "n^1")) {
            assertTrue(m.svg().contains(">" + ref + " ("), ref + " reference slope");
        }
        assertTrue(m.dots() >= 6, "a dot per (n, seed) chain");
        assertTrue(html.contains("<th>alpha</th>") && html.contains("inside the 95 % CI"));
        assertTrue(figs.get(1).svg().contains(">target ρ<"));
    }

    @Test
    void badInputIsOneLineNamingFileAndLine() throws Exception {
        InputException e = assertThrows(InputException.class, () -> Report.render(tmp.resolve("missing")));
        assertTrue(e.getMessage().endsWith("is not a folder"), e.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(InputException.class, () -> Report.render(empty));
        assertTrue(e.getMessage().contains("not a widenet run, reproduction or sweep folder"), e.getMessage());

        Path run = Folders.run(tmp.resolve("run"), 8, 4, 8, 4, false);
        List<String> lines = new ArrayList<>(Files.readAllLines(run.resolve("metrics.csv")));
        List<String> original = List.copyOf(lines);
        lines.set(2, lines.get(2).substring(0, lines.get(2).lastIndexOf(',')));
        Files.write(run.resolve("metrics.csv"), lines);
        e = assertThrows(InputException.class, () -> Report.render(run));
        assertTrue(e.getMessage().contains("metrics.csv:3: expected 10 fields"), e.getMessage());

        lines = new ArrayList<>(original);
        lines.set(3, lines.get(3).replaceFirst("^(\\d+),([^,]*),([^,]*),", "$1,$2,abc,"));
        Files.write(run.resolve("metrics.csv"), lines);
        e = assertThrows(InputException.class, () -> Report.render(run));
        assertTrue(e.getMessage().contains("metrics.csv:4: column loss: 'abc' is not a number"), e.getMessage());

        Files.write(run.resolve("metrics.csv"), original);
        Files.writeString(
                run.resolve("run.json"), "{\n  \"status\": \"finished\",\n  \"settings\": {\n    \"n\": 4,,\n  }\n}\n");
        e = assertThrows(InputException.class, () -> Report.render(run));
        assertTrue(e.getMessage().contains("run.json") && e.getMessage().contains("line 4"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Path rep = Folders.reproduction(tmp.resolve("rep"));
        Files.writeString(rep.resolve("reproduction.json"), "{\"name\": \"x\", \"runs\": [\"m16\", \"m999\"]}");
        e = assertThrows(InputException.class, () -> Report.render(rep));
        assertTrue(e.getMessage().contains("lists run 'm999'"), e.getMessage());
        Files.writeString(rep.resolve("reproduction.json"), "{\"name\": \"x\", \"runs\": [\"../../etc\"]}");
        e = assertThrows(InputException.class, () -> Report.render(rep));
        assertTrue(e.getMessage().contains("lists run '../../etc'"), e.getMessage());
    }

    @Test
    void columnsFindTheirCharts() {
        assertEquals("distance", MetricCharts.groupOf("w_dist_max_row"));
        assertEquals("distance", MetricCharts.groupOf("w2_dist_scaled"));
        assertEquals("pattern", MetricCharts.groupOf("pattern_change2"));
        assertEquals("w#_norm2", MetricCharts.groupOf("w1_norm2"), "per-layer columns share a chart");
        assertEquals("w#_norm2", MetricCharts.groupOf("w12_norm2"));
        assertEquals("lambda_min_H", MetricCharts.groupOf("lambda_min_H"));
        List<String> cols =
                List.of("step", "loss", "w_dist_max_row", "pred_du_bound", "pred_w_dist_max_row", "radius_R");
        assertEquals("loss", MetricCharts.companionOf("pred_du_bound", cols));
        assertEquals("w_dist_max_row", MetricCharts.companionOf("pred_w_dist_max_row", cols));
        assertEquals("w_dist_max_row", MetricCharts.companionOf("radius_R", cols));
        assertEquals(null, MetricCharts.companionOf("loss", cols));
        List<String> kernel =
                List.of("step", "loss", "test_loss", "pred_loss_ntk0", "pred_test_loss_ntk0", "pred_test_loss_inf");
        assertEquals("loss", MetricCharts.companionOf("pred_loss_ntk0", kernel));
        assertEquals(
                "test_loss", MetricCharts.companionOf("pred_test_loss_ntk0", kernel), "the kernel's suffix is dropped");
        assertEquals("test_loss", MetricCharts.companionOf("pred_test_loss_inf", kernel));
        assertEquals("test_loss", MetricCharts.groupOf("test_loss"));
        assertTrue(MetricCharts.autoLog(new double[] {1e-3, Double.NaN, 2}));
        assertFalse(MetricCharts.autoLog(new double[] {0, 1, 1000}), "zero cannot go on a log axis");
        assertFalse(MetricCharts.autoLog(new double[] {1, 50}), "less than two decades");
    }

    @Test
    void numbersAndTicksReadWell() throws IOException {
        assertEquals("1e-3", Numbers.tick(0.0009999999999999998 + 1e-19));
        assertEquals("0.95", Numbers.tick(0.95));
        assertEquals("200", Numbers.tick(200));
        assertEquals("1000", Numbers.tick(1000.0000000000001));
        assertEquals("2.5", Numbers.tick(2.5));
        assertEquals("2000", Numbers.cell(2000));
        assertEquals("0.125", Numbers.cell(0.125));
        assertEquals("1.2346e-07", Numbers.cell(1.23456e-7));
    }
}
