package widenet.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import widenet.train.InputException;

/**
 * The report of a sweep folder (sweep.json, sweep.csv, cells.csv, summary.md): the settings, the fit against the
 * theorems' exponents, m_min against n on log-log axes with the fitted line and the reference slopes, and what
 * every cell found (loss ratio and steps to the target against the width).
 */
final class SweepPage {
    private SweepPage() {}

    static void build(Html page, Path dir) {
        Path file = dir.resolve("sweep.json");
        Map<String, Object> sweep = JsonValues.read(file);
        Map<String, Object> settings = JsonValues.object(sweep, "settings", file);
        Map<String, Object> fit = JsonValues.object(sweep, "fit", file);
        CsvTable chains =
                Files.isRegularFile(dir.resolve("sweep.csv")) ? CsvTable.read(dir.resolve("sweep.csv")) : null;
        CsvTable cells = Files.isRegularFile(dir.resolve("cells.csv")) ? CsvTable.read(dir.resolve("cells.csv")) : null;
        if (chains != null) {
            for (String c : List.of("n", "seed", "m_min", "status")) {
                if (!chains.has(c)) {
                    throw new InputException(chains.file() + ":1: no '" + c + "' column in the header");
                }
            }
            chains.requireNumeric(List.of("n", "seed", "m_min"));
        }
        if (cells != null) {
            for (String c : List.of("n", "width", "loss_ratio", "step_reached")) {
                if (!cells.has(c)) {
                    throw new InputException(cells.file() + ":1: no '" + c + "' column in the header");
                }
            }
            cells.requireNumeric(List.of("n", "width", "loss_ratio", "step_reached"));
        }

        String status = sweep.get("status") instanceof String s ? s : "?";
        page.heading(
                "widenet sweep · " + RunPage.name(dir),
                "How wide is wide enough: " + status
                        + (sweep.get("wall_seconds") instanceof Number w
                                ? String.format(Locale.ROOT, " · %.1f s wall time", w.doubleValue())
                                : "")
                        + (sweep.get("cells_computed") instanceof Number c ? " · " + c + " cells trained" : "")
                        + (sweep.get("cells_reused") instanceof Number r ? ", " + r + " read back" : ""));
        page.section("Settings");
        page.keyValues(null, JsonValues.flatten(settings));
        Map<String, Object> other = new LinkedHashMap<>();
        for (String k :
                List.of("criterion", "cells_at_once", "cores", "java", "widenet_version", "command", "widths")) {
            if (sweep.containsKey(k)) {
                other.put(k, sweep.get(k));
            }
        }
        page.keyValues(null, JsonValues.flatten(other));
        JsonValues.addTables(page, other);

        page.section("Exponent of m_min ∝ n^α");
        if (fit.isEmpty()) {
            page.paragraph("No fit: "
                    + ("finished".equals(status)
                            ? "too few chains with m_min inside the width grid."
                            : "the sweep has not finished."));
        } else {
            page.keyValues(null, JsonValues.flatten(fit));
            if (sweep.get("references") instanceof List<?> refs) {
                List<List<String>> rows = new ArrayList<>();
                for (Object o : refs) {
                    if (o instanceof Map<?, ?> m) {
                        Object inside = m.get("inside_ci95");
                        rows.add(List.of(
                                String.valueOf(m.get("label")),
                                JsonValues.format(m.get("exponent")),
                                inside == null ? "–" : (Boolean) inside ? "yes" : "no"));
                    }
                }
                page.table(List.of("theorem's requirement", "exponent", "inside the 95 % CI"), rows);
            }
        }
        if (chains != null) {
            page.chart(
                    widthChart(sweep, fit, chains),
                    "Each dot one (n, seed) chain's m_min; the line through the medians; "
                            + "the least-squares fit and, dashed, the theorems' slopes drawn through the centre of the fitted points. Log-log.");
        }
        if (cells != null) {
            double target = JsonValues.number(settings, "target_ratio");
            page.chart(
                    ratioChart(cells, target),
                    "Every cell the searches trained: L(k)/L(0) at its last step (the first step at or "
                            + "below ρ, or the budget K). One colour per n; log-log.");
            page.chart(
                    stepsChart(cells), "Steps to reach ρ for the cells that reached it, against the width; log-log.");
        }
        if (Files.isRegularFile(dir.resolve("summary.md"))) {
            page.section("Summary (summary.md)");
            page.markdown(Markdown.toHtml(ReproductionPage.read(dir.resolve("summary.md"))));
        }
    }

