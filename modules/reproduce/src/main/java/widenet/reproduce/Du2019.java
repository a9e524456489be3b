package widenet.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.DataSpec;
import widenet.train.ModelSpec;
import widenet.train.RunRecord;
import widenet.train.RunSpec;
import widenet.train.internal.Json;

/**
 * Figure 1 of Du, Zhai, Póczos &amp; Singh (ICLR 2019): n = d = 1000 points on the unit sphere, y ~ N(0, 1), widths
 * m ∈ {500, 1000, 2000, 4000, 8000}, 100 full-batch GD steps, W trained, a fixed. Every width trains on the same data
 * (the data stream depends only on the seed). The main runs use η = 0.1 on the summed loss; the summary compares
 * every width's three panels with the values read from the figure ({@link Du2019Figure}: the paper prints no table
 * and no λ₀) and checks that the loss falls for every width, that wider runs converge faster (panel a), move less
 * (c) and flip fewer patterns (b). Then the search of {@link Du2019Fit}: every width trained at each step size of a
 * grid, against every reading of panel (a), for the setting that reproduces the three panels together.
 */
final class Du2019 extends Reproduction {
    static final String NAME = "du2019";
    /** Panels (b) and (c) within ±30 % of the figure at the main step size. */
    static final double TOLERANCE = 0.30;

    Du2019() {
        super(
                NAME,
                "Du, Zhai, Póczos, Singh: Gradient Descent Provably Optimizes Over-parameterized Neural Networks (ICLR 2019), Figure 1",
                SYNTHETIC_DATA_OPTIONS);
    }

