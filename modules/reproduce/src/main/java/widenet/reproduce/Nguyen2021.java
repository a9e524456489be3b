package widenet.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.ModelSpec;

/**
 * Nguyen (ICML 2021): a deep ReLU network in standard parameterisation ("as opposed to the NTK one", the abstract),
 * all layers trained by GD on the square loss, converges to zero loss with a single wide layer whose width is linear,
 * quadratic or cubic in N depending on the initialisation; the proof tracks the last hidden layer's Gram
 * λ_min(F_{L−1}F_{L−1}ᵀ). Here, in standard parameterisation (the default): widths d,h,h,w,1 with the wide layer last
 * (n_{L−1} = w, as a secondary account of the proof has it) under LeCun and He initialisation, w ∈ {N, 2N, 4N}, and
 * LeCun with a small (×0.1) or zero last layer W_L(0) — the route to linear width in that account (our reading; the
 * paper's text was not available). An NTK-parameterised network at w = N is a clearly named extra. Checks:
 * λ_min(F_{L−1}F_{L−1}ᵀ) > 0 at initialisation once w ≥ 2N and at least half its initial value throughout,
 * near-zero loss and geometric decay, the wide layer moving less (‖W_{L−1} − W_{L−1}(0)‖_F/√w) as it widens.
 */
final class Nguyen2021 extends Reproduction {
    static final String NAME = "nguyen2021";
    /**
     * η = factor/λ_max(K(0)). The N = 256–512 ReLU/He networks of the README converge at 1.2–1.6/λ_max(K(0)), and
     * at 0.5/λ_max the He runs here stay at 10⁻⁶–10⁻⁴ of L(0) after 1000 steps; the small --quick LeCun network at
     * w = N diverges at 1/λ_max, so half of it there.
     */
    static final double ETA_FACTOR = 1.0, ETA_FACTOR_QUICK = 0.5;

    /**
     * One initialisation: its name in the run names, the per-layer spec of {@code --init} (all layers, or one per
     * layer), the wide-layer widths it runs at (as multiples of N), the order of width the paper asks of the wide
     * layer (our reading of the paper: LeCun cubic, He quadratic with a depth-dependent factor; small last layer
     * linear per the secondary account; NTK parameterisation, not the paper's, linear), and whether it is the paper's
     * standard parameterisation.
     */
    record Init(String name, String spec, List<Integer> multiples, String order, boolean paper) {}

    static final List<Init> INITS = List.of(
            new Init("lecun", "lecun", List.of(1, 2, 4), "N³ (our reading)", true),
            new Init("he", "he", List.of(1, 2, 4), "N² ×2^O(L) (our reading)", true),
            new Init(
                    "lecun_small_last",
                    "lecun,lecun,lecun,lecun*0.1",
                    List.of(1, 2, 4),
                    "N (our reading of a secondary account)",
                    true),
            new Init(
                    "lecun_zero_last",
                    "lecun,lecun,lecun,zero",
                    List.of(1),
                    "N (our reading of a secondary account)",
                    true),
            new Init("extra_ntk", "ntk:2", List.of(1), "N (NTK parameterisation: not the paper's; an extra)", false));

    Nguyen2021() {
        super(
                NAME,
                "Nguyen, On the proof of global convergence of gradient descent for deep ReLU networks with linear widths (ICML 2021)",
                SYNTHETIC_DATA_OPTIONS);
    }