    private static Chart widthChart(Map<String, Object> sweep, Map<String, Object> fit, CsvTable chains) {
        Chart c = new Chart("Smallest width that reaches the target, m_min(n)", "n (samples)", "m_min")
                .logX(true)
                .logY(true);
        double[] n = chains.numbers("n"), m = chains.numbers("m_min");
        List<Double> fx = new ArrayList<>(), fy = new ArrayList<>(), cx = new ArrayList<>(), cy = new ArrayList<>();
        for (int i = 0; i < n.length; i++) {
            String s = chains.text(i, "status");
            (s.equals("found") ? fx : cx).add(n[i]);
            (s.equals("found") ? fy : cy).add(m[i]);
        }
        c.add("m_min(n, seed)", unbox(fx), unbox(fy), Chart.Style.POINTS, Chart.color(0));
        if (!cx.isEmpty()) {
            c.add("≤ smallest grid width (censored)", unbox(cx), unbox(cy), Chart.Style.POINTS, Chart.color(7));
        }
        List<Double> mx = new ArrayList<>(), my = new ArrayList<>();
        if (sweep.get("m_min") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> e
                        && e.get("n") instanceof Number nn
                        && e.get("median") instanceof Number md) {
                    mx.add(nn.doubleValue());
                    my.add(md.doubleValue());
                }
            }
        }
        c.add("median over seeds", unbox(mx), unbox(my), Chart.Style.LINE_POINTS, Chart.color(1));
        double lo = Double.POSITIVE_INFINITY, hi = 0, nLo = Double.POSITIVE_INFINITY, nHi = 0;
        for (int i = 0; i < n.length; i++) {
            if (Double.isFinite(m[i]) && m[i] > 0) {
                lo = Math.min(lo, m[i]);
                hi = Math.max(hi, m[i]);
                nLo = Math.min(nLo, n[i]);
                nHi = Math.max(nHi, n[i]);
            }
        }
        double alpha = JsonValues.number(fit, "alpha"), intercept = JsonValues.number(fit, "intercept_ln");
        if (Double.isFinite(alpha) && Double.isFinite(intercept) && !fx.isEmpty()) {
            double[] xs = {nLo, nHi};
            c.add(
                    String.format(Locale.ROOT, "fit: α = %.2f", alpha),
                    xs,
                    new double[] {
                        Math.exp(intercept + alpha * Math.log(nLo)), Math.exp(intercept + alpha * Math.log(nHi))
                    },
                    Chart.Style.LINE,
                    Chart.color(3));
            // the centre of the fitted points lies on the least-squares line
            double lnC = 0;
            for (double v : unbox(fx)) {
                lnC += Math.log(v) / fx.size();
            }
            double mC = Math.exp(intercept + alpha * lnC), nC = Math.exp(lnC);
            if (sweep.get("references") instanceof List<?> refs) {
                int k = 0;
                for (Object o : refs) {
                    if (o instanceof Map<?, ?> r && r.get("exponent") instanceof Number e) {
                        double ex = e.doubleValue();
                        c.add(
                                "n^" + Numbers.cell(ex) + " (" + shortLabel(String.valueOf(r.get("label"))) + ")",
                                xs,
                                new double[] {mC * Math.pow(nLo / nC, ex), mC * Math.pow(nHi / nC, ex)},
                                k++ % 2 == 0 ? Chart.Style.DASHED : Chart.Style.DOTTED,
                                Chart.color(4 + k));
                    }
                }
            }
        }
        if (hi > 0) {
            c.yRange(lo / 4, hi * 4); // keep the data readable; steep reference lines leave the plot
        }
        return c;
    }

    private static String shortLabel(String label) {
        int colon = label.indexOf(':');
        return colon > 0 ? label.substring(0, colon) : label;
    }

    private static Chart ratioChart(CsvTable cells, double target) {
        Chart c = new Chart("Loss ratio reached by each cell", "width m", "L(k)/L(0)")
                .logX(true)
                .logY(true);
        Map<Double, List<double[]>> byN = perN(cells, "loss_ratio");
        int k = 0;
        double wLo = Double.POSITIVE_INFINITY, wHi = 0;
        for (Map.Entry<Double, List<double[]>> e : byN.entrySet()) {
            double[] w = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] r = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            for (double v : w) {
                wLo = Math.min(wLo, v);
                wHi = Math.max(wHi, v);
            }
            c.add("n = " + Numbers.cell(e.getKey()), w, r, Chart.Style.POINTS, Chart.color(k++));
        }
        if (Double.isFinite(target) && wHi > 0) {
            c.horizontal("target ρ", target, wLo, wHi);
        }
        return c;
    }

    private static Chart stepsChart(CsvTable cells) {
        Chart c = new Chart("Steps to reach the target", "width m", "first k with L(k)/L(0) ≤ ρ")
                .logX(true)
                .logY(true);
        int k = 0;
        for (Map.Entry<Double, List<double[]>> e : perN(cells, "step_reached").entrySet()) {
            List<double[]> pts = e.getValue().stream()
                    .filter(p -> Double.isFinite(p[1]))
                    .sorted((a, b) -> Double.compare(a[0], b[0]))
                    .toList();
            c.add(
                    "n = " + Numbers.cell(e.getKey()),
                    pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(),
                    Chart.Style.POINTS,
                    Chart.color(k++));
        }
        return c;
    }

    private static Map<Double, List<double[]>> perN(CsvTable cells, String column) {
        double[] n = cells.numbers("n"), w = cells.numbers("width"), v = cells.numbers(column);
        Map<Double, List<double[]>> out = new TreeMap<>();
        for (int i = 0; i < n.length; i++) {
            out.computeIfAbsent(n[i], x -> new ArrayList<>()).add(new double[] {w[i], v[i]});
        }
        return out;
    }

    private static double[] unbox(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