    @Override
    public void run(ReproductionContext ctx) throws Exception {
        ReproductionOptions o = ctx.options();
        boolean quick = ctx.quick();
        int n = ctx.setting(o.n(), 64, 1000);
        int d = ctx.setting(o.d(), 64, 1000);
        List<Integer> widths =
                ctx.setting(o.widths(), List.of(128, 256, 512, 1024), List.of(500, 1000, 2000, 4000, 8000));
        long steps = ctx.setting(o.steps(), 100L);
        double eta = ctx.setting(o.lr(), 0.1);
        long seed = ctx.setting(o.seed(), 0L);
        long theoryEvery = ctx.setting(o.theoryEvery(), 10L);
        long every = ctx.setting(o.every(), 1L);
        requirePositive("--widths", widths);
        List<Double> gridPlanned = new ArrayList<>(quick ? Du2019Fit.GRID_QUICK : Du2019Fit.GRID);
        gridPlanned.remove(eta);
        ctx.plan(widths.size() * (1 + gridPlanned.size()) + 1);
        // Per step: forward X Wᵀ and backward Gᵀ X, 2nmd multiply-adds each; λ_min(H(k)) adds n²m per evaluation.
        double[] flops = new double[widths.size() * (1 + gridPlanned.size())];
        double theorySeconds = 0;
        long probes = steps / theoryEvery + 2;
        for (int i = 0; i < widths.size(); i++) {
            int m = widths.get(i);
            flops[i] = (steps + 1) * 4.0 * n * d * m + probes * 2.0 * n * n * m + 2.0 * n * n * d;
            // ojAlgo on this kind of machine: ≈ 1.5 s for H∞'s eigenvectors and 0.5 s per eigenvalue solve at n = 1000.
            theorySeconds += Math.pow(n / 1000.0, 3) * (1.5 + 0.5 * probes);
            for (int g = 1;
                    g <= gridPlanned.size();
                    g++) { // the search's runs: the theory on the first and last rows only
                flops[i + g * widths.size()] = (steps + 1) * 4.0 * n * d * m + 4.0 * n * n * m;
                theorySeconds += Math.pow(n / 1000.0, 3) * 2.5;
            }
        }
        ctx.announce(flops, theorySeconds);

        Map<Integer, MetricsTable> metrics = new LinkedHashMap<>();
        Map<Integer, Map<String, Object>> theories = new LinkedHashMap<>();
        for (int m : widths) {
            String run = "m" + m;
            ctx.train(run, onSphere(n, d, ModelSpec.TwoLayer.du2019(m), eta, steps, every, seed, theoryEvery));
            metrics.put(m, ctx.metrics(run));
            theories.put(m, Json.read(ctx.resolve(run).resolve("theory.json")));
        }

        // ---- theory.json: the data's facts (the same for every width) and each width's R′ and λ_min(H(k)) ----
        Map<String, Object> first = theories.get(widths.get(0));
        Du2019Outputs.writeTheory(ctx, widths, theories);

        // ---- series: the three panels of Figure 1 (one column per width), and the final values against m ----
        MetricsTable base = metrics.get(widths.get(0));
        double[] stepAxis = base.column("step");
        SeriesCsv loss = new SeriesCsv("step", stepAxis),
                pattern = new SeriesCsv("step", stepAxis),
                dist = new SeriesCsv("step", stepAxis),
                bound = new SeriesCsv("step", stepAxis);
        int k = widths.size();
        double[] ms = new double[k],
                finalLoss = new double[k],
                finalPattern = new double[k],
                finalDist = new double[k],
                radius = new double[k],
                lminFinal = new double[k],
                lossRatio = new double[k];
        boolean lossFalls = true;
        List<String> notFalling = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int m = widths.get(i);
            MetricsTable t = metrics.get(m);
            loss.add("loss_m" + m, t.column("loss"));
            pattern.add("pattern_change_m" + m, t.column("pattern_change"));
            dist.add("w_dist_max_row_m" + m, t.column("w_dist_max_row"));
            bound.add("loss_m" + m, t.column("loss"))
                    .add("pred_du_bound_m" + m, t.column("pred_du_bound"))
                    .add("pred_arora_m" + m, t.column("pred_arora"));
            ms[i] = m;
            finalLoss[i] = t.last("loss");
            finalPattern[i] = t.last("pattern_change");
            finalDist[i] = t.last("w_dist_max_row");
            radius[i] = t.last("radius_R");
            lminFinal[i] = t.last("lambda_min_H");
            lossRatio[i] = finalLoss[i] / t.first("loss");
            if (!Checks.falls(t.column("loss"))) {
                lossFalls = false;
                notFalling.add("m = " + m);
            }
        }
        loss.write(ctx.seriesFile("loss"));
        pattern.write(ctx.seriesFile("pattern_change"));
        dist.write(ctx.seriesFile("w_dist_max_row"));
        bound.write(ctx.seriesFile("predictions"));
        new SeriesCsv("width", ms)
                .add("final_loss", finalLoss)
                .add("loss_ratio", lossRatio)
                .add("pattern_change", finalPattern)
                .add("w_dist_max_row", finalDist)
                .add("radius_R", radius)
                .add("lambda_min_H_final", lminFinal)
                .write(ctx.seriesFile("final_vs_width"));

        boolean movesLess = Checks.strictlyDecreasing(finalDist);
        boolean flipsFewer = Checks.strictlyDecreasing(finalPattern);
        boolean convergesFaster = Checks.strictlyDecreasing(finalLoss);

