package widenet.reproduce;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.internal.Json;

/**
 * The files {@link Du2019} writes besides its summary: {@code theory.json} (the data's facts, the same for every
 * width, and each width's R′ and λ_min(H(k))), the report's figure (the three panels of Du et al.'s Figure 1 at the
 * last epoch against m) and {@code series/figure_fit.csv} (the search of {@link Du2019Fit}, per step size).
 */
final class Du2019Outputs {
    private Du2019Outputs() {}

    /** {@code theory.json} of the reproduction, from each width's run's {@code theory.json} ({@code theories}). */
    static void writeTheory(ReproductionContext ctx, List<Integer> widths, Map<Integer, Map<String, Object>> theories)
            throws IOException {
        Map<String, Object> first = theories.get(widths.get(0));
        Map<String, Object> theory = new LinkedHashMap<>();
        for (String key : List.of(
                "n",
                "d",
                "output_layer_in_kernel",
                "eta",
                "eta_kernel",
                "loss_factor",
                "lambda_0",
                "lambda_max",
                "condition_number",
                "stability_limit_eta",
                "du_rate",
                "delta",
                "required_width",
                "y_norm_squared",
                "y_Hinv_y",
                "generalisation_measure")) {
            theory.put(key, first.get(key));
        }
        for (int m : widths) {
            Map<String, Object> t = theories.get(m);
            theory.put("radius_R_m" + m, t.get("radius_R"));
            theory.put("lambda_min_H_initial_m" + m, t.get("lambda_min_H_initial"));
            theory.put("lambda_min_H_final_m" + m, t.get("lambda_min_H_final"));
        }
        theory.put("spectrum", first.get("spectrum"));
        theory.put("projections", first.get("projections"));
        Json.write(ctx.resolve("theory.json"), theory);
    }

    /**
     * The report's figure: the three panels at the last epoch against m — widenet at the main η and at the search's
     * best fit, and (at the paper's sizes only) the values read from Du et al.'s Figure 1 as {@code paper}. Panel (a)
     * in the best fit's reading.
     */
    static Figure figure(
            ReproductionContext ctx,
            int[] ws,
            int[] figure,
            boolean paperSizes,
            Du2019Fit.Fit best,
            double eta,
            double[] residual,
            double[] pattern,
            double[] dist,
            int n,
            long steps)
            throws IOException {
        int k = ws.length;
        double[] ms = new double[k],
                a = new double[k],
                aBest = best.logEnd(n),
                pa = new double[k],
                pb = new double[k],
                pc = new double[k];
        for (int i = 0; i < k; i++) {
            int j = figure[i];
            ms[i] = ws[i];
            a[i] = best.reading().log(residual[i], n);
            pa[i] = paperSizes && j >= 0 ? Du2019Figure.LOG_TRAINING_ERROR[j] : Double.NaN;
            pb[i] = paperSizes && j >= 0 ? Du2019Figure.PATTERN_CHANGE[j] : Double.NaN;
            pc[i] = paperSizes && j >= 0 ? Du2019Figure.MAX_DISTANCE[j] : Double.NaN;
        }
        String main = "widenet_eta" + DeepVariant.fourDigits(eta),
                fit =
                        "widenet_best_fit_eta"
                                + DeepVariant.fourDigits(best.point().eta());
        Figure fig = new Figure(
                "Figure 1 at epoch " + steps + " against the width: widenet at η = " + eta
                        + " and at the search's best fit, "
                        + (paperSizes
                                ? "beside the values read from the paper's figure"
                                : "(--quick: not the paper's sizes, no paper values)"),
                Du2019Figure.SOURCE);
        fig.panel(
                ctx,
                "(a) " + best.reading() + " at epoch " + steps,
                "figure_a",
                withPaper(new SeriesCsv("width", ms).add(main, a).add(fit, aBest), pa, paperSizes),
                true,
                false);
        fig.panel(
                ctx,
                "(b) activation-pattern change ratio",
                "figure_b",
                withPaper(
                        new SeriesCsv("width", ms)
                                .add(main, pattern)
                                .add(fit, best.point().pattern()),
                        pb,
                        paperSizes),
                true,
                false);
        fig.panel(
                ctx,
                "(c) max_r ‖w_r(k) − w_r(0)‖",
                "figure_c",
                withPaper(
                        new SeriesCsv("width", ms)
                                .add(main, dist)
                                .add(fit, best.point().dist()),
                        pc,
                        paperSizes),
                true,
                false);
        return fig;
    }

    private static SeriesCsv withPaper(SeriesCsv s, double[] paper, boolean paperSizes) {
        return paperSizes ? s.add("paper_read_from_figure", paper) : s;
    }

    /** {@code series/figure_fit.csv}: per step size of the search, the best reading's distances and score. */
    static void writeFitSeries(ReproductionContext ctx, List<Du2019Fit.Point> points, int[] figure, int n)
            throws IOException {
        int g = points.size();
        double[] e = new double[g], a = new double[g], b = new double[g], c = new double[g], score = new double[g];
        for (int i = 0; i < g; i++) {
            Du2019Fit.Fit f = Du2019Fit.fits(points.get(i), figure, n).get(0);
            e[i] = points.get(i).eta();
            a[i] = f.distance().a();
            b[i] = f.distance().b();
            c[i] = f.distance().c();
            score[i] = f.distance().score();
        }
        new SeriesCsv("eta_sum", e)
                .add("distance_a", a)
                .add("distance_b", b)
                .add("distance_c", c)
                .add("score", score)
                .write(ctx.seriesFile("figure_fit"));
    }
}
