package widenet.reproduce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gao et al.'s Figure 1 (ICLR 2022) from widenet's runs, one data set at a time: the three panels as series (training
 * loss, test loss and ‖γ̃A(k)‖ against the epoch, one column per width) and the paper's claims as checks:
 * <ul>
 *   <li>wider converges faster: L(end)/L(0) of the training loss falls strictly with m (a ratio, since L(0) is
 *       each draw's own);</li>
 *   <li>wider reaches a lower test loss: the test loss at the last epoch falls strictly with m;</li>
 *   <li>‖γ̃A(k)‖ stays near its initial value: within 5 % of ‖γ̃A(0)‖ on every row, every width (the paper's panel c
 *       shows 0.198–0.199 throughout);</li>
 *   <li>λ_min(G(k)) ≥ λ₀/2 on every theory row (the proof's invariant; λ₀ = λ_min(G∞)).</li>
 * </ul>
 * The paper's column holds only what the paper states or plots (Figure 1; §4's text).
 */
final class Gao2022Figure {
    /** Relative band for "stays near its initial value". */
    static final double NORM_BAND = 0.05;
    /** Figure 1(c)'s ‖γ̃A(k)‖ range, read from the figure. */
    static final String PAPER_NORM = "≈ 0.198–0.199 throughout (Figure 1c, read from the figure)";

    private Gao2022Figure() {}

    /** One data set's runs, widths ascending. */
    record Panels(String dataset, int n, List<Integer> widths, List<MetricsTable> runs, double lambda0) {}

    /** The measured values per width and the four checks of one data set. */
    record Result(
            String dataset,
            int n,
            double[] finalLoss,
            double[] lossRatio,
            double[] finalTestLoss,
            double[] finalTestError,
            double[] normInitial,
            double[] normMaxDeviation,
            double[] gramMin,
            double lambda0,
            boolean fasterWhenWider,
            boolean lowerTestLossWhenWider,
            boolean normStays,
            boolean gramAboveHalf) {}

    static Result analyse(Panels p) {
        int k = p.widths().size();
        double[] loss = new double[k],
                ratio = new double[k],
                test = new double[k],
                err = new double[k],
                norm0 = new double[k],
                dev = new double[k],
                gmin = new double[k];
        boolean gramOk = true, normOk = true;
        for (int i = 0; i < k; i++) {
            MetricsTable t = p.runs().get(i);
            loss[i] = t.last("loss");
            ratio[i] = t.last("loss") / t.first("loss");
            test[i] = t.last("test_loss");
            err[i] = t.has("test_error") ? t.last("test_error") : Double.NaN;
            double[] norms = t.column("a_tilde_norm");
            norm0[i] = norms[0];
            double worst = 0;
            for (double v : norms) {
                worst = Math.max(worst, Math.abs(v - norms[0]) / norms[0]);
            }
            dev[i] = worst;
            normOk &= worst <= NORM_BAND;
            double[] g = t.measured("lambda_min_G");
            gmin[i] = DeepVariant.min(g);
            gramOk &= gmin[i] >= p.lambda0() / 2;
        }
        return new Result(
                p.dataset(),
                p.n(),
                loss,
                ratio,
                test,
                err,
                norm0,
                dev,
                gmin,
                p.lambda0(),
                Checks.strictlyDecreasing(ratio),
                Checks.strictlyDecreasing(test),
                normOk,
                gramOk);
    }

    /**
     * The three panels of one data set as figure panels, {@code series/fig1{a,b,c}_…_<dataset>.csv}, x = epoch (= step:
     * full batch), one column per width: training and test loss (log scale), ‖γ̃A(k)‖ (linear).
     */
    static void addPanels(Figure figure, ReproductionContext ctx, Panels p) throws IOException {
        double[] epochs = p.runs().get(0).column("epoch");
        SeriesCsv train = new SeriesCsv("epoch", epochs),
                test = new SeriesCsv("epoch", epochs),
                norm = new SeriesCsv("epoch", epochs);
        for (int i = 0; i < p.widths().size(); i++) {
            MetricsTable t = p.runs().get(i);
            String m = "m" + p.widths().get(i);
            train.add("train_loss_" + m, t.column("loss"));
            test.add("test_loss_" + m, t.column("test_loss"));
            norm.add("a_tilde_norm_" + m, t.column("a_tilde_norm"));
        }
        String d = p.dataset();
        figure.panel(ctx, d + ": training loss", "fig1a_train_loss_" + d, train, false, true)
                .panel(ctx, d + ": test loss", "fig1b_test_loss_" + d, test, false, true)
                .panel(ctx, d + ": ‖γ̃A(k)‖₂", "fig1c_a_tilde_norm_" + d, norm, false, false);
    }

    /** One data set's per-run table: losses, the operator norm, the Grams against λ₀/2, the envelope, the solvers. */
    static MarkdownTable perRun(Panels p) {
        MarkdownTable t = new MarkdownTable(
                "m",
                "train loss 0 → end",
                "test loss 0 → end",
                "test error end",
                "‖γ̃A‖ 0 → max",
                "min λ_min(G(k)) (λ₀/2)",
                "λ_min(H(k)) 0 → end",
                "(1 − ηλ₀/2)^k·L(0) at end",
                "fwd iters first → last",
                "bwd iters max");
        for (int i = 0; i < p.widths().size(); i++) {
            MetricsTable r = p.runs().get(i);
            double[] h = r.measured("lambda_min_H");
            t.row(
                    p.widths().get(i),
                    arrow(r.first("loss"), r.last("loss")),
                    arrow(r.first("test_loss"), r.last("test_loss")),
                    r.has("test_error") ? MarkdownTable.num(r.last("test_error")) : "–",
                    arrow(r.first("a_tilde_norm"), DeepVariant.max(r.column("a_tilde_norm"))),
                    MarkdownTable.num(DeepVariant.min(r.measured("lambda_min_G"))) + " ("
                            + MarkdownTable.num(p.lambda0() / 2) + ")",
                    arrow(h[0], h[h.length - 1]),
                    MarkdownTable.num(r.last("loss_bound")),
                    (long) r.first("fwd_iters") + " → " + (long) r.last("fwd_iters"),
                    (long) DeepVariant.max(r.measured("bwd_iters")));
        }
        return t;
    }

    private static String arrow(double a, double b) {
        return MarkdownTable.num(a) + " → " + MarkdownTable.num(b);
    }

    /** The claims table of one data set: the paper's statement, widenet's numbers, the verdict. */
    static MarkdownTable claims(Result r, List<Integer> widths) {
        MarkdownTable t =
                new MarkdownTable("claim (Gao et al. 2022, " + r.dataset() + ")", "paper", "widenet (ours)", "verdict");
        t.row(
                "larger m converges faster",
                "Figure 1, training loss: the curves fall faster for larger m",
                "L(end)/L(0) " + perWidth(widths, r.lossRatio()) + " (final training loss "
                        + perWidth(widths, r.finalLoss()) + ")",
                r.fasterWhenWider() ? "yes" : "NO");
        t.row(
                "larger m reaches a lower test loss; no bias–variance bell",
                "Figure 1, test loss: lower for larger m, no bell curve (§4)",
                "final test loss " + perWidth(widths, r.finalTestLoss())
                        + (Double.isNaN(r.finalTestError()[0])
                                ? ""
                                : "; test error " + perWidth(widths, r.finalTestError())),
                r.lowerTestLossWhenWider() ? "yes" : "NO");
        t.row(
                "‖γ̃A(k)‖ stays ≈ its initial value",
                PAPER_NORM,
                "‖γ̃A(0)‖ " + perWidth(widths, r.normInitial()) + "; largest relative change "
                        + perWidth(widths, r.normMaxDeviation()),
                r.normStays() ? "yes (within 5 %)" : "NO");
        t.row(
                "λ_min(G(k)) ≥ λ₀/2 throughout (the proof's invariant)",
                "Lemma (§3): holds w.h.p. for m = Ω̃(n²)",
                String.format(
                                Locale.ROOT,
                                "λ₀ = %s (ours, G∞ of the data); min λ_min(G(k)) %s",
                                MarkdownTable.num(r.lambda0()),
                                perWidth(widths, r.gramMin()))
                        + (widths.get(0) < r.n()
                                ? String.format(
                                        Locale.ROOT,
                                        "; for m < n = %d, rank G(k) ≤ m < n,"
                                                + " so λ_min(G(k)) = 0 up to rounding: the invariant can only hold from m ≥ n (the theorem asks m = Ω̃(n²))",
                                        r.n())
                                : ""),
                r.gramAboveHalf() ? "yes" : "NO");
        return t;
    }

    static String perWidth(List<Integer> widths, double[] v) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < widths.size(); i++) {
            s.add("m=" + widths.get(i) + ": " + MarkdownTable.num(v[i]));
        }
        return String.join(", ", s);
    }

    static Checks addChecks(Checks checks, Result r) {
        String d = r.dataset();
        return checks.add(
                        d + "_wider_converges_faster",
                        r.fasterWhenWider(),
                        d
                                + ": the training loss's decay L(end)/L(0) falls strictly with m (L(0) differs between the draws)")
                .add(
                        d + "_wider_lower_test_loss",
                        r.lowerTestLossWhenWider(),
                        d + ": the final test loss falls strictly with m")
                .add(d + "_a_tilde_norm_stays", r.normStays(), d + ": ‖γ̃A(k)‖ within 5 % of ‖γ̃A(0)‖ on every row")
                .add(d + "_gram_above_half_lambda0", r.gramAboveHalf(), d + ": λ_min(G(k)) ≥ λ₀/2 on every theory row");
    }

    static Map<String, Object> record(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lambda_0", r.lambda0());
        m.put("final_train_loss", r.finalLoss());
        m.put("train_loss_ratio", r.lossRatio());
        m.put("final_test_loss", r.finalTestLoss());
        m.put("final_test_error", r.finalTestError());
        m.put("a_tilde_norm_initial", r.normInitial());
        m.put("a_tilde_norm_max_relative_change", r.normMaxDeviation());
        m.put("lambda_min_G_min", r.gramMin());
        return m;
    }
}