        // ---- against the figure: every width, at the paper's sizes (else paired by rank, saying so) ----
        boolean paperSizes = n == 1000 && d == 1000 && steps == 100;
        int[] ws = widths.stream().mapToInt(Integer::intValue).toArray();
        int[] figure = Du2019Figure.pairing(ws, !paperSizes);
        double[] residual0 = new double[k], residual = new double[k];
        for (int i = 0; i < k; i++) {
            residual0[i] = 2 * metrics.get(widths.get(i)).first("loss");
            residual[i] = 2 * finalLoss[i];
        }
        Du2019Figure.Reading reading = Du2019Fit.startReading(residual0, n);
        double lambda0 = ((Number) first.get("lambda_0")).doubleValue();
        double lambdaMax = ((Number) first.get("lambda_max")).doubleValue();
        MarkdownTable table = new MarkdownTable(
                "quantity",
                "paper (" + (paperSizes ? "read from Figure 1" : "Figure 1, paired by rank") + ")",
                "widenet",
                "widenet − paper or widenet / paper",
                "within ±30 %");
        boolean allWithin = true;
        for (int i = 0; i < k; i++) {
            int j = figure[i];
            String at = "m = " + ws[i] + (paperSizes || j < 0 ? "" : " (figure: m = " + Du2019Figure.WIDTHS[j] + ")");
            double la = reading.log(residual[i], n);
            double pa = j < 0 ? Double.NaN : Du2019Figure.LOG_TRAINING_ERROR[j];
            table.row("(a) " + reading + " at epoch " + steps + ", " + at, pa, la, la - pa, "–");
            for (Object[] c : new Object[][] {
                {"(b) pattern-change ratio", j < 0 ? Double.NaN : Du2019Figure.PATTERN_CHANGE[j], finalPattern[i]},
                {"(c) max_r ‖w_r(k) − w_r(0)‖", j < 0 ? Double.NaN : Du2019Figure.MAX_DISTANCE[j], finalDist[i]}
            }) {
                double paper = (Double) c[1], ours = (Double) c[2], ratio = ours / paper;
                boolean ok = Math.abs(ratio - 1) <= TOLERANCE;
                if (j >= 0) {
                    allWithin &= ok;
                }
                table.row(
                        c[0] + " at epoch " + steps + ", " + at,
                        paper,
                        ours,
                        ratio,
                        j < 0 ? "–" : !paperSizes ? "n/a (not the paper's sizes)" : ok ? "yes" : "NO");
            }
        }
        table.row("λ₀ = λ_min(H∞)", "not printed", lambda0, "–", "–");
        table.row("λ_max(H∞)", "not printed", lambdaMax, "–", "–");
        double spread = reading.log(residual[0], n) - reading.log(residual[k - 1], n);
        int f0 = figure[0], f1 = figure[k - 1];
        double figureSpread = f0 < 0 || f1 < 0
                ? Double.NaN
                : Du2019Figure.LOG_TRAINING_ERROR[f0] - Du2019Figure.LOG_TRAINING_ERROR[f1];

        // ---- the search for the figure's setting: every width at each step size of the grid ----
        List<Double> grid = Du2019Search.grid(quick, eta);
        List<Du2019Fit.Point> points = Du2019Search.run(ctx, grid, widths, eta, metrics, n, d, steps, every, seed);
        double searchSeconds = Du2019Search.seconds(points);
        Du2019Fit.Fit best = Du2019Fit.best(points, figure, n);
        // The mean loss at n·η is the sum loss at η: one twin at the best step size and the smallest width shows it.
        int m0 = widths.get(0);
        String twin = "fit_mean_eta" + DeepVariant.fourDigits(best.point().eta() * n) + "_m" + m0;
        ctx.train(
                twin,
                new RunSpec(
                        new DataSpec.Sphere(n, d),
                        ModelSpec.TwoLayer.du2019(m0),
                        new RunSpec.Optimisation(best.point().eta() * n, steps, null, every, "mean"),
                        seed,
                        null,
                        new RunSpec.Theory("auto", 0L),
                        null,
                        null,
                        null));
        double twinGap = Du2019Fit.twinAgreement(
                best.point().residual()[0], 2.0 * n * ctx.metrics(twin).last("loss"));

        MarkdownTable perWidth = new MarkdownTable(
                "m",
                "loss(0)",
                "loss(final)",
                "final/initial",
                "pattern change",
                "max_r ‖w_r − w_r(0)‖",
                "R′ (Du et al.)",
                "λ_min(H(0))",
                "λ_min(H(final))",
                "GD seconds",
                "theory seconds");
        for (int i = 0; i < k; i++) {
            int m = widths.get(i);
            MetricsTable t = metrics.get(m);
            RunRecord rec = RunRecord.read(ctx.resolve("m" + m));
            perWidth.row(
                    m,
                    t.first("loss"),
                    finalLoss[i],
                    lossRatio[i],
                    finalPattern[i],
                    finalDist[i],
                    radius[i],
                    t.first("lambda_min_H"),
                    lminFinal[i],
                    rec.gdSeconds(),
                    rec.theorySeconds());
        }

