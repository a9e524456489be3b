package widenet.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.Json;
import widenet.train.ModelSpec;
import widenet.train.RunRecord;

/**
 * Figure 1 of Du, Zhai, Póczos &amp; Singh (ICLR 2019): n = d = 1000 points on the unit sphere, y ~ N(0, 1), widths
 * m ∈ {500, 1000, 2000, 4000, 8000}, 100 full-batch GD steps with η = 0.1, W trained, a fixed. Every width trains on
 * the same data (the data stream depends only on the seed). The summary compares the pattern-change ratio and the
 * maximum weight movement at m = 500 and 2000 and λ₀, λ_max with the paper's magnitudes (±30 %), and checks that the
 * loss falls for every width and that wider runs move less and flip fewer patterns.
 */
final class Du2019 extends Reproduction {
    static final String NAME = "du2019";

    /** The paper's magnitudes at η = 0.1 after 100 epochs (Figure 1b, 1c; λ₀ and λ_max of H∞ for that data). */
    static final double PAPER_PATTERN_500 = 0.027, PAPER_PATTERN_2000 = 0.015;
    static final double PAPER_DIST_500 = 2.7, PAPER_DIST_2000 = 1.5;
    static final double PAPER_LAMBDA_0 = 0.25, PAPER_LAMBDA_MAX = 1.24;
    static final double TOLERANCE = 0.30;

    Du2019() {
        super(NAME, "Du, Zhai, Póczos, Singh: Gradient Descent Provably Optimizes Over-parameterized Neural Networks (ICLR 2019), Figure 1",
                SYNTHETIC_DATA_OPTIONS);
    }

