package widenet.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.Json;
import widenet.train.ModelSpec;

/**
 * Gao, Liu, Liu, Rajan &amp; Gao (ICLR 2022): the implicit ReLU network z* = relu(Ãz* + φ(x)), Ã = (γ/√m)A, trained
 * by GD, keeps a unique equilibrium (‖Ã‖₂ &lt; 1) and converges linearly to a global minimum when it is wide
 * enough; the Gram matrix of the equilibrium features Z Zᵀ drives the rate. Here: γ = 0.2 (‖Ã‖₂ ≈ 0.4) at widths
 * m ∈ {2n, 4n, 8n}, A and B trained (u fixed, as Du et al. fix a), with the contraction required; and γ too large,
 * twice: γ = 0.7 with the contraction required (stops at once: ‖Ã‖₂ ≈ 1.4) and γ = 2 without (the forward fixed
 * point overflows). Checks: near-zero loss and geometric decay, ‖Ã‖₂ &lt; 1 on every row, λ_min(ZZᵀ) &gt; 0 and at
 * least half its initial value, the equilibrium map moving less as m grows, and both γ-too-large runs stopping
 * with the promised message (exit 3 from {@code widenet train}) and no NaN row.
 */
final class Gao2022 extends Reproduction {
    static final String NAME = "gao2022";
    static final double GAMMA = 0.2, GAMMA_REQUIRED_TOO_LARGE = 0.7, GAMMA_DIVERGING = 2.0;

    Gao2022() {
        super(NAME, "Gao, Liu, Liu, Rajan, Gao, A global convergence theory for deep ReLU implicit networks via over-parameterization (ICLR 2022)",
                SYNTHETIC_DATA_OPTIONS);
    }

    record Stopped(String name, double gamma, boolean contractionRequired, String message, boolean noNanRow, int rows) {
    }