        StringBuilder md = new StringBuilder();
        md.append("# Reproduction: Du et al. 2019, Figure 1\n\n");
        md.append(paper()).append(".\n\n");
        md.append(String.format(
                "Setting: n = %d, d = %d, xᵢ uniform on the unit sphere, yᵢ ~ N(0, 1), widths %s, %d full-batch GD steps, "
                        + "η = %s on ½Σ(u − y)², κ = 1, a fixed, seed %d%s. Kernels: %s, %d thread(s).%n%n",
                n,
                d,
                widths,
                steps,
                eta,
                seed,
                quick
                        ? " (**--quick**: not the paper's sizes; the figure's widths are paired by rank only to exercise the comparison)"
                        : "",
                ctx.kernels(),
                ctx.threads()));
        md.append("## Against the paper\n\n");
        md.append(
                "The paper's column holds the values read from Du et al.'s Figure 1 at epoch 100 (the paper prints no table and no λ₀; "
                        + "read by eye: ±0.1 in (a), ±0.001 in (b), ±0.05 in (c)). The paper does not say what panel (a)'s \"log training error\" is: "
                        + "it is shown here as " + reading + ", the reading whose epoch-0 values ("
                        + MarkdownTable.list(logs(reading, residual0, n))
                        + ") lie closest to the figure's starting range 0.3–0.6 (our choice).\n\n");
        md.append(table).append('\n');
        md.append(String.format(
                "Panel (a)'s width dependence: from the smallest to the largest width the figure's log training error at epoch 100 "
                        + "falls by %s, widenet's by %s (%s).%n%n",
                MarkdownTable.num(figureSpread), MarkdownTable.num(spread), reading));
        Checks checks = new Checks()
                .add(
                        "loss_falls_every_width",
                        lossFalls,
                        "the loss falls for every width (each metrics row ≤ the previous one)"
                                + (lossFalls ? "" : "; not for " + String.join(", ", notFalling)))
                .add(
                        "wider_converges_faster",
                        convergesFaster,
                        "panel (a): wider runs converge faster: the training loss at the last step "
                                + "strictly decreases with m " + MarkdownTable.list(finalLoss) + " (in the figure by "
                                + MarkdownTable.num(figureSpread)
                                + " log units from m = 500 to 8000; here by " + MarkdownTable.num(spread) + ")")
                .add(
                        "wider_moves_less",
                        movesLess,
                        "panel (c): wider runs move less: max_r ‖w_r(k) − w_r(0)‖ at the last step strictly decreases with m "
                                + MarkdownTable.list(finalDist))
                .add(
                        "wider_flips_fewer",
                        flipsFewer,
                        "panel (b): wider runs flip fewer activation patterns: the pattern-change ratio strictly decreases with m "
                                + MarkdownTable.list(finalPattern));
        if (paperSizes) {
            checks.add(
                    "panels_bc_within_30_percent_of_figure",
                    allWithin,
                    "at η = " + eta + " panels (b) and (c) are within ±30 % of the figure at every width");
            checks.add(
                    "figure_fit_found",
                    best.distance().fits(),
                    "the search found a setting that reproduces all three panels together " + "(score ≤ 1); best: "
                            + best.setting(n) + ", distance " + best.distance() + ", score "
                            + MarkdownTable.num(best.distance().score()));
        } else {
            checks.notApplicable(
                    "panels_bc_within_30_percent_of_figure",
                    "- n/a: the comparison with the figure needs the paper's sizes (n = d = 1000, 100 steps)\n");
            checks.notApplicable(
                    "figure_fit_found", "- n/a: the search is compared with the figure only at the paper's sizes\n");
        }
        checks.add(
                "mean_loss_is_a_rescaled_step",
                twinGap <= Du2019Fit.TWIN_TOLERANCE,
                String.format(
                        "GD on the mean loss at n·η is GD on the sum "
                                + "loss at η: ‖u − y‖² after %d steps differs by %s relative (m = %d, η = %s; criterion ≤ %s)",
                        steps,
                        MarkdownTable.num(twinGap),
                        m0,
                        MarkdownTable.num(best.point().eta()),
                        MarkdownTable.num(Du2019Fit.TWIN_TOLERANCE)));
        md.append(checks.markdown());
        md.append('\n');
        md.append("## Fitting the figure: η, sum or mean loss, the log's base\n\n");
        md.append(String.format(
                "The paper states neither η, nor the loss normalisation, nor what panel (a) plots. Every width was trained for %d steps "
                        + "at each step size below (%d runs, %.1f s of gradient descent%s); each of the eight readings of (a) (½Σ, Σ, ½·mean, mean of "
                        + "(u − y)², natural or base-10 log) was applied to the same runs. Distance per panel: the root-mean-square over the widths of "
                        + "ours − figure (log units; in (a) also how far epoch 0 lies outside 0.3–0.6) or (ours − figure)/figure in (b) and (c); a "
                        + "setting fits when (a) ≤ %s log units and (b), (c) ≤ %s %%: score = the worst panel over its tolerance.%n%n",
                steps,
                grid.size() * k,
                searchSeconds,
                paperSizes ? "" : "; --quick: paired with the figure by rank, the numbers say nothing about the paper",
                MarkdownTable.num(Du2019Figure.Distance.TOL_A),
                Math.round(100 * Du2019Figure.Distance.TOL_BC)));
        md.append(Du2019Fit.gridTable(points, figure, n)).append('\n');
        md.append(String.format(
                "**Best fit: %s** — distance %s, score %s: %s.%n%n",
                best.setting(n),
                best.distance(),
                MarkdownTable.num(best.distance().score()),
                best.distance().fits()
                        ? "it reproduces the three panels within the tolerances"
                        : "**no setting of the grid fits the three panels together**; the best misses by "
                                + best.distance()));
        md.append(Du2019Fit.panelTable(best, ws, figure, n)).append('\n');
        md.append("Every reading at the best step size:\n\n")
                .append(Du2019Fit.readingTable(best.point(), figure, n))
                .append('\n');
        md.append("## Per width\n\n").append(perWidth).append('\n');
        md.append(String.format(
                "H∞ of the data: λ₀ = %.4g, λ_max = %.4g, GD on the predictions stable for η < %.4g; "
                        + "Du et al.'s rate at η = %s is 1 − ηλ₀/2 = %.5f per step; the width their theorem asks for (δ = %s, constant 1) "
                        + "is m = n⁶/(λ₀⁴δ³) = %.3g.%n%n",
                lambda0,
                lambdaMax,
                ((Number) first.get("stability_limit_eta")).doubleValue(),
                eta,
                ((Number) first.get("du_rate")).doubleValue(),
                first.get("delta"),
                ((Number) first.get("required_width")).doubleValue()));
        md.append(
                "Curves: `series/loss.csv`, `series/pattern_change.csv`, `series/w_dist_max_row.csv` (Figure 1a–c, one column per width), "
                        + "`series/predictions.csv` (loss against Du et al.'s bound and the linearised trajectory), `series/final_vs_width.csv`, "
                        + "`series/figure_fit.csv` (the search: per step size the best reading's distances). The search's runs: `fit_eta*_m*/`.\n");
        Du2019Outputs.writeFitSeries(ctx, points, figure, n);
        Figure fig = Du2019Outputs.figure(
                ctx, ws, figure, paperSizes, best, eta, residual, finalPattern, finalDist, n, steps);
        ctx.writeSummary(md.toString(), "## Against the paper", "## Per width");
        ctx.writeRecord(
                entries(
                        "n",
                        n,
                        "d",
                        d,
                        "widths",
                        widths,
                        "steps",
                        steps,
                        "lr",
                        eta,
                        "seed",
                        seed,
                        "theory_every",
                        theoryEvery,
                        "fit_grid",
                        grid),
                checks,
                entries(
                        "figure_fit",
                        Du2019Fit.record(points, best, figure, n, !paperSizes, searchSeconds),
                        "mean_loss_twin_gap",
                        twinGap,
                        "figure",
                        fig.record()));
    }

    private static double[] logs(Du2019Figure.Reading r, double[] residual, int n) {
        double[] v = new double[residual.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.log(residual[i], n);
        }
        return v;
    }
}
