package widenet.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * theory.json in a report: its named values as a table, and each numeric array as a chart against its index
 * (the spectrum of H∞ on a log scale, the projections (vᵢᵀy)², …).
 */
final class TheorySection {
    private TheorySection() {}

    static void add(Html page, Path file, Map<String, Object> theory) {
        if (theory.isEmpty()) {
            return;
        }
        page.section("Theory (" + file.getFileName() + ")");
        Map<String, Object> scalars = new LinkedHashMap<>();
        Map<String, double[]> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : theory.entrySet()) {
            double[] v = JsonValues.numbers(e.getValue());
            if (v != null && v.length > 12) {
                arrays.put(e.getKey(), v);
            } else {
                scalars.put(e.getKey(), e.getValue());
            }
        }
        page.keyValues(null, JsonValues.flatten(scalars));
        for (Map.Entry<String, double[]> a : arrays.entrySet()) {
            double[] y = a.getValue();
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            String key = a.getKey();
            boolean spectrum = key.equals("spectrum") || key.startsWith("spectrum");
            boolean log = spectrum || MetricCharts.autoLog(y);
            String title = spectrum
                    ? "Spectrum of the Gram matrix (" + key + ")"
                    : key.startsWith("projections") ? "Projections " + key + " = (vᵢᵀ·)² on the eigenvectors" : key;
            Chart c = new Chart(title, "index i (as stored: ascending eigenvalue order)", spectrum ? "λᵢ" : key)
                    .logY(log)
                    .add(key, x, y, y.length > 200 ? Chart.Style.LINE : Chart.Style.LINE_POINTS);
            int dropped = 0;
            for (double v : y) {
                if (log && !(v > 0)) {
                    dropped++;
                }
            }
            page.chart(
                    c,
                    (log ? "Log scale" : "Linear scale") + ", " + y.length + " values"
                            + (dropped > 0
                                    ? "; " + dropped + " non-positive value(s) cannot be shown on the log scale"
                                    : "")
                            + ".");
        }
    }
}
