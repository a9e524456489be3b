package widenet.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import widenet.reproduce.Du2019Figure.Distance;
import widenet.reproduce.Du2019Figure.Reading;

/**
 * The search for the setting Du et al. do not state that reproduces all three panels of their Figure 1 together:
 * the step η, the loss normalisation (sum or mean) and what panel (a)'s "log training error" is (the quantity and the
 * logarithm's base, {@link Reading}).
 *
 * <p>Why the grid is one-dimensional in training: GD on the mean loss (1/2n)‖u − y‖² at step η is GD on the sum
 * ½‖u − y‖² at step η/n — the same trajectory (checked by a twin run, {@link #twinAgreement}). So every width is
 * trained once per step size on the summed loss (η_sum; the mean loss's step is n·η_sum), and each of the eight
 * readings of panel (a) is applied to the same runs. A setting's distance to the figure is per panel
 * ({@link Distance}); the best fit is the setting with the smallest worst-panel score, and it fits when that score
 * is ≤ 1 (every panel within its tolerance).
 */
final class Du2019Fit {
    /** η_sum of the full search: from a tenth of the usual 0.1 to near the stability limit 2/λ_max(H∞) ≈ 1.6. */
    static final List<Double> GRID = List.of(0.02, 0.05, 0.1, 0.2, 0.5, 1.0);

    static final List<Double> GRID_QUICK = List.of(0.03, 0.1, 0.3);
    /**
     * The twin's tolerance on |‖u−y‖²_mean − ‖u−y‖²_sum| / ‖u−y‖²_sum after k steps: the two differ only by the
     * float32 rounding of the factor 1/n in the gradient, ≈ ε = 6·10⁻⁸ per step and entry, which GD (a contraction
     * on the residual) does not amplify; √k·ε·(condition number ≈ 5) ≈ 3·10⁻⁶ at k = 100, so 10⁻⁴ leaves a margin.
     */
    static final double TWIN_TOLERANCE = 1e-4;

    private Du2019Fit() {}

    /**
     * One step size, trained at every width: ‖u − y‖² at epoch 0 and at the last step, and panels (b) and (c) at
     * the last step, per width; {@code stopped}: the divergence message of a width that did not finish (null: all did).
     */
    record Point(
            double eta,
            double[] residual0,
            double[] residual,
            double[] pattern,
            double[] dist,
            String stopped,
            double seconds) {}

    /** A setting (step size and reading) and its distance to the figure. */
    record Fit(Point point, Reading reading, Distance distance) {
        double[] logStart(int n) {
            return logs(point.residual0, n);
        }

        double[] logEnd(int n) {
            return logs(point.residual, n);
        }

        private double[] logs(double[] r, int n) {
            double[] v = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                v[i] = reading.log(r[i], n);
            }
            return v;
        }

