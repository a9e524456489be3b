package widenet.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The report of one run folder: run.json's settings, the metrics charts, theory.json. */
final class RunPage {
    private RunPage() {}

    static void build(Html page, Path dir) {
        Map<String, Object> run =
                Files.isRegularFile(dir.resolve("run.json")) ? JsonValues.read(dir.resolve("run.json")) : Map.of();
        Map<String, Object> theory = Files.isRegularFile(dir.resolve("theory.json"))
                ? JsonValues.read(dir.resolve("theory.json"))
                : Map.of();
        CsvTable metrics = CsvTable.read(dir.resolve("metrics.csv"));
        checkMetrics(metrics);

        String status = run.get("status") instanceof String s ? s : "no run.json";
        page.heading("widenet run · " + name(dir), status + (run.get("data") instanceof String d ? " · " + d : ""));
        Map<String, Object> settings = JsonValues.object(run, "settings", dir.resolve("run.json"));
        Map<String, Object> rest = new LinkedHashMap<>(run);
        rest.remove("settings");
        page.section("Settings");
        page.keyValues(null, JsonValues.flatten(settings));
        page.keyValues(null, JsonValues.flatten(rest));
        JsonValues.addTables(page, rest);

        page.section("Curves (" + metrics.size() + " rows of metrics.csv)");
        for (Map.Entry<Chart, String> c : MetricCharts.charts(Map.of(name(dir), metrics), theory)) {
            page.chart(c.getKey(), c.getValue());
        }
        TheorySection.add(page, dir.resolve("theory.json"), theory);
    }

    /** metrics.csv must have a step column and numbers everywhere (errors name the line). */
    static void checkMetrics(CsvTable metrics) {
        if (!metrics.has("step")) {
            throw new widenet.train.InputException(metrics.file() + ":1: no 'step' column in the header");
        }
        metrics.requireNumeric(metrics.columns());
    }

    static String name(Path dir) {
        Path f = dir.toAbsolutePath().normalize().getFileName();
        return f == null ? dir.toString() : f.toString();
    }
}
