package widenet.reproduce;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.theory.NtkSpectrum;
import widenet.theory.TwoLayerTheory;
import widenet.train.internal.Json;

/**
 * arora2019's results, computed from the run folders and the one decomposition of H∞: Figure 1 (training loss for
 * true, random and worst-case labels against the linearised prediction; the spectrum and the label projections) and
 * Figure 2 (held-out ℓ₁ loss and classification error against the fraction of random labels, beside the measure
 * sqrt(2yᵀ(H∞)⁻¹y/n)), written as theory.json, series/*.csv, summary.md and reproduction.json.
 */
final class Arora2019Summary {
    private Arora2019Summary() {}

    /** Everything the summary reads: the settings, the theory, and per variant (random fractions, then the worst case) its data. */
    record Inputs(
            ReproductionOptions options,
            String data,
            List<Integer> classes,
            int n,
            int nTest,
            int d,
            int m,
            double kappa,
            long steps,
            double eta,
            List<Double> fractions,
            long seed,
            boolean quick,
            TwoLayerTheory theory,
            List<String> runs,
            List<double[]> ys,
            double[] yTest,
            List<MetricsTable> metrics,
            List<double[]> predicted,
            List<double[]> testOutputs,
            double theorySeconds) {}

    /** Held-out ℓ₁ loss mean |f(x) − y|, ½·mean (f(x) − y)² and the classification error (sign f(x) ≠ y; f = 0 counts as wrong). */
    record HeldOut(double l1, double halfMeanSquare, double error) {
        static HeldOut of(double[] f, double[] y) {
            double l1 = 0, sq = 0;
            int wrong = 0;
            for (int i = 0; i < y.length; i++) {
                double r = f[i] - y[i];
                l1 += Math.abs(r);
                sq += r * r;
                if (!(f[i] * y[i] > 0)) {
                    wrong++;
                }
            }
            return new HeldOut(l1 / y.length, 0.5 * sq / y.length, wrong / (double) y.length);
        }
    }