    @Override
    public void run(ReproductionContext ctx) throws Exception {
        ReproductionOptions o = ctx.options();
        boolean quick = ctx.quick();
        int n = ctx.setting(o.n(), 64, 1000);
        int d = ctx.setting(o.d(), 64, 1000);
        List<Integer> widths = ctx.setting(o.widths(), List.of(128, 256, 512, 1024), List.of(500, 1000, 2000, 4000, 8000));
        long steps = ctx.setting(o.steps(), 100L);
        double eta = ctx.setting(o.lr(), 0.1);
        long seed = ctx.setting(o.seed(), 0L);
        long theoryEvery = ctx.setting(o.theoryEvery(), 10L);
        long every = ctx.setting(o.every(), 1L);
        requirePositive("--widths", widths);
        ctx.plan(widths.size());
        // Per step: forward X Wᵀ and backward Gᵀ X, 2nmd multiply-adds each; λ_min(H(k)) adds n²m per evaluation.
        double[] flops = new double[widths.size()];
        double theorySeconds = 0;
        long probes = steps / theoryEvery + 2;
        for (int i = 0; i < widths.size(); i++) {
            int m = widths.get(i);
            flops[i] = (steps + 1) * 4.0 * n * d * m + probes * 2.0 * n * n * m + 2.0 * n * n * d;
            // ojAlgo on this kind of machine: ≈ 1.5 s for H∞'s eigenvectors and 0.5 s per eigenvalue solve at n = 1000.
            theorySeconds += Math.pow(n / 1000.0, 3) * (1.5 + 0.5 * probes);
        }
        ctx.announce(flops, theorySeconds);

        List<String> runs = new ArrayList<>();
        Map<Integer, MetricsTable> metrics = new LinkedHashMap<>();
        Map<Integer, Map<String, Object>> theories = new LinkedHashMap<>();
        for (int m : widths) {
            String run = "m" + m;
            runs.add(run);
            ctx.train(run, onSphere(n, d, ModelSpec.TwoLayer.du2019(m), eta, steps, every, seed, theoryEvery));
            metrics.put(m, ctx.metrics(run));
            theories.put(m, Json.read(ctx.resolve(run).resolve("theory.json")));
        }

        // ---- theory.json: the data's facts (the same for every width) and each width's R′ and λ_min(H(k)) ----
        Map<String, Object> first = theories.get(widths.get(0));
        Map<String, Object> theory = new LinkedHashMap<>();
        for (String key : List.of("n", "d", "output_layer_in_kernel", "eta", "eta_kernel", "loss_factor", "lambda_0", "lambda_max", "condition_number",
                "stability_limit_eta", "du_rate", "delta", "required_width", "y_norm_squared", "y_Hinv_y", "generalisation_measure")) {
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

        // ---- series: the three panels of Figure 1 (one column per width), and the final values against m ----
        MetricsTable base = metrics.get(widths.get(0));
        double[] stepAxis = base.column("step");
        SeriesCsv loss = new SeriesCsv("step", stepAxis), pattern = new SeriesCsv("step", stepAxis),
                dist = new SeriesCsv("step", stepAxis), bound = new SeriesCsv("step", stepAxis);
        int k = widths.size();
        double[] ms = new double[k], finalLoss = new double[k], finalPattern = new double[k], finalDist = new double[k],
                radius = new double[k], lminFinal = new double[k], lossRatio = new double[k];
        boolean lossFalls = true;
        List<String> notFalling = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int m = widths.get(i);
            MetricsTable t = metrics.get(m);
            loss.add("loss_m" + m, t.column("loss"));
            pattern.add("pattern_change_m" + m, t.column("pattern_change"));
            dist.add("w_dist_max_row_m" + m, t.column("w_dist_max_row"));
            bound.add("loss_m" + m, t.column("loss")).add("pred_du_bound_m" + m, t.column("pred_du_bound"))
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
        new SeriesCsv("width", ms).add("final_loss", finalLoss).add("loss_ratio", lossRatio).add("pattern_change", finalPattern)
                .add("w_dist_max_row", finalDist).add("radius_R", radius).add("lambda_min_H_final", lminFinal)
                .write(ctx.seriesFile("final_vs_width"));

        boolean movesLess = Checks.strictlyDecreasing(finalDist);
        boolean flipsFewer = Checks.strictlyDecreasing(finalPattern);

        // ---- the comparison with the paper: only meaningful at the paper's sizes ----
        boolean paperSizes = n == 1000 && d == 1000 && steps == 100 && eta == 0.1;
        double lambda0 = ((Number) first.get("lambda_0")).doubleValue();
        double lambdaMax = ((Number) first.get("lambda_max")).doubleValue();
        MarkdownTable table = new MarkdownTable("quantity", "paper", "widenet", "ratio", "within ±30 %");
        List<Boolean> within = new ArrayList<>();
        Object[][] compare = {
                {"pattern-change ratio, m = 500, epoch 100", PAPER_PATTERN_500, valueAt(widths, finalPattern, 500)},
                {"pattern-change ratio, m = 2000, epoch 100", PAPER_PATTERN_2000, valueAt(widths, finalPattern, 2000)},
                {"max_r ‖w_r(k) − w_r(0)‖, m = 500, epoch 100", PAPER_DIST_500, valueAt(widths, finalDist, 500)},
                {"max_r ‖w_r(k) − w_r(0)‖, m = 2000, epoch 100", PAPER_DIST_2000, valueAt(widths, finalDist, 2000)},
                {"λ₀ = λ_min(H∞)", PAPER_LAMBDA_0, lambda0},
                {"λ_max(H∞)", PAPER_LAMBDA_MAX, lambdaMax},
        };
        for (Object[] c : compare) {
            double paper = (Double) c[1], ours = (Double) c[2], ratio = ours / paper;
            boolean ok = Math.abs(ratio - 1) <= TOLERANCE;
            if (!Double.isNaN(ours)) {
                within.add(ok);
            }
            table.row(c[0], paper, ours, ratio, Double.isNaN(ours) ? "–" : !paperSizes ? "n/a (not the paper's sizes)" : ok ? "yes" : "NO");
        }
        boolean allWithin = paperSizes && !within.isEmpty() && within.stream().allMatch(b -> b);

        MarkdownTable perWidth = new MarkdownTable("m", "loss(0)", "loss(final)", "final/initial", "pattern change",
                "max_r ‖w_r − w_r(0)‖", "R′ (Du et al.)", "λ_min(H(0))", "λ_min(H(final))", "GD seconds", "theory seconds");
        for (int i = 0; i < k; i++) {
            int m = widths.get(i);
            MetricsTable t = metrics.get(m);
            RunRecord rec = RunRecord.read(ctx.resolve("m" + m));
            perWidth.row(m, t.first("loss"), finalLoss[i], lossRatio[i], finalPattern[i], finalDist[i], radius[i],
                    t.first("lambda_min_H"), lminFinal[i], rec.gdSeconds(), rec.theorySeconds());
        }

        StringBuilder md = new StringBuilder();
        md.append("# Reproduction: Du et al. 2019, Figure 1\n\n");
        md.append(paper()).append(".\n\n");
        md.append(String.format("Setting: n = %d, d = %d, xᵢ uniform on the unit sphere, yᵢ ~ N(0, 1), widths %s, %d full-batch GD steps, "
                + "η = %s, κ = 1, a fixed, seed %d%s. Kernels: %s, %d thread(s).%n%n", n, d, widths, steps, eta, seed,
                quick ? " (**--quick**: not the paper's sizes)" : "", ctx.kernels(), ctx.threads()));
        md.append("## Against the paper\n\n").append(table).append('\n');
        Checks checks = new Checks()
                .add("loss_falls_every_width", lossFalls, "the loss falls for every width (each metrics row ≤ the previous one)"
                        + (lossFalls ? "" : "; not for " + String.join(", ", notFalling)))
                .add("wider_moves_less", movesLess, "wider runs move less: max_r ‖w_r(k) − w_r(0)‖ at the last step strictly decreases with m "
                        + MarkdownTable.list(finalDist))
                .add("wider_flips_fewer", flipsFewer, "wider runs flip fewer activation patterns: the pattern-change ratio strictly decreases with m "
                        + MarkdownTable.list(finalPattern));
        if (paperSizes) {
            checks.add("within_30_percent_of_paper", allWithin, "pattern change and max distance at m = 500 and 2000, λ₀ and λ_max within ±30 % of the paper");
        } else {
            checks.notApplicable("within_30_percent_of_paper",
                    "- n/a: the ±30 % comparison with the paper needs the paper's sizes (n = d = 1000, 100 steps, η = 0.1)\n");
        }
        md.append(checks.markdown());
        md.append('\n');
        md.append("## Per width\n\n").append(perWidth).append('\n');
        md.append(String.format("H∞ of the data: λ₀ = %.4g, λ_max = %.4g, GD on the predictions stable for η < %.4g; "
                        + "Du et al.'s rate at η = %s is 1 − ηλ₀/2 = %.5f per step; the width their theorem asks for (δ = %s, constant 1) "
                        + "is m = n⁶/(λ₀⁴δ³) = %.3g.%n%n", lambda0, lambdaMax, ((Number) first.get("stability_limit_eta")).doubleValue(),
                eta, ((Number) first.get("du_rate")).doubleValue(), first.get("delta"), ((Number) first.get("required_width")).doubleValue()));
        md.append("Curves: `series/loss.csv`, `series/pattern_change.csv`, `series/w_dist_max_row.csv` (Figure 1a–c, one column per width), "
                + "`series/predictions.csv` (loss against Du et al.'s bound and the linearised trajectory), `series/final_vs_width.csv`.\n");
        ctx.writeSummary(md.toString(), "## Against the paper", "## Per width");
        ctx.writeRecord(entries("n", n, "d", d, "widths", widths, "steps", steps, "lr", eta, "seed", seed, "theory_every", theoryEvery),
                checks, Map.of());
    }

    private static double valueAt(List<Integer> widths, double[] values, int m) {
        int i = widths.indexOf(m);
        return i < 0 ? Double.NaN : values[i];
    }
}