    @Override
    public void run(ReproductionContext ctx) throws Exception {
        ReproductionOptions o = ctx.options();
        boolean quick = ctx.quick();
        int n = ctx.setting(o.n(), 32, 256);
        int d = ctx.setting(o.d(), 16, 64);
        int h = quick ? 16 : 128;
        List<Integer> wide = ctx.setting(o.widths(), List.of(n, 2 * n, 4 * n));
        // With --widths every initialisation runs at every given width; by default each at its own multiples of N.
        Map<String, List<Integer>> widthsOf = new LinkedHashMap<>();
        for (Init init : INITS) {
            widthsOf.put(
                    init.name(),
                    o.widths() != null
                            ? wide
                            : init.multiples().stream().map(c -> c * n).toList());
        }
        long steps = ctx.setting(o.steps(), 400L, 1500L);
        double etaFactor = quick ? ETA_FACTOR_QUICK : ETA_FACTOR;
        long seed = ctx.setting(o.seed(), 0L);
        long every = ctx.setting(o.every(), 5L, 10L);
        long theoryEvery = ctx.setting(o.theoryEvery(), steps / 10);
        requirePositive("--widths", wide);
        int layers = 4;
        List<Integer> planned = widthsOf.values().stream().flatMap(List::stream).toList();
        ctx.plan(planned.size());
        double[] flops = new double[planned.size()];
        for (int i = 0; i < flops.length; i++) {
            int w = planned.get(i);
            flops[i] = steps * 6.0 * n * (d * h + h * h + h * w + w);
        }
        DeepVariant.announce(ctx, flops, n, steps, theoryEvery);

        Map<String, List<DeepVariant>> byInit = new LinkedHashMap<>();
        for (Init init : INITS) {
            List<DeepVariant> vs = new ArrayList<>();
            for (int w : widthsOf.get(init.name())) {
                ModelSpec.Deep network =
                        ModelSpec.Deep.of(List.of(d, h, h, w, 1)).withInit(init.spec());
                vs.add(DeepVariant.train(
                        ctx, init.name() + "_w" + w, n, network, seed, steps, every, theoryEvery, o.lr(), etaFactor));
            }
            byInit.put(init.name(), vs);
        }

        // ---- checks ----
        boolean gramPositive = true, gramHalf = true, allNearZero = true, allLinear = true, movesLess = true;
        MarkdownTable claims = new MarkdownTable(
                "initialisation",
                "parameterisation",
                "wide-layer width the theorem asks for",
                "widenet: smallest w reaching 10⁻⁶·L(0)",
                "λ_min(F_{L−1}F_{L−1}ᵀ) at init, per w",
                "verdict");
        Map<String, Object> smallest = new LinkedHashMap<>();
        for (Init init : INITS) {
            List<DeepVariant> vs = byInit.get(init.name());
            List<Integer> initWide = widthsOf.get(init.name());
            double[] move = new double[vs.size()];
            List<String> grams = new ArrayList<>();
            Integer first = null;
            for (int i = 0; i < vs.size(); i++) {
                DeepVariant v = vs.get(i);
                double[] g = v.measured("flast_gram_lmin");
                double g0 = g.length > 0 ? g[0] : Double.NaN;
                grams.add("w=" + initWide.get(i) + ": " + MarkdownTable.num(g0));
                if (initWide.get(i) >= 2 * n) {
                    gramPositive &= g0 > 0;
                    allNearZero &= v.converged();
                    allLinear &= v.loss() != null && v.loss().linear();
                }
                if (g0 > 0) {
                    gramHalf &= DeepVariant.min(g) >= 0.5 * g0;
                }
                move[i] = v.metrics().last("w" + (layers - 1) + "_dist_scaled");
                if (first == null && v.converged()) {
                    first = initWide.get(i);
                }
            }
            if (move.length > 1) { // an initialisation run at one width has nothing to compare
                movesLess &= Checks.strictlyDecreasing(move);
            }
            smallest.put(init.name(), first);
            claims.row(
                    init.name() + " (" + init.spec() + ")",
                    init.paper() ? "standard (the paper's)" : "NTK (extra)",
                    init.order(),
                    first == null
                            ? "none of " + initWide
                            : first + " = " + MarkdownTable.num(first / (double) n) + "·N",
                    String.join(", ", grams),
                    first == null
                            ? "not reproduced"
                            : first <= 4 * n ? "linear width suffices here" : "needs more than 4N");
        }

        // ---- series ----
        List<DeepVariant> all = byInit.values().stream().flatMap(List::stream).toList();
        double[] stepAxis = all.get(0).metrics().column("step");
        SeriesCsv loss = new SeriesCsv("step", stepAxis), move = new SeriesCsv("step", stepAxis);
        SeriesCsv gram = new SeriesCsv("step", all.get(0).measuredSteps("flast_gram_lmin"));
        for (DeepVariant v : all) {
            loss.add("loss_" + v.name(), v.metrics().column("loss"));
            move.add(
                    "w" + (layers - 1) + "_dist_scaled_" + v.name(),
                    v.metrics().column("w" + (layers - 1) + "_dist_scaled"));
            gram.add("flast_gram_lmin_" + v.name(), v.measured("flast_gram_lmin"));
        }
        loss.write(ctx.seriesFile("loss"));
        move.write(ctx.seriesFile("wide_layer_dist_scaled"));
        gram.write(ctx.seriesFile("flast_gram_lmin"));
        double[] ws = wide.stream().mapToDouble(Integer::doubleValue).toArray();
        SeriesCsv vsWidth = new SeriesCsv("width", ws);
        for (Init init : INITS) {
            List<DeepVariant> vs = byInit.get(init.name());
            if (!widthsOf.get(init.name()).equals(wide)) {
                continue; // final_vs_width has the initialisations run at every width
            }
            double[] to = new double[vs.size()], g0 = new double[vs.size()], mv = new double[vs.size()];
            for (int i = 0; i < vs.size(); i++) {
                DeepVariant v = vs.get(i);
                to[i] = v.loss() == null || v.loss().stepsTo1e6() < 0
                        ? Double.NaN
                        : v.loss().stepsTo1e6();
                g0[i] = v.theory("init", "flast_gram_lambda_min");
                mv[i] = v.metrics().last("w" + (layers - 1) + "_dist_scaled");
            }
            vsWidth.add("steps_to_1e-6_" + init.name(), to)
                    .add("flast_gram_lmin_initial_" + init.name(), g0)
                    .add("wide_layer_dist_scaled_" + init.name(), mv);
        }
        vsWidth.write(ctx.seriesFile("final_vs_width"));

        DeepVariant.writeTheory(
                ctx,
                n,
                d,
                etaRule(o.lr(), "η = " + etaFactor + "/λ_max(K(0)), K the empirical NTK at initialisation"),
                all,
                List.of("flast_gram_lambda_min", "ntk_lambda_min", "f1_sigma_min"));

        MarkdownTable per = new MarkdownTable(
                "run",
                "η",
                "λ_max(K(0))",
                "loss 0 → end",
                "steps to 10⁻⁶·L(0)",
                "fitted rate",
                "R²",
                "λ_min(F_{L−1}F_{L−1}ᵀ) 0 → min → end",
                "NTK λ_min 0 → end",
                "‖W_{L−1}−W_{L−1}(0)‖_F/√w",
                "status");
        for (DeepVariant v : all) {
            per.row(
                    v.name(),
                    v.eta(),
                    v.ntkLambdaMax(),
                    v.lossCells(),
                    v.initialMinLast("flast_gram_lmin"),
                    v.theoryInitialLast("ntk_lambda_min"),
                    v.metrics().last("w" + (layers - 1) + "_dist_scaled"),
                    v.stopped() == null ? "finished" : "stopped: " + v.stopped());
        }
        StringBuilder md = new StringBuilder();
        md.append("# Reproduction: Nguyen 2021, deep ReLU networks with one wide layer\n\n")
                .append(paper())
                .append(".\n\n");
        md.append(String.format(
                "Setting: N = %d samples, d = %d, xᵢ uniform on the unit sphere, yᵢ ~ N(0, 1); ReLU (ReLU′(0) = 0), no biases, "
                        + "widths %d,%d,%d,w,1 with the wide layer last (w ∈ %s); standard parameterisation (no factor in the forward pass), the paper's: "
                        + "LeCun N(0, 1/fan_in), He N(0, 2/fan_in), and LeCun with the last layer W_L(0) scaled by 0.1 or set to 0; as an extra, "
                        + "not the paper's, the NTK parameterisation (N(0, 1) weights, √(2/fan_in) in the forward pass) at w = N; ½Σ(f − y)², "
                        + "full-batch GD on every layer for %d steps, %s; seed %d%s. Kernels: %s, %d thread(s).%n%n",
                n,
                d,
                d,
                h,
                h,
                wide,
                steps,
                o.lr() != null
                        ? "η = " + o.lr()
                        : "η = " + etaFactor
                                + "/λ_max(K(0)) per run (K = JJᵀ, the empirical NTK at initialisation, from a 0-step run in calibration/)",
                seed,
                quick ? " (**--quick**: small sizes)" : "",
                ctx.kernels(),
                ctx.threads()));
        md.append(
                "The paper: a single wide layer of width linear, quadratic or cubic in N, depending on the initialisation, suffices for "
                        + "GD to reach a global minimum (prior work: every layer Ω(N⁸)); the proof tracks λ_min(F_{L−1}F_{L−1}ᵀ). "
                        + "The paper's full text was not available: the wide layer's position (last), the width orders per initialisation and the "
                        + "small-last-layer route to linear width in the table are our reading (the abstract and a secondary account).\n\n");
        md.append("## The paper's claims against widenet\n\n").append(claims).append('\n');
        Checks checks = new Checks()
                .add(
                        "gram_positive_at_init_from_2N",
                        gramPositive,
                        "λ_min(F_{L−1}F_{L−1}ᵀ) > 0 at initialisation for every run with w ≥ 2N (at w = N dead ReLU units can make it 0)")
                .add(
                        "gram_above_half_initial",
                        gramHalf,
                        "λ_min(F_{L−1}F_{L−1}ᵀ) stays at least half its initial value on every theory row (runs where it starts > 0)")
                .add(
                        "near_zero_loss_from_2N",
                        allNearZero,
                        "every run with w ≥ 2N reaches near-zero loss, L(end) ≤ 10⁻⁶·L(0)")
                .add(
                        "linear_convergence_from_2N",
                        allLinear,
                        "for those runs the loss decays geometrically (log L linear in k, R² ≥ "
                                + LossCurve.MIN_R_SQUARED + ", rate < 1)")
                .add(
                        "wider_moves_less",
                        movesLess,
                        "for every initialisation the wide layer moves less as it widens: ‖W_{L−1}(end) − W_{L−1}(0)‖_F/√w strictly decreases with w");
        md.append(checks.markdown());
        md.append('\n').append("## Per run\n\n").append(per).append('\n');
        md.append(
                "Curves: `series/loss.csv`, `series/flast_gram_lmin.csv` (theory rows), `series/wide_layer_dist_scaled.csv`, "
                        + "`series/final_vs_width.csv` (steps to 10⁻⁶, initial Gram λ_min and movement against w, per initialisation).\n");
        ctx.writeSummary(md.toString(), "## The paper's", "## Per run");
        ctx.writeRecord(
                entries(
                        "n",
                        n,
                        "d",
                        d,
                        "hidden",
                        h,
                        "wide_widths",
                        wide,
                        "inits",
                        INITS.stream().map(Init::spec).toList(),
                        "steps",
                        steps,
                        "lr",
                        o.lr() != null ? o.lr() : etaFactor + "/lambda_max(K(0))",
                        "seed",
                        seed,
                        "theory_every",
                        theoryEvery),
                checks,
                entries("smallest_converged_width", smallest, "stopped_runs", DeepVariant.stoppedRuns(all)));
    }
}
