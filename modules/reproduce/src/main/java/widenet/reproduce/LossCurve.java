package widenet.reproduce;

/**
 * What a reproduction reads from one run's loss column (rows at {@code step}): how far the loss fell, and whether it
 * fell geometrically, L(k) ≈ C·ρ^k, as the papers' linear-convergence theorems say. The rate is a least-squares
 * fit of log L(k) against k over the rows from 10 % of the run on, while the loss is still above the float32 floor
 * ({@link #FLOOR} of L(0): below it the loss is rounding noise, not descent).
 */
record LossCurve(
        double initial, double last, double ratio, long stepsTo1e6, double rate, double rSquared, int fitRows) {
    /** Relative loss below which float32 training has no more signal (measured floor ≈ 10⁻¹¹·L(0)). */
    static final double FLOOR = 1e-9;
    /** "Near-zero loss": L(end) ≤ NEAR_ZERO·L(0). */
    static final double NEAR_ZERO = 1e-6;
    /** A fit this good (R² of log L against k) counts as geometric decay. */
    static final double MIN_R_SQUARED = 0.9;

    static LossCurve of(double[] step, double[] loss) {
        int n = loss.length;
        double l0 = loss[0], end = loss[n - 1];
        long to = -1;
        for (int i = 0; i < n; i++) {
            if (loss[i] <= NEAR_ZERO * l0) {
                to = (long) step[i];
                break;
            }
        }
        double from = step[0] + 0.1 * (step[n - 1] - step[0]);
        double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (step[i] < from || !(loss[i] > FLOOR * l0)) {
                continue;
            }
            double x = step[i], y = Math.log(loss[i]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
            m++;
        }
        double rate = Double.NaN, r2 = Double.NaN;
        if (m >= 3) {
            double vx = sxx - sx * sx / m, vy = syy - sy * sy / m, cxy = sxy - sx * sy / m;
            double slope = cxy / vx;
            rate = Math.exp(slope);
            r2 = vy > 0 ? cxy * cxy / (vx * vy) : 1;
        }
        return new LossCurve(l0, end, end / l0, to, rate, r2, m);
    }

    boolean nearZero() {
        return ratio <= NEAR_ZERO;
    }

    /** Geometric decay: a fitted per-step rate below 1 that explains the log-loss well. */
    boolean linear() {
        return rate < 1 && rSquared >= MIN_R_SQUARED;
    }

    /** The loss columns of a per-run table: L(0) → L(end), steps to 10⁻⁶·L(0) ("–" if never), fitted rate, R². */
    Object[] cells() {
        return new Object[] {
            MarkdownTable.num(initial) + " → " + MarkdownTable.num(last),
            stepsTo1e6 < 0 ? "–" : Long.toString(stepsTo1e6),
            rate,
            rSquared
        };
    }

    String describe() {
        return String.format(
                "L %s → %s (×%s), fitted rate %s/step (R² %s over %d rows)",
                MarkdownTable.num(initial),
                MarkdownTable.num(last),
                MarkdownTable.num(ratio),
                MarkdownTable.num(rate),
                MarkdownTable.num(rSquared),
                fitRows);
    }
}