    @Override
    public void run(ReproductionContext ctx) throws Exception {
        ReproductionOptions o = ctx.options();
        boolean quick = ctx.quick();
        int n = ctx.setting(o.n(), 32, 256);
        int d = ctx.setting(o.d(), 16, 64);
        List<Integer> widths = ctx.setting(o.widths(), List.of(2 * n, 4 * n, 8 * n));
        long steps = ctx.setting(o.steps(), 60L, 100L);
        long seed = ctx.setting(o.seed(), 0L);
        long every = ctx.setting(o.every(), 1L);
        long theoryEvery = ctx.setting(o.theoryEvery(), 10L);
        requirePositive("--widths", widths);
        // The NTK of this network is of order m/d per sample pair (README, implicit networks), so the stable step of
        // the summed loss scales like d/(m·n): η = C·d/(m·n), C measured at n = 256, m = 1024, d = 64 (η = 0.04,
        // run A of the README) and at n = 32, m = 128, d = 16 (η = 0.3).
        double c = quick ? 0.3 * 128 * 32 / 16.0 : 0.04 * 1024 * 256 / 64.0;
        ctx.plan(widths.size() + 2);
        double[] flops = new double[widths.size() + 2];
        for (int i = 0; i < widths.size(); i++) {
            int m = widths.get(i);
            // about 5 forward and 8 adjoint iterations of one n×m×m GEMM per step, plus the gradient GEMMs
            flops[i] = steps * 2.0 * n * m * (15.0 * m + 2 * d);
        }
        ctx.announce(flops, widths.size() * (steps / Math.max(1, theoryEvery) + 2) * Math.pow(n / 512.0, 3) * 0.5);

        List<String> names = new ArrayList<>();
        Map<String, Double> etas = new LinkedHashMap<>();
        for (int m : widths) {
            String name = "m" + m;
            double eta = o.lr() != null ? o.lr() : Double.parseDouble(DeepVariant.fourDigits(c * d / ((double) m * n)));
            etas.put(name, eta);
            ctx.train(name, onSphere(n, d, implicit(m, GAMMA, true), eta, steps, every, seed, theoryEvery));
            names.add(name);
        }
        int m0 = widths.get(widths.size() / 2);
        double eta0 = etas.get("m" + m0);
        List<Stopped> stopped = new ArrayList<>();
        stopped.add(tooLarge(ctx, "gamma" + GAMMA_REQUIRED_TOO_LARGE + "_required", GAMMA_REQUIRED_TOO_LARGE, true, n, d, m0, eta0, steps, seed, theoryEvery));
        stopped.add(tooLarge(ctx, "gamma" + GAMMA_DIVERGING, GAMMA_DIVERGING, false, n, d, m0, eta0, steps, seed, theoryEvery));

        // ---- checks, from the run folders ----
        int k = widths.size();
        boolean nearZero = true, linear = true, contraction = true, gramPositive = true, gramHalf = true;
        double[] ms = new double[k], moveA = new double[k], moveB = new double[k], gram0 = new double[k], gramEnd = new double[k],
                normMax = new double[k], lossRatio = new double[k];
        List<MetricsTable> tables = new ArrayList<>();
        List<LossCurve> curves = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int m = widths.get(i);
            MetricsTable t = ctx.metrics(names.get(i));
            tables.add(t);
            LossCurve lc = LossCurve.of(t.column("step"), t.column("loss"));
            curves.add(lc);
            nearZero &= lc.nearZero();
            linear &= lc.linear();
            normMax[i] = DeepVariant.max(t.column("a_tilde_norm"));
            contraction &= normMax[i] < 1;
            double[] g = t.measured("lambda_min_zz");
            gram0[i] = g[0];
            gramEnd[i] = g[g.length - 1];
            gramPositive &= DeepVariant.min(g) > 0;
            gramHalf &= DeepVariant.min(g) >= 0.5 * g[0];
            ms[i] = m;
            // ‖Ã(k) − Ã(0)‖_F = (γ/√m)‖A(k) − A(0)‖_F: how far the equilibrium map itself moved
            moveA[i] = GAMMA * t.last("A_dist_fro") / Math.sqrt(m);
            moveB[i] = t.last("W_dist_fro") / Math.sqrt(d);
            lossRatio[i] = lc.ratio();
        }
        boolean movesLess = Checks.strictlyDecreasing(moveA);
        boolean stopsAsPromised = stopped.stream().allMatch(s -> s.message() != null && s.noNanRow()
                && s.message().contains("‖Ã‖₂") && (s.contractionRequired() ? s.message().contains("contraction is required")
                : s.message().contains("not a contraction")));

        // ---- series ----
        double[] stepAxis = tables.get(0).column("step");
        SeriesCsv loss = new SeriesCsv("step", stepAxis), norm = new SeriesCsv("step", stepAxis), fwd = new SeriesCsv("step", stepAxis),
                bwd = new SeriesCsv("step", stepAxis), dist = new SeriesCsv("step", stepAxis);
        double[] thSteps = tables.get(0).measuredSteps("lambda_min_zz");
        SeriesCsv gram = new SeriesCsv("step", thSteps);
        for (int i = 0; i < k; i++) {
            MetricsTable t = tables.get(i);
            String s = names.get(i);
            loss.add("loss_" + s, t.column("loss"));
            norm.add("a_tilde_norm_" + s, t.column("a_tilde_norm"));
            fwd.add("fwd_iters_" + s, t.column("fwd_iters"));
            bwd.add("bwd_iters_" + s, t.column("bwd_iters"));
            dist.add("A_dist_fro_" + s, t.column("A_dist_fro"));
            gram.add("lambda_min_zz_" + s, t.measured("lambda_min_zz"));
        }
        loss.write(ctx.seriesFile("loss"));
        norm.write(ctx.seriesFile("a_tilde_norm"));
        fwd.write(ctx.seriesFile("fwd_iters"));
        bwd.write(ctx.seriesFile("bwd_iters"));
        dist.write(ctx.seriesFile("A_dist_fro"));
        gram.write(ctx.seriesFile("lambda_min_zz"));
        new SeriesCsv("width", ms).add("loss_ratio", lossRatio).add("a_tilde_dist_fro", moveA).add("b_dist_fro_scaled", moveB)
                .add("lambda_min_zz_initial", gram0).add("lambda_min_zz_final", gramEnd).add("a_tilde_norm_max", normMax)
                .write(ctx.seriesFile("final_vs_width"));

