package widenet.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import widenet.train.InputException;

/**
 * The report of a reproduction folder: first the paper's figure as reproduced (reproduction.json's {@code figure},
 * the paper's values overlaid), then reproduction.json (settings, checks), summary.md, the runs side by side (one
 * line per run on every metrics chart), theory.json and the other series/*.csv.
 */
final class ReproductionPage {
    private ReproductionPage() {}

    static void build(Html page, Path dir) {
        Path file = dir.resolve("reproduction.json");
        Map<String, Object> rep = JsonValues.read(file);
        List<String> runNames = new ArrayList<>();
        if (rep.get("runs") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof String s) {
                    runNames.add(s);
                } else if (o instanceof Map<?, ?> m && m.get("name") instanceof String s) {
                    runNames.add(s);
                } else {
                    throw new InputException(
                            file + ": \"runs\" should list run folder names, found " + JsonValues.kind(o));
                }
            }
        } else if (rep.containsKey("runs")) {
            throw new InputException(file + ": \"runs\" should be an array, found " + JsonValues.kind(rep.get("runs")));
        }
        Map<String, CsvTable> metrics = new LinkedHashMap<>();
        Map<String, Map<String, Object>> runJson = new LinkedHashMap<>();
        for (String r : runNames) {
            Path runDir = dir.resolve(r).normalize();
            if (!runDir.startsWith(dir.normalize()) || !Files.isRegularFile(runDir.resolve("metrics.csv"))) {
                throw new InputException(
                        file + " lists run '" + r + "' but " + runDir.resolve("metrics.csv") + " does not exist");
            }
            CsvTable t = CsvTable.read(runDir.resolve("metrics.csv"));
            RunPage.checkMetrics(t);
            metrics.put(r, t);
            runJson.put(
                    r,
                    Files.isRegularFile(runDir.resolve("run.json"))
                            ? JsonValues.read(runDir.resolve("run.json"))
                            : Map.of());
        }
        Map<String, Object> theory = Files.isRegularFile(dir.resolve("theory.json"))
                ? JsonValues.read(dir.resolve("theory.json"))
                : Map.of();

        String name = rep.get("name") instanceof String s ? s : RunPage.name(dir);
        page.heading("widenet reproduction · " + name, rep.get("paper") instanceof String p ? p : null);
        Map<String, Object> head = new LinkedHashMap<>(rep);
        head.remove("runs");
        head.remove("paper");
        Map<String, Object> checks = JsonValues.object(rep, "checks", file);
        head.remove("checks");
        Set<Path> inFigure = FigureSection.add(page, dir, rep, file);
        head.remove("figure");
        page.section("Settings");
        page.keyValues(null, JsonValues.flatten(head));
        if (!checks.isEmpty()) {
            page.keyValues("Checks", JsonValues.flatten(checks));
        }
        JsonValues.addTables(page, head);
        if (Files.isRegularFile(dir.resolve("summary.md"))) {
            page.section("Summary (summary.md)");
            page.markdown(Markdown.toHtml(read(dir.resolve("summary.md"))));
        }
        if (!runNames.isEmpty()) {
            page.section("Runs");
            List<List<String>> rows = new ArrayList<>();
            for (String r : runNames) {
                Map<String, Object> j = runJson.get(r);
                Map<String, Object> s =
                        JsonValues.object(j, "settings", dir.resolve(r).resolve("run.json"));
                // the two-layer and implicit models have one width m; deep networks a list d,n1,…,nL
                Object width = s.get("width") != null ? s.get("width") : s.get("widths");
                rows.add(List.of(
                        r,
                        JsonValues.format(width),
                        JsonValues.format(j.get("status")),
                        JsonValues.format(j.get("steps_done")),
                        fmtLoss(j.get("final_loss")),
                        JsonValues.format(j.get("train_seconds")),
                        Integer.toString(metrics.get(r).size())));
            }
            page.table(
                    List.of(
                            "run",
                            "width m (deep: widths)",
                            "status",
                            "steps",
                            "final loss",
                            "train s",
                            "metrics rows"),
                    rows);
            page.section("Curves, one line per run");
            for (Map.Entry<Chart, String> c : MetricCharts.charts(metrics, theory)) {
                page.chart(c.getKey(), c.getValue());
            }
        }
        TheorySection.add(page, dir.resolve("theory.json"), theory);
        Path series = dir.resolve("series");
        if (Files.isDirectory(series)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(series)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".csv") && !inFigure.contains(p.normalize()))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new InputException("cannot list " + widenet.files.FileErrors.describe(series, e), e);
            }
            if (!files.isEmpty()) {
                page.section("Series (series/*.csv)");
                for (Path f : files) {
                    for (Chart c : SeriesCharts.of(CsvTable.read(f))) {
                        page.chart(c, SeriesCharts.caption(c, f));
                    }
                }
            }
        }
    }

    private static String fmtLoss(Object o) {
        if (o instanceof String s) {
            try {
                return Numbers.cell(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                return s;
            }
        }
        return JsonValues.format(o);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new InputException("cannot read " + widenet.files.FileErrors.describe(file, e), e);
        }
    }
}
