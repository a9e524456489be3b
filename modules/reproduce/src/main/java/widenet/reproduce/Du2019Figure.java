package widenet.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Du, Zhai, Póczos &amp; Singh (ICLR 2019), Figure 1, at epoch 100, for m = 500, 1000, 2000, 4000, 8000: the values
 * <b>read from the figure</b> (the paper prints no table; read by eye, so each carries the plot's resolution, about
 * ±0.1 in panel (a), ±0.001 in (b), ±0.05 in (c)). The paper gives neither η, nor the loss normalisation panel (a)
 * plots, nor the logarithm's base; it prints no λ₀. These are the only numbers a "paper" column of du2019 may show.
 */
final class Du2019Figure {
    private Du2019Figure() {
    }

    static final String SOURCE = "Du et al. 2019, Figure 1, read from the figure at epoch 100";
    static final int[] WIDTHS = {500, 1000, 2000, 4000, 8000};
    /** Panel (a): log(training error) at epoch 100 (≈ 0.3–0.6 at epoch 0 for every width). */
    static final double[] LOG_TRAINING_ERROR = {-1.6, -2.15, -3.0, -4.05, -5.65};
    /** Panel (a) at epoch 0: the range the curves start in. */
    static final double LOG_TRAINING_ERROR_START_LOW = 0.3, LOG_TRAINING_ERROR_START_HIGH = 0.6;
    /** Panel (b): activation-pattern change ratio (1/(mn)) Σᵢ Σ_r 1{sign changed}. */
    static final double[] PATTERN_CHANGE = {0.0185, 0.015, 0.0115, 0.0097, 0.0067};
    /** Panel (c): max_r ‖w_r(100) − w_r(0)‖. */
    static final double[] MAX_DISTANCE = {2.8, 2.05, 1.35, 0.95, 0.45};

    /** The figure's value at width m, or NaN when the figure has no curve for m. */
    static double at(double[] panel, int m) {
        for (int i = 0; i < WIDTHS.length; i++) {
            if (WIDTHS[i] == m) {
                return panel[i];
            }
        }
        return Double.NaN;
    }

    /** How panel (a)'s "training error" may be read: the quantity whose logarithm is plotted, and the base. */
    enum Reading {
        HALF_SUM_LN("½Σ(u−y)²", false, 0.5, Math.E), SUM_LN("Σ(u−y)²", false, 1, Math.E),
        HALF_MEAN_LN("½·mean(u−y)²", true, 0.5, Math.E), MEAN_LN("mean(u−y)²", true, 1, Math.E),
        HALF_SUM_LOG10("½Σ(u−y)²", false, 0.5, 10), SUM_LOG10("Σ(u−y)²", false, 1, 10),
        HALF_MEAN_LOG10("½·mean(u−y)²", true, 0.5, 10), MEAN_LOG10("mean(u−y)²", true, 1, 10);

        final String quantity;
        final boolean mean;
        final double factor, base;

        Reading(String quantity, boolean mean, double factor, double base) {
            this.quantity = quantity;
            this.mean = mean;
            this.factor = factor;
            this.base = base;
        }

        /** log_base of the quantity, from ‖u − y‖² and n. */
        double log(double squaredResidual, int n) {
            return Math.log(factor * squaredResidual / (mean ? n : 1)) / Math.log(base);
        }

        @Override
        public String toString() {
            return (base == 10 ? "log₁₀ " : "ln ") + quantity;
        }
    }

    /**
     * The distance of one measured setting to the figure: per panel the root-mean-square over the widths the figure
     * has of (ours − figure), in log units for (a) and relative to the figure's value for (b) and (c).
     */
    record Distance(double a, double b, double c) {
        double total() {
            return a + b + c;
        }

        /** Within the reading's resolution and a ±30 % band: |Δ| ≤ 0.5 in (a), ≤ 30 % in (b) and (c). */
        boolean fits() {
            return a <= 0.5 && b <= 0.3 && c <= 0.3;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "(a) %.2f log units, (b) %.0f %%, (c) %.0f %%", a, 100 * b, 100 * c);
        }
    }

    /**
     * @param widths          the measured widths
     * @param logError        panel (a) as measured in the chosen reading, per width
     * @param pattern, dist   panels (b) and (c), per width
     */
    static Distance distance(int[] widths, double[] logError, double[] pattern, double[] dist) {
        List<double[]> a = new ArrayList<>(), b = new ArrayList<>(), c = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            double pa = at(LOG_TRAINING_ERROR, widths[i]);
            if (Double.isNaN(pa)) {
                continue;
            }
            a.add(new double[] {logError[i] - pa});
            b.add(new double[] {(pattern[i] - at(PATTERN_CHANGE, widths[i])) / at(PATTERN_CHANGE, widths[i])});
            c.add(new double[] {(dist[i] - at(MAX_DISTANCE, widths[i])) / at(MAX_DISTANCE, widths[i])});
        }
        return new Distance(rms(a), rms(b), rms(c));
    }

    private static double rms(List<double[]> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (double[] x : v) {
            s += x[0] * x[0];
        }
        return Math.sqrt(s / v.size());
    }
}