        Map<String, Object> theory = new LinkedHashMap<>();
        theory.put("n", n);
        theory.put("d", d);
        theory.put("gamma", GAMMA);
        theory.put("eta_rule", etaRule(o.lr(), "η = C·d/(m·n), C = " + c));
        for (int i = 0; i < k; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("eta", etas.get(names.get(i)));
            t.put("a_tilde_norm_initial", tables.get(i).first("a_tilde_norm"));
            t.put("a_tilde_norm_max", normMax[i]);
            t.put("lambda_min_zz_initial", gram0[i]);
            t.put("lambda_min_zz_final", gramEnd[i]);
            theory.put(names.get(i), t);
        }
        Json.write(ctx.resolve("theory.json"), theory);

        // ---- summary.md ----
        MarkdownTable claims = new MarkdownTable("claim (Gao et al. 2022)", "paper", "widenet", "verdict");
        claims.row("a unique equilibrium throughout training when wide enough", "‖Ã‖₂ < 1 (≈ 2γ at init)",
                "max ‖Ã‖₂ over every row: " + MarkdownTable.list(normMax), contraction ? "yes" : "NO");
        claims.row("GD converges linearly to a global minimum", "linear rate, loss → 0", rates(names, curves), nearZero && linear ? "yes" : "NO");
        claims.row("the equilibrium features' Gram ZZᵀ stays well-conditioned", "λ_min(ZZᵀ) > 0 along training",
                "λ_min(ZZᵀ) initial " + MarkdownTable.list(gram0) + ", final " + MarkdownTable.list(gramEnd), gramPositive && gramHalf ? "yes" : "NO");
        claims.row("γ too large: no guarantee of a well-posed equilibrium", "‖Ã‖₂ ≥ 1", stopped.stream()
                .map(s -> s.name() + ": " + (s.message() == null ? "did not stop" : "stopped")).toList().toString(), stopsAsPromised ? "stops as promised" : "NO");

