package widenet.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import widenet.train.ModelSpec;
import widenet.train.RunRecord;

/**
 * The runs of {@link Du2019}'s search for the figure's setting: every width trained at each step size of
 * {@link Du2019Fit}'s grid (the main step size's runs are reused), a step size's remaining widths skipped once one
 * diverges. What each run gives is one {@link Du2019Fit.Point} per step size.
 */
final class Du2019Search {
    private Du2019Search() {}

    /** The grid ({@link Du2019Fit#GRID}, or the quick one), with the main step size {@code eta} in order. */
    static List<Double> grid(boolean quick, double eta) {
        List<Double> grid = new ArrayList<>(quick ? Du2019Fit.GRID_QUICK : Du2019Fit.GRID);
        if (!grid.contains(eta)) {
            grid.add(eta);
            grid.sort(Double::compare);
        }
        return grid;
    }

    /**
     * Trains (or reads back) every width at each step size of {@code grid}; {@code metrics} holds the main runs at
     * {@code eta}, by width.
     */
    static List<Du2019Fit.Point> run(
            ReproductionContext ctx,
            List<Double> grid,
            List<Integer> widths,
            double eta,
            Map<Integer, MetricsTable> metrics,
            int n,
            int d,
            long steps,
            long every,
            long seed)
            throws Exception {
        int k = widths.size();
        List<Du2019Fit.Point> points = new ArrayList<>();
        for (double e : grid) {
            double[] r0 = new double[k], r = new double[k], pc = new double[k], dm = new double[k];
            String stopped = null;
            double seconds = 0;
            for (int i = 0; i < k; i++) {
                int m = widths.get(i);
                String run = e == eta ? "m" + m : fitRun(e, m);
                if (e != eta && stopped == null) {
                    stopped = ctx.trainUntilStopped(
                            run,
                            Reproduction.onSphere(n, d, ModelSpec.TwoLayer.du2019(m), e, steps, every, seed, 0),
                            "diverged");
                }
                if (stopped != null) {
                    break;
                }
                MetricsTable t = e == eta ? metrics.get(m) : ctx.metrics(run);
                r0[i] = 2 * t.first("loss");
                r[i] = 2 * t.last("loss");
                pc[i] = t.last("pattern_change");
                dm[i] = t.last("w_dist_max_row");
                seconds += RunRecord.read(ctx.resolve(run)).gdSeconds();
            }
            points.add(new Du2019Fit.Point(e, r0, r, pc, dm, stopped, seconds));
        }
        return points;
    }

    /** The gradient-descent seconds of all the search's runs, summed in the order they ran. */
    static double seconds(List<Du2019Fit.Point> points) {
        double searchSeconds = 0;
        for (Du2019Fit.Point p : points) {
            searchSeconds += p.seconds();
        }
        return searchSeconds;
    }

    /** The search's run for step size {@code eta} at width {@code m}. */
    static String fitRun(double eta, int m) {
        return "fit_eta" + DeepVariant.fourDigits(eta) + "_m" + m;
    }
}
