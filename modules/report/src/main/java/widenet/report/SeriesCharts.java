package widenet.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Charts of a {@code series/*.csv} file: x is the first column, one line per other column. Against steps
 * ({@code step}, {@code k}, {@code epoch}) the columns are variants of one quantity (one per width, or measured
 * against predicted) and share one chart when they are all named after the file ({@code loss.csv}:
 * {@code loss_m500}, {@code loss_m1000}, …) or their sizes are comparable (medians of |value| within a factor
 * 1000); against anything else (a width, n) each column is its own quantity and gets its own chart. Scales:
 * names with "pattern" are linear; with "loss", "dist", "rate", "ratio" or "spectrum" logarithmic (non-positive
 * points dropped); otherwise log when the values are positive and span two decades. The x axis is logarithmic for
 * a width or sample-count axis ({@code width}, {@code m}, {@code n}) or positive values spanning two decades.
 */
final class SeriesCharts {
    private SeriesCharts() {}

    static List<Chart> of(CsvTable t) {
        t.requireNumeric(t.columns());
        String file = t.file().getFileName().toString().replaceFirst("\\.csv$", "");
        String xName = t.columns().get(0);
        double[] x = t.numbers(xName);
        boolean logX = switch (xName.toLowerCase(Locale.ROOT)) {
            case "width", "widths", "m", "n" ->
                Arrays.stream(x).filter(Double::isFinite).allMatch(v -> v > 0);
            default -> MetricCharts.autoLog(x);
        };
        List<String> ys = t.columns().subList(1, t.columns().size());
        List<Chart> out = new ArrayList<>();
        if (ys.isEmpty()) {
            return out;
        }
        boolean stepAxis = switch (xName.toLowerCase(Locale.ROOT)) {
            case "step", "k", "epoch", "steps" -> true;
            default -> false;
        };
        // columns named FILE_<variant> are one quantity per run (loss_n1_512, loss_n1_1024, …): always one chart
        boolean variants = ys.stream().allMatch(y -> y.startsWith(file + "_"));
        if (stepAxis && (variants || comparable(t, ys))) {
            Chart c = new Chart(file, xName, file).logX(logX).logY(logFor(file, t, ys));
            for (String y : ys) {
                c.add(y, x, t.numbers(y), Chart.Style.LINE);
            }
            out.add(c);
        } else {
            for (String y : ys) {
                out.add(new Chart(file + ": " + y, xName, y)
                        .logX(logX)
                        .logY(logFor(y, t, List.of(y)))
                        .add(y, x, t.numbers(y), x.length <= 12 ? Chart.Style.LINE_POINTS : Chart.Style.LINE));
            }
        }
        return out;
    }

    static boolean logFor(String name, CsvTable t, List<String> cols) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("pattern")) {
            return false;
        }
        if (n.contains("loss")
                || n.contains("dist")
                || n.contains("rate")
                || n.contains("ratio")
                || n.contains("spectrum")) {
            return true;
        }
        return MetricCharts.autoLog(cols.stream().map(t::numbers).toArray(double[][]::new));
    }

    private static boolean comparable(CsvTable t, List<String> cols) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (String c : cols) {
            double[] a = Arrays.stream(t.numbers(c))
                    .filter(v -> Double.isFinite(v) && v != 0)
                    .map(Math::abs)
                    .sorted()
                    .toArray();
            if (a.length == 0) {
                continue;
            }
            double med = a[a.length / 2];
            lo = Math.min(lo, med);
            hi = Math.max(hi, med);
        }
        return hi == 0 || hi / lo <= 1000;
    }

    static String caption(Chart c, Path file) {
        return "From " + file.getParent().getFileName() + "/" + file.getFileName()
                + (c.isLogY() ? "; log scale." : "; linear scale.");
    }
}