    static void write(ReproductionContext ctx, Reproduction rep, Inputs in) throws IOException {
        NtkSpectrum spectrum = in.theory.spectrum();
        int n = in.n, v = in.runs.size(), f = in.fractions.size(); // variants 0..f−1: random fractions; f: worst case
        int top = Math.max(1, Math.min(10, n / 20));
        double[] measure = new double[v],
                quad = new double[v],
                ratio = new double[v],
                gapMax = new double[v],
                gapFinal = new double[v],
                topShare = new double[v];
        double[] fr = new double[f], testL1 = new double[f], testSq = new double[f], testError = new double[f];
        double[] values = spectrum.values();
        SeriesCsv lossSeries = new SeriesCsv("step", in.metrics.get(0).column("step"));
        SeriesCsv spectrumSeries = new SeriesCsv("index", indexAxis(n)).add("eigenvalue", values);
        SeriesCsv testSeries = new SeriesCsv(
                "step", in.metrics.get(0).column("step")); // the runs' held-out columns (Figure 2 per step)
        Map<String, Object> theoryJson = new LinkedHashMap<>(in.theory.summary(TwoLayerTheory.DEFAULT_DELTA, false));
        theoryJson.put("eta", in.eta);
        theoryJson.put("eta_kernel", in.eta);
        theoryJson.put("du_rate", 1 - in.eta * spectrum.lambdaMin() / 2);
        for (String key : List.of("y_norm_squared", "y_Hinv_y", "generalisation_measure")) {
            theoryJson.remove(key);
        }
        for (int i = 0; i < v; i++) {
            double[] y = in.ys.get(i);
            MetricsTable t = in.metrics.get(i);
            quad[i] = spectrum.inverseQuadratic(y);
            measure[i] = Math.sqrt(2 * quad[i] / n);
            double[] loss = t.column("loss"), pred = in.predicted.get(i);
            ratio[i] = loss[loss.length - 1] / loss[0];
            double r0 = Math.sqrt(2 * loss[0]), g = 0;
            for (int s = 0; s < loss.length; s++) {
                g = Math.max(g, Math.abs(Math.sqrt(2 * loss[s]) - Math.sqrt(2 * pred[s])) / r0);
            }
            gapMax[i] = g;
            gapFinal[i] = Math.abs(Math.sqrt(loss[loss.length - 1]) - Math.sqrt(pred[pred.length - 1]))
                    / Math.sqrt(loss[loss.length - 1]);
            double[] proj = spectrum.projections(y);
            double share = 0, total = 0;
            for (int j = 0; j < n; j++) {
                total += proj[j];
                if (j >= n - top) {
                    share += proj[j];
                }
            }
            topShare[i] = share / total;
            String run = in.runs.get(i);
            lossSeries.add("loss_" + run, loss).add("pred_arora_" + run, pred);
            spectrumSeries.add("projection_" + run, proj);
            theoryJson.put("generalisation_measure_" + run, measure[i]);
            theoryJson.put("y_Hinv_y_" + run, quad[i]);
            theoryJson.put("top" + top + "_projection_share_" + run, topShare[i]);
            if (i < f && t.has("test_error")) {
                testSeries
                        .add("test_error_" + run, t.column("test_error"))
                        .add("test_loss_" + run, t.column("test_loss"));
            }
            if (i < f) {
                HeldOut h = HeldOut.of(in.testOutputs.get(i), in.yTest);
                fr[i] = in.fractions.get(i);
                testL1[i] = h.l1;
                testSq[i] = h.halfMeanSquare;
                testError[i] = h.error;
            }
        }
        theoryJson.put("spectrum", values);
        theoryJson.put("projections", spectrum.projections(in.ys.get(0)));
        theoryJson.put("projections_" + in.runs.get(f - 1), spectrum.projections(in.ys.get(f - 1)));
        theoryJson.put("projections_" + Arora2019.WORST, spectrum.projections(in.ys.get(f)));
        Json.write(ctx.resolve("theory.json"), theoryJson);
        lossSeries.write(ctx.seriesFile("loss"));
        spectrumSeries.write(ctx.seriesFile("spectrum"));
        testSeries.write(ctx.seriesFile("test_error"));
        new SeriesCsv("random_fraction", fr)
                .add("generalisation_measure", java.util.Arrays.copyOf(measure, f))
                .add("test_error", testError)
                .add("test_l1_loss", testL1)
                .add("test_half_mean_square_loss", testSq)
                .add("y_Hinv_y", java.util.Arrays.copyOf(quad, f))
                .add("final_loss_ratio", java.util.Arrays.copyOf(ratio, f))
                .add("trajectory_gap_max", java.util.Arrays.copyOf(gapMax, f))
                .add("trajectory_gap_final", java.util.Arrays.copyOf(gapFinal, f))
                .add("top" + top + "_projection_share", java.util.Arrays.copyOf(topShare, f))
                .write(ctx.seriesFile("measure_vs_fraction"));

        // ---- checks ----
        // True labels (fraction 0) against every variant with random labels; the trend across random fractions is
        // reported but not checked (neighbouring fractions such as 75 % and 100 % differ by sampling noise).
        int trueIndex = in.fractions.indexOf(0.0);
        boolean slower = trueIndex >= 0 && f > 1, measureLowest = slower, testLowest = slower, worstSlowest = true;
        for (int i = 0; i < f; i++) {
            if (i != trueIndex && trueIndex >= 0) {
                slower &= ratio[i] > ratio[trueIndex];
                measureLowest &= measure[i] > measure[trueIndex];
                testLowest &= testError[i] > testError[trueIndex];
            }
            worstSlowest &= ratio[f] > ratio[i];
        }
        double worstGap = 0;
        for (double g : gapMax) {
            worstGap = Math.max(worstGap, g);
        }
        boolean tracks = worstGap <= 0.1;
        double rho = spearman(java.util.Arrays.copyOf(measure, f), testError);

        MarkdownTable fig1 = new MarkdownTable(
                "labels",
                "measure sqrt(2yᵀ(H∞)⁻¹y/n)",
                "share of ‖y‖² on top " + top + " eigenvectors",
                "loss(0)",
                "loss(final)",
                "final/initial",
                "max gap ‖y−u‖ measured vs predicted (/‖y−u(0)‖)",
                "final relative gap");
        for (int i = 0; i < v; i++) {
            MetricsTable t = in.metrics.get(i);
            fig1.row(
                    i < f ? String.format("%.0f %% random", 100 * fr[i]) : "worst case (√n·v_min)",
                    measure[i],
                    topShare[i],
                    t.first("loss"),
                    t.last("loss"),
                    ratio[i],
                    gapMax[i],
                    gapFinal[i]);
        }
        MarkdownTable fig2 = new MarkdownTable(
                "random labels",
                "test error",
                "test ℓ₁ loss mean ∣f − y∣",
                "test ½·mean (f − y)²",
                "measure sqrt(2yᵀ(H∞)⁻¹y/n)");
        for (int i = 0; i < f; i++) {
            fig2.row(String.format("%.0f %%", 100 * fr[i]), testError[i], testL1[i], testSq[i], measure[i]);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Reproduction: Arora et al. 2019, true, random and worst-case labels\n\n")
                .append(rep.paper())
                .append(".\n\n");
        md.append(String.format(
                "Setting: Fashion-MNIST (%s) classes %s, n = %d training images (n/2 each), a held-out set of %d more (n/10 "
                        + "per class, disjoint, true labels), d = %d, ‖x‖ = 1, labels ±1; width m = %d, κ = %s, W trained, sum loss, %d "
                        + "full-batch GD steps at η = %.4g%s; random-label fractions %s and the worst-case labels y = √n·v_min(H∞), seed %d%s. "
                        + "Kernels: %s, %d thread(s).%n%n",
                in.data,
                in.classes,
                n,
                in.nTest,
                in.d,
                in.m,
                in.kappa,
                in.steps,
                in.eta,
                in.options.lr() != null ? "" : " (= 1/λ_max(H∞), half the stability limit)",
                in.fractions,
                in.seed,
                in.quick ? " (**--quick**)" : "",
                ctx.kernels(),
                ctx.threads()));
        md.append(String.format(
                "H∞: λ₀ = %.4g, λ_max = %.4g, condition number %.3g (built and decomposed once in %.1f s).%n%n",
                spectrum.lambdaMin(),
                spectrum.lambdaMax(),
                spectrum.lambdaMax() / spectrum.lambdaMin(),
                in.theorySeconds));
        md.append(
                "Arora et al.'s own figures are on MNIST and CIFAR-10: these tables check their claims on Fashion-MNIST, they hold no "
                        + "number of the paper's.\n\n");
        md.append("### Figure 1: training loss with true, random and worst-case labels\n\n")
                .append(fig1)
                .append('\n');
        md.append(
                "The prediction is the linearised trajectory ‖y − u(k)‖² ≈ Σᵢ (1 − ηλᵢ)^{2k} (vᵢᵀ(y − u(0)))² with the eigenpairs of H∞ "
                        + "(u(0) from each run's init/ weights); the gap is |‖y − u(k)‖ − prediction| over all steps, relative to ‖y − u(0)‖.\n\n");
        md.append("### Figure 2: held-out loss and error against the fraction of random labels\n\n")
                .append(fig2)
                .append('\n');
        md.append(String.format(
                "Spearman rank correlation between the measure and the test error over the fractions: %s.%n%n",
                MarkdownTable.num(rho)));
        Checks checks = new Checks()
                .add(
                        "random_labels_converge_slower",
                        slower,
                        "random labels converge more slowly: loss(final)/loss(0) is larger for "
                                + "every fraction of random labels than for the true labels "
                                + MarkdownTable.list(java.util.Arrays.copyOf(ratio, f)))
                .add(
                        "worst_case_labels_converge_slowest",
                        worstSlowest,
                        "the worst-case labels converge the slowest of all: loss(final)/loss(0) = "
                                + MarkdownTable.num(ratio[f]) + " (Figure 1)")
                .add(
                        "measure_smallest_for_true_labels",
                        measureLowest,
                        "the measure sqrt(2yᵀ(H∞)⁻¹y/n) is smallest for the true labels "
                                + MarkdownTable.list(java.util.Arrays.copyOf(measure, f)))
                .add(
                        "test_error_smallest_for_true_labels",
                        testLowest,
                        "the held-out error is smallest for the true labels " + MarkdownTable.list(testError)
                                + " (Figure 2)");
        if (Checks.strictlyIncreasing(fr)) {
            checks.note(String.format(
                    "- trend (not a check): loss(final)/loss(0) %s, the measure %s and the test error %s with the random fraction%n",
                    Checks.strictlyIncreasing(java.util.Arrays.copyOf(ratio, f))
                            ? "increases"
                            : "does not strictly increase",
                    Checks.strictlyIncreasing(java.util.Arrays.copyOf(measure, f))
                            ? "increases"
                            : "does not strictly increase",
                    Checks.strictlyIncreasing(testError) ? "increases" : "does not strictly increase"));
        }
        checks.add(
                "trajectory_tracks_within_10_percent",
                tracks,
                String.format(
                        "the predicted trajectory tracks the measured one: "
                                + "largest gap %.3g of ‖y − u(0)‖ (criterion: ≤ 0.1)",
                        worstGap));
        md.append(checks.markdown());
        md.append(
                "\nCurves: `series/loss.csv` (measured and predicted loss per variant: Figure 1), `series/spectrum.csv` (eigenvalues of H∞, "
                        + "ascending, and (vᵢᵀy)² per variant), `series/measure_vs_fraction.csv` (Figure 2: test error and loss, the measure), `series/test_error.csv` (the held-out error and ½Σ loss per step and run). "
                        + "Data: `data/X.npy`, `data/y_<run>.npy`, `data/X_test.npy`, `data/y_test.npy`.\n");
        Figure fig = new Figure(
                "Figures 1 and 2 on Fashion-MNIST: training loss with true, random and worst-case labels against the "
                        + "linearised prediction (dashed); held-out error and the measure against the random-label fraction (no paper values: the "
                        + "paper's figures are on MNIST and CIFAR-10)",
                "Arora et al. 2019, Figures 1 and 2 (their claims, not their numbers)");
        SeriesCsv lossPanel = new SeriesCsv("step", in.metrics.get(0).column("step"));
        for (int i : new int[] {trueIndex, f - 1, f}) {
            if (i >= 0) {
                lossPanel
                        .add("loss_" + in.runs.get(i), in.metrics.get(i).column("loss"))
                        .add("pred_loss_" + in.runs.get(i), in.predicted.get(i));
            }
        }
        fig.panel(ctx, "Figure 1: training loss ½‖y − u(k)‖²", "figure1_loss", lossPanel, false, true);
        fig.panel(
                ctx,
                "Figure 2: held-out error against the random fraction",
                "figure2_test_error",
                new SeriesCsv("random_fraction", fr).add("test_error", testError),
                false,
                false);
        fig.panel(
                ctx,
                "Figure 2: the measure sqrt(2yᵀ(H∞)⁻¹y/n)",
                "figure2_measure",
                new SeriesCsv("random_fraction", fr).add("generalisation_measure", java.util.Arrays.copyOf(measure, f)),
                false,
                false);
        ctx.writeSummary(md.toString(), "H∞:", "\nCurves");
        ctx.writeRecord(
                Reproduction.entries(
                        "data",
                        in.data,
                        "classes",
                        in.classes,
                        "n",
                        n,
                        "n_test",
                        in.nTest,
                        "d",
                        in.d,
                        "width",
                        in.m,
                        "kappa",
                        in.kappa,
                        "lr",
                        in.eta,
                        "lr_rule",
                        in.options.lr() != null ? "given" : "1/lambda_max(H_inf)",
                        "steps",
                        in.steps,
                        "fractions",
                        in.fractions,
                        "seed",
                        in.seed),
                checks,
                Reproduction.entries(
                        "trajectory_gap_max",
                        worstGap,
                        "theory_seconds_data",
                        in.theorySeconds,
                        "test_error",
                        testError,
                        "measure_test_error_spearman",
                        rho,
                        "figure",
                        fig.record()));
    }

    /** Spearman's rank correlation (ties by average rank); NaN for fewer than 2 values. */
    static double spearman(double[] a, double[] b) {
        if (a.length < 2) {
            return Double.NaN;
        }
        double[] ra = ranks(a), rb = ranks(b);
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += ra[i] / a.length;
            mb += rb[i] / a.length;
        }
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static double[] ranks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int less = 0, equal = 0;
            for (double w : v) {
                less += w < v[i] ? 1 : 0;
                equal += w == v[i] ? 1 : 0;
            }
            r[i] = less + (equal + 1) / 2.0;
        }
        return r;
    }

    private static double[] indexAxis(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }
}
