package widenet.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ojalgo.random.TDistribution;

/**
 * Ordinary least squares of ln m on ln n: ln m = ln c + α ln n. The 95 % interval of α is t-based,
 * α̂ ± t_{0.975, N−2} · s / √Sxx with s² = SSE/(N−2), treating the N points (one per (n, seed) chain) as
 * independent with equal variance in ln m. The t quantile is ojAlgo's (within 0.1 % of tables for N−2 ≥ 1).
 */
public record LogLogFit(
        double alpha, double intercept, double stderr, double ciLow, double ciHigh, int points, double r2) {

    /** The fit, or null when it is not defined (fewer than 3 points or a single n). */
    public static LogLogFit of(double[] n, double[] m) {
        int k = n.length;
        if (k != m.length) {
            throw new IllegalArgumentException(k + " values of n, " + m.length + " of m");
        }
        if (k < 3) {
            return null;
        }
        double mx = 0, my = 0;
        for (int i = 0; i < k; i++) {
            mx += Math.log(n[i]);
            my += Math.log(m[i]);
        }
        mx /= k;
        my /= k;
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < k; i++) {
            double dx = Math.log(n[i]) - mx, dy = Math.log(m[i]) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx <= 0) {
            return null;
        }
        double alpha = sxy / sxx;
        double intercept = my - alpha * mx;
        double sse = Math.max(0, syy - alpha * sxy);
        double stderr = Math.sqrt(sse / (k - 2) / sxx);
        double t = TDistribution.of(k - 2).getQuantile(0.975);
        double r2 = syy > 0 ? 1 - sse / syy : 1;
        return new LogLogFit(alpha, intercept, stderr, alpha - t * stderr, alpha + t * stderr, k, r2);
    }

    /** m predicted at n: c · n^α. */
    public double predict(double n) {
        return Math.exp(intercept + alpha * Math.log(n));
    }

    public boolean contains(double exponent) {
        return exponent >= ciLow && exponent <= ciHigh;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", alpha);
        m.put("ci95", new double[] {ciLow, ciHigh});
        m.put("stderr", stderr);
        m.put("intercept_ln", intercept);
        m.put("points", points);
        m.put("dof", points - 2);
        m.put("r2", r2);
        return m;
    }
}