        MarkdownTable per = new MarkdownTable("run", "m", "η", "loss 0 → end", "steps to 10⁻⁶·L(0)", "fitted rate", "R²", "‖Ã‖₂ max",
                "fwd iters (first → last)", "bwd iters (max)", "λ_min(ZZᵀ) 0 → end", "‖Ã−Ã(0)‖_F", "‖B−B(0)‖_F/√d");
        for (int i = 0; i < k; i++) {
            MetricsTable t = tables.get(i);
            LossCurve lc = curves.get(i);
            per.row(names.get(i), widths.get(i), etas.get(names.get(i)), lc.cells(), normMax[i],
                    (long) t.first("fwd_iters") + " → " + (long) t.last("fwd_iters"), (long) DeepVariant.max(t.measured("bwd_iters")),
                    MarkdownTable.num(gram0[i]) + " → " + MarkdownTable.num(gramEnd[i]), moveA[i], moveB[i]);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Reproduction: Gao et al. 2022, implicit (equilibrium) ReLU networks\n\n").append(paper()).append(".\n\n");
        md.append(String.format("Setting: n = %d, d = %d, xᵢ uniform on the unit sphere, yᵢ ~ N(0, 1); z* = relu(Ãz* + Bx/√d), Ã = (γ/√m)A, "
                        + "ŷ = uᵀz*, every weight N(0, 1) at initialisation, A and B trained, u fixed; γ = %s, m ∈ %s, --require-contraction; "
                        + "½Σ(ŷ − y)², full-batch GD for %d steps, %s; fixed points to a relative 1e-6; seed %d%s. Kernels: %s, %d thread(s).%n%n",
                n, d, GAMMA, widths, steps, o.lr() != null ? "η = " + o.lr() : "η = C·d/(m·n) with C = " + MarkdownTable.num(c)
                        + " (the network's NTK is of order m/d)", seed, quick ? " (**--quick**: small sizes)" : "", ctx.kernels(), ctx.threads()));
        md.append("## The paper's claims against widenet\n\n").append(claims).append('\n');
        Checks checks = new Checks()
                .add("near_zero_loss_every_width", nearZero,
                        "every γ = " + GAMMA + " run reaches near-zero loss, L(end) ≤ 10⁻⁶·L(0): " + MarkdownTable.list(lossRatio))
                .add("linear_convergence_every_width", linear,
                        "the loss decays geometrically (log L linear in k, R² ≥ " + LossCurve.MIN_R_SQUARED + ", rate < 1)")
                .add("contraction_every_row", contraction, "‖Ã‖₂ < 1 on every metrics row: the equilibrium stays unique throughout")
                .add("gram_positive", gramPositive, "λ_min(ZZᵀ) > 0 on every theory row")
                .add("gram_above_half_initial", gramHalf, "λ_min(ZZᵀ) stays at least half its initial value")
                .add("wider_moves_less", movesLess,
                        "wider networks move their equilibrium map less: ‖Ã(end) − Ã(0)‖_F strictly decreases with m " + MarkdownTable.list(moveA))
                .add("gamma_too_large_stops", stopsAsPromised, "γ too large stops the run (exit 3) with the promised message and no NaN row");
        md.append(checks.markdown());
        md.append('\n').append("## Per run\n\n").append(per).append('\n');
        md.append("## γ too large\n\n");
        for (Stopped s : stopped) {
            md.append(String.format("- `%s` (γ = %s, m = %d%s): %s; %d metrics row(s) kept, none NaN: %s%n", s.name(), s.gamma(), m0,
                    s.contractionRequired() ? ", --require-contraction" : "", s.message() == null ? "**did not stop**" : "stopped: “" + s.message() + "”",
                    s.rows(), s.noNanRow() ? "yes" : "NO"));
        }
        md.append("\nCurves: `series/loss.csv`, `series/a_tilde_norm.csv`, `series/lambda_min_zz.csv` (theory rows), `series/fwd_iters.csv`, "
                + "`series/bwd_iters.csv`, `series/A_dist_fro.csv`, `series/final_vs_width.csv`.\n");
        ctx.writeSummary(md.toString(), "## The paper's", "## Per run");
        Map<String, Object> st = new LinkedHashMap<>();
        for (Stopped s : stopped) {
            st.put(s.name(), s.message());
        }
        ctx.writeRecord(entries("n", n, "d", d, "widths", widths, "gamma", GAMMA, "steps", steps,
                        "lr", o.lr() != null ? o.lr() : "C*d/(m*n), C = " + c, "seed", seed, "theory_every", theoryEvery),
                checks, entries("stopped_runs", st));
    }

    /** A run with γ too large: expected to stop (DivergenceException, exit 3 on the command line) at once. */
    private static Stopped tooLarge(ReproductionContext ctx, String name, double gamma, boolean require, int n, int d, int m,
                                    double eta, long steps, long seed, long theoryEvery) throws Exception {
        String message = ctx.trainUntilStopped(name, onSphere(n, d, implicit(m, gamma, require), eta, steps, 1, seed, theoryEvery),
                "stopped as expected");
        MetricsTable t = ctx.metrics(name);
        boolean noNan = java.util.Arrays.stream(t.column("loss")).allMatch(Double::isFinite);
        return new Stopped(name, gamma, require, message, noNan, t.size());
    }

    /** The implicit network of the experiment: width m, γ, u frozen, the contraction required or not. */
    private static ModelSpec.Implicit implicit(int m, double gamma, boolean requireContraction) {
        return ModelSpec.Implicit.earlier(m, gamma, requireContraction, List.of("u"));
    }

    private static String rates(List<String> names, List<LossCurve> curves) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            s.add(names.get(i) + ": L(end)/L(0) = " + MarkdownTable.num(curves.get(i).ratio()) + ", rate " + MarkdownTable.num(curves.get(i).rate())
                    + "/step (R² " + MarkdownTable.num(curves.get(i).rSquared()) + ")");
        }
        return String.join("; ", s);
    }
}
