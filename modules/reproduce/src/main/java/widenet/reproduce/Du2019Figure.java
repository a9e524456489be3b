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
    private Du2019Figure() {}

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
        HALF_SUM_LN("½Σ(u−y)²", false, 0.5, Math.E),
        SUM_LN("Σ(u−y)²", false, 1, Math.E),
        HALF_MEAN_LN("½·mean(u−y)²", true, 0.5, Math.E),
        MEAN_LN("mean(u−y)²", true, 1, Math.E),
        HALF_SUM_LOG10("½Σ(u−y)²", false, 0.5, 10),
        SUM_LOG10("Σ(u−y)²", false, 1, 10),
        HALF_MEAN_LOG10("½·mean(u−y)²", true, 0.5, 10),
        MEAN_LOG10("mean(u−y)²", true, 1, 10);

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
     * The distance of one measured setting to the figure, per panel the root-mean-square over the paired widths of
     * (ours − figure): in log units for (a) — the epoch-100 values and, per width, how far the epoch-0 value lies
     * outside the figure's starting range 0.3–0.6 — and relative to the figure's value for (b) and (c).
     */
    record Distance(double a, double b, double c) {
        /** The tolerances of a fit: 0.5 log units in (a) (five times the reading's resolution), 30 % in (b) and (c). */
        static final double TOL_A = 0.5, TOL_BC = 0.3;

        /** The worst panel's distance in units of its tolerance: ≤ 1 is a fit. */
        double score() {
            return Math.max(a / TOL_A, Math.max(b / TOL_BC, c / TOL_BC));
        }

        boolean fits() {
            return score() <= 1;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "(a) %.2f log units, (b) %.0f %%, (c) %.0f %%", a, 100 * b, 100 * c);
        }
    }

    /**
     * The figure's curve for each measured width: equal widths at the paper's sizes ({@code byRank} false; −1 where
     * the figure has no curve), else the i-th measured width against the figure's i-th (to exercise the comparison
     * at small sizes; such numbers say nothing about the paper).
     */
    static int[] pairing(int[] widths, boolean byRank) {
        int[] f = new int[widths.length];
        for (int i = 0; i < widths.length; i++) {
            f[i] = -1;
            for (int j = 0; j < WIDTHS.length; j++) {
                if (byRank ? j == i : WIDTHS[j] == widths[i]) {
                    f[i] = j;
                }
            }
        }
        return f;
    }

    /**
     * @param figure     the figure's curve per measured width ({@link #pairing}; −1: not compared)
     * @param logStart   panel (a) at epoch 0 in the chosen reading, per width
     * @param logEnd     panel (a) at the last epoch in the chosen reading, per width
     * @param pattern, dist   panels (b) and (c) at the last epoch, per width
     */
    static Distance distance(int[] figure, double[] logStart, double[] logEnd, double[] pattern, double[] dist) {
        List<Double> a = new ArrayList<>(), b = new ArrayList<>(), c = new ArrayList<>();
        for (int i = 0; i < figure.length; i++) {
            int j = figure[i];
            if (j < 0) {
                continue;
            }
            a.add(logEnd[i] - LOG_TRAINING_ERROR[j]);
            a.add(Math.max(
                    0,
                    Math.max(LOG_TRAINING_ERROR_START_LOW - logStart[i], logStart[i] - LOG_TRAINING_ERROR_START_HIGH)));
            b.add((pattern[i] - PATTERN_CHANGE[j]) / PATTERN_CHANGE[j]);
            c.add((dist[i] - MAX_DISTANCE[j]) / MAX_DISTANCE[j]);
        }
        return new Distance(rms(a), rms(b), rms(c));
    }

    /** Root-mean-square; NaN for no values, +∞ when one is not finite (a diverged run is no fit). */
    private static double rms(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += Double.isFinite(x) ? x * x : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(s / v.size());
    }
}