        String setting(int n) {
            return String.format(
                    Locale.ROOT,
                    "η = %s on the sum loss ½Σ(u−y)² (= η %s on the mean loss), panel (a) read as %s",
                    MarkdownTable.num(point.eta),
                    MarkdownTable.num(point.eta * n),
                    reading);
        }
    }

    /** Each reading of panel (a) for one step size, best first. */
    static List<Fit> fits(Point p, int[] figure, int n) {
        List<Fit> out = new ArrayList<>();
        for (Reading r : Reading.values()) {
            Fit f = new Fit(p, r, null);
            out.add(new Fit(
                    p,
                    r,
                    p.stopped != null
                            ? new Distance(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)
                            : Du2019Figure.distance(figure, f.logStart(n), f.logEnd(n), p.pattern, p.dist)));
        }
        // by score, then (ties: a panel (b) or (c) decides the score) by the distance in panel (a)
        out.sort(java.util.Comparator.<Fit>comparingDouble(x -> x.distance.score())
                .thenComparingDouble(x -> x.distance.a()));
        return out;
    }

    /** The best setting over every step size and reading. */
    static Fit best(List<Point> points, int[] figure, int n) {
        Fit best = null;
        for (Point p : points) {
            Fit f = fits(p, figure, n).get(0);
            if (best == null
                    || f.distance.score() < best.distance.score()
                    || f.distance.score() == best.distance.score() && f.distance.a() < best.distance.a()) {
                best = f;
            }
        }
        return best;
    }

    /**
     * The reading of panel (a) whose epoch-0 values lie closest to the figure's starting range 0.3–0.6 (the
     * root-mean-square distance outside the range over the widths): the reading panel (a) itself suggests.
     */
    static Reading startReading(double[] residual0, int n) {
        Reading best = null;
        double bestD = Double.POSITIVE_INFINITY;
        for (Reading r : Reading.values()) {
            double s = 0;
            for (double v : residual0) {
                double l = r.log(v, n);
                double o = Math.max(
                        0,
                        Math.max(
                                Du2019Figure.LOG_TRAINING_ERROR_START_LOW - l,
                                l - Du2019Figure.LOG_TRAINING_ERROR_START_HIGH));
                s += o * o;
            }
            if (s < bestD) {
                bestD = s;
                best = r;
            }
        }
        return best;
    }

    /** |‖u−y‖²(mean-loss twin) − ‖u−y‖²(sum-loss run)| / ‖u−y‖²(sum-loss run), both at the last step. */
    static double twinAgreement(double sumResidual, double meanResidual) {
        return Math.abs(meanResidual - sumResidual) / sumResidual;
    }

    /** The grid: one row per step size with its best reading. */
    static MarkdownTable gridTable(List<Point> points, int[] figure, int n) {
        MarkdownTable t = new MarkdownTable(
                "η (sum loss)",
                "η (mean loss) = n·η",
                "best reading of (a)",
                "(a) RMS, log units",
                "(b) RMS, relative",
                "(c) RMS, relative",
                "score (≤ 1 fits)",
                "GD seconds");
        for (Point p : points) {
            if (p.stopped != null) {
                t.row(p.eta, p.eta * n, "diverged: " + p.stopped, "–", "–", "–", "–", p.seconds);
                continue;
            }
            Fit f = fits(p, figure, n).get(0);
            t.row(
                    p.eta,
                    p.eta * n,
                    f.reading.toString(),
                    f.distance.a(),
                    f.distance.b(),
                    f.distance.c(),
                    f.distance.score(),
                    p.seconds);
        }
        return t;
    }

    /** Every reading at the best step size. */
    static MarkdownTable readingTable(Point p, int[] figure, int n) {
        MarkdownTable t = new MarkdownTable(
                "reading of (a)", "(a) at epoch 0, per width", "(a) at the end, per width", "(a) RMS", "score");
        for (Fit f : fits(p, figure, n)) {
            t.row(
                    f.reading.toString(),
                    MarkdownTable.list(f.logStart(n)),
                    MarkdownTable.list(f.logEnd(n)),
                    f.distance.a(),
                    f.distance.score());
        }
        return t;
    }

    /** The best fit against every panel value of the figure. */
    static MarkdownTable panelTable(Fit f, int[] widths, int[] figure, int n) {
        MarkdownTable t = new MarkdownTable(
                "m",
                "figure's curve",
                "(a) paper (read from the figure)",
                "(a) widenet",
                "Δ (a)",
                "(b) paper (read from the figure)",
                "(b) widenet",
                "ratio (b)",
                "(c) paper (read from the figure)",
                "(c) widenet",
                "ratio (c)");
        double[] la = f.logEnd(n);
        for (int i = 0; i < widths.length; i++) {
            int j = figure[i];
            if (j < 0) {
                t.row(widths[i], "none", "–", la[i], "–", "–", f.point.pattern[i], "–", "–", f.point.dist[i], "–");
                continue;
            }
            t.row(
                    widths[i],
                    "m = " + Du2019Figure.WIDTHS[j],
                    Du2019Figure.LOG_TRAINING_ERROR[j],
                    la[i],
                    la[i] - Du2019Figure.LOG_TRAINING_ERROR[j],
                    Du2019Figure.PATTERN_CHANGE[j],
                    f.point.pattern[i],
                    f.point.pattern[i] / Du2019Figure.PATTERN_CHANGE[j],
                    Du2019Figure.MAX_DISTANCE[j],
                    f.point.dist[i],
                    f.point.dist[i] / Du2019Figure.MAX_DISTANCE[j]);
        }
        return t;
    }

    /** reproduction.json's {@code figure_fit}: the grid and the best setting. */
    static Map<String, Object> record(
            List<Point> points, Fit best, int[] figure, int n, boolean byRank, double seconds) {
        List<Object> grid = new ArrayList<>();
        for (Point p : points) {
            Fit f = fits(p, figure, n).get(0);
            grid.add(Reproduction.entries(
                    "eta_sum",
                    p.eta,
                    "eta_mean",
                    p.eta * n,
                    "stopped",
                    p.stopped,
                    "best_reading",
                    f.reading.name(),
                    "distance_a",
                    finite(f.distance.a()),
                    "distance_b",
                    finite(f.distance.b()),
                    "distance_c",
                    finite(f.distance.c()),
                    "score",
                    finite(f.distance.score())));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", Du2019Figure.SOURCE);
        m.put("paired_by_rank", byRank);
        m.put("grid", grid);
        m.put(
                "best",
                Reproduction.entries(
                        "eta_sum",
                        best.point.eta,
                        "eta_mean",
                        best.point.eta * n,
                        "reading",
                        best.reading.name(),
                        "reading_text",
                        best.reading.toString(),
                        "distance_a",
                        best.distance.a(),
                        "distance_b",
                        best.distance.b(),
                        "distance_c",
                        best.distance.c(),
                        "score",
                        best.distance.score(),
                        "fits",
                        best.distance.fits()));
        m.put("gd_seconds", seconds);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
