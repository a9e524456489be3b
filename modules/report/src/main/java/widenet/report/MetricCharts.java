package widenet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The charts of metrics.csv columns, for one run or overlaid for several (one colour per run):
 * <ul>
 *   <li>{@code loss} on a log axis; {@code rate} on a log axis with Du et al.'s 1 − ηλ₀/2 ({@code du_rate} of
 *       theory.json) as a line; every column with "dist" in its name on one log-axis chart (distance from
 *       initialisation); {@code pattern*} on a linear axis; {@code lambda_min*} with λ₀ and λ₀/2; any other
 *       column on its own chart (per-layer columns such as w1_norm2, w2_norm2 together, as w#_norm2), on a log
 *       axis when all its values are positive and span two decades or more;
 *       {@code step_ms} last.</li>
 *   <li>Predictions are drawn dashed over what they predict: {@code pred_X} over column X when there is one,
 *       otherwise over the loss (the theory's predictions are in loss units); {@code radius_R} (Du et al.'s R′)
 *       over {@code w_dist_max_row}.</li>
 * </ul>
 */
final class MetricCharts {
    private static final Set<String> AXIS_COLUMNS = Set.of("step", "epoch", "time_s");

    private MetricCharts() {}

    /**
     * What a predicted column is drawn against, or null when the column is measured: {@code pred_X} over X, else over
     * X without its trailing {@code _suffix}es (the kernel named there: {@code pred_test_loss_ntk0} over
     * {@code test_loss}), else over the loss.
     */
    static String companionOf(String column, List<String> columns) {
        if (column.startsWith("pred_")) {
            for (String base = column.substring(5);
                    !base.isEmpty();
                    base = base.substring(0, Math.max(0, base.lastIndexOf('_')))) {
                if (columns.contains(base)) {
                    return base;
                }
            }
            return columns.contains("loss") ? "loss" : null;
        }
        if (column.equals("radius_R") && columns.contains("w_dist_max_row")) {
            return "w_dist_max_row";
        }
        return null;
    }

    /** The chart a measured column belongs to. */
    static String groupOf(String column) {
        if (column.equals("loss") || column.equals("rate") || column.equals("step_ms")) {
            return column;
        }
        if (column.contains("dist")) {
            return "distance";
        }
        if (column.startsWith("pattern")) {
            return "pattern";
        }
        // per-layer columns of deep networks (w1_norm2, w2_norm2, …) share a chart: the layer number becomes '#'
        return column.matches("[A-Za-z_]*\\d+.*") ? column.replaceFirst("\\d+", "#") : column;
    }

    private record Group(String title, String yLabel, Boolean log, String caption) {}

    private static Group describe(String group) {
        return switch (group) {
            case "loss" -> new Group("Training loss", "L(W(k))", true, "Loss on all n samples (log scale).");
            case "rate" ->
                new Group(
                        "Observed contraction per step",
                        "(L(k)/L(k′))^(1/(k−k′))",
                        true,
                        "Per-step loss ratio since the previous row (log scale); Du et al. bound it by 1 − ηλ₀/2 when that is known.");
            case "distance" ->
                new Group(
                        "Distance from initialisation",
                        "distance",
                        true,
                        "‖W(k) − W(0)‖_F, max_r ‖w_r(k) − w_r(0)‖ (Figure 1c of Du et al.) and the like (log scale); dashed: R′ = 4√n‖y − u(0)‖/(√m λ₀) when present.");
            case "pattern" ->
                new Group(
                        "Activation-pattern change",
                        "fraction of (i, r) flipped",
                        false,
                        "(1/(mn)) Σᵢ Σ_r 1{sign(w_r(0)ᵀxᵢ) ≠ sign(w_r(k)ᵀxᵢ)} (Figure 1b of Du et al.), linear scale.");
            case "test_loss" ->
                new Group(
                        "Held-out loss",
                        "test loss",
                        true,
                        "The training loss's definition on the test set (--test-x/--test-y or --test-n), log scale.");
            case "test_error" ->
                new Group(
                        "Held-out error",
                        "fraction misclassified",
                        false,
                        "Fraction of test points with sign f(x) ≠ y (±1 labels).");
            case "step_ms" -> new Group("Wall time per step", "ms", false, "Wall time of the step k−1 → k.");
            default ->
                group.startsWith("lambda_min")
                        ? new Group(
                                group,
                                group,
                                false,
                                "Measured every few steps; reference lines λ₀ = λ_min(H∞) and λ₀/2 (Du et al. keep λ_min(H(k)) ≥ λ₀/2).")
                        : group.contains("#")
                                ? new Group(group + " (one line per layer)", group, null, null)
                                : new Group(group, group, null, null);
        };
    }

    /**
     * Charts for the named runs' metrics (insertion order of {@code runs}); {@code theory} (may be empty) supplies
     * reference lines. With one run, series are named by column; with several, by run (and column when a chart
     * holds more than one measured column).
     */
    static List<Map.Entry<Chart, String>> charts(Map<String, CsvTable> runs, Map<String, Object> theory) {
        List<String> order = new ArrayList<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        Map<String, List<String>> companions = new LinkedHashMap<>();
        for (CsvTable t : runs.values()) {
            for (String c : t.columns()) {
                if (AXIS_COLUMNS.contains(c) || companionOf(c, t.columns()) != null) {
                    continue;
                }
                String g = groupOf(c);
                if (!members.containsKey(g)) {
                    members.put(g, new ArrayList<>());
                    order.add(g);
                }
                if (!members.get(g).contains(c)) {
                    members.get(g).add(c);
                }
            }
            for (String c : t.columns()) {
                String base = companionOf(c, t.columns());
                if (base != null) {
                    List<String> list = companions.computeIfAbsent(groupOf(base), k -> new ArrayList<>());
                    if (!list.contains(c)) {
                        list.add(c);
                    }
                }
            }
        }
        order.remove("step_ms");
        List<String> sorted = new ArrayList<>();
        for (String g : List.of("loss", "rate", "distance", "pattern")) {
            if (order.remove(g)) {
                sorted.add(g);
            }
        }
        sorted.addAll(order);
        if (members.containsKey("step_ms")) {
            sorted.add("step_ms");
        }

        boolean multi = runs.size() > 1;
        List<Map.Entry<Chart, String>> out = new ArrayList<>();
        for (String g : sorted) {
            Group d = describe(g);
            List<String> cols = members.get(g);
            List<String> preds = companions.getOrDefault(g, List.of());
            boolean log = d.log() != null ? d.log() : autoLog(runs, cols);
            Chart chart = new Chart(d.title() + (multi ? " (one colour per run)" : ""), "step k", d.yLabel()).logY(log);
            int colour = 0;
            double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, CsvTable> run : runs.entrySet()) {
                CsvTable t = run.getValue();
                double[] x = t.numbers("step");
                for (double v : x) {
                    xMin = Math.min(xMin, v);
                    xMax = Math.max(xMax, v);
                }
                int runColour = colour;
                for (String c : cols) {
                    if (!t.has(c) || allNaN(t.numbers(c))) {
                        continue;
                    }
                    String name = multi ? (cols.size() > 1 ? run.getKey() + " · " + c : run.getKey()) : c;
                    chart.add(
                            name,
                            x,
                            t.numbers(c),
                            Chart.Style.LINE,
                            Chart.color(multi ? runColour + cols.indexOf(c) * runs.size() : colour));
                    if (!multi) {
                        colour++;
                    }
                }
                int dash = 0;
                for (String p : preds) {
                    if (!t.has(p) || allNaN(t.numbers(p))) {
                        continue;
                    }
                    String name = multi ? run.getKey() + " · " + p : p;
                    chart.add(
                            name,
                            x,
                            t.numbers(p),
                            dash++ % 2 == 0 ? Chart.Style.DASHED : Chart.Style.DOTTED,
                            Chart.color(multi ? runColour : colour++));
                }
                if (multi) {
                    colour++;
                }
            }
            String caption = d.caption();
            if (Double.isFinite(xMin)) {
                if (g.equals("rate") && Double.isFinite(JsonValues.number(theory, "du_rate"))) {
                    chart.horizontal("1 − ηλ₀/2 (Du et al.)", JsonValues.number(theory, "du_rate"), xMin, xMax);
                }
                double lambda0 = JsonValues.number(theory, "lambda_0");
                if (g.startsWith("lambda_min") && Double.isFinite(lambda0)) {
                    chart.horizontal("λ₀", lambda0, xMin, xMax);
                    chart.horizontal("λ₀/2", lambda0 / 2, xMin, xMax);
                }
            }
            if (!preds.isEmpty()) {
                caption = (caption == null ? "" : caption + " ") + "Dashed/dotted: " + String.join(", ", preds) + ".";
            }
            if (caption == null) {
                caption = log ? "Log scale." : "Linear scale.";
            }
            out.add(Map.entry(chart, caption));
        }
        return out;
    }

    static boolean allNaN(double[] v) {
        for (double x : v) {
            if (!Double.isNaN(x)) {
                return false;
            }
        }
        return true;
    }

    /** Log scale when every finite value is positive and they span at least two decades. */
    static boolean autoLog(double[]... columns) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double[] c : columns) {
            for (double v : c) {
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (v <= 0) {
                    return false;
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi > 0 && hi / lo >= 100;
    }

    private static boolean autoLog(Map<String, CsvTable> runs, List<String> cols) {
        List<double[]> all = new ArrayList<>();
        for (CsvTable t : runs.values()) {
            for (String c : cols) {
                if (t.has(c)) {
                    all.add(t.numbers(c));
                }
            }
        }
        return autoLog(all.toArray(new double[0][]));
    }
}
