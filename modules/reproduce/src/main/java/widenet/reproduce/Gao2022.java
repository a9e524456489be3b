package widenet.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.train.DataSpec;
import widenet.train.FashionMnistFiles;
import widenet.train.InputException;
import widenet.train.ModelSpec;
import widenet.train.RunSpec;
import widenet.train.internal.Json;

/**
 * Figure 1 of Gao, Liu, Liu, Rajan &amp; Gao (ICLR 2022): the paper's implicit network (φ = relu(Wx)/√m, the skip
 * vᵀφ, u and v Rademacher, A, W, u, v trained, γ = 0.1) on classes 0 and 1 of MNIST and of Fashion-MNIST, 500 random
 * training and 500 other random test images per class (n = 1000), unit-normalised 28×28 pixels (d = 784), parallel
 * pairs perturbed ({@link Gao2022Data}); widths m ∈ {500, 1000, 2000, 4000}; 1000 epochs of full-batch GD on
 * ½Σ(ŷ − y)² at one fixed step per data set. Panels per data set: training loss, test loss, ‖γ̃A(k)‖ against the
 * epoch; checks as {@link Gao2022Figure}. Then γ too large, twice, on the MNIST training set at the smallest width:
 * γ = 0.7 with the contraction required (stops at once: ‖Ã(0)‖₂ ≈ 1.4) and γ = 2 without (the forward fixed point
 * overflows); both must stop with the message that names γ.
 *
 * <p>The step, which the paper does not give: η = 1/λ_max(H∞), H∞ the infinite-width limit of the network's NTK to
 * leading order in γ ({@code widenet.theory.ImplicitInfiniteWidth}: 2G∞ + 2H∞_Du + γ²K⁰⊙G∞) on the training set.
 * GD on the linearised predictions is stable for η &lt; 2/λ_max(H) on the summed loss; 1/λ_max leaves a margin of 2
 * for the finite-width fluctuations of λ_max(H(0)) and its drift. The same η for every width, as in the paper's
 * "fixed step".
 */
final class Gao2022 extends Reproduction {
    static final String NAME = "gao2022";
    static final double GAMMA = widenet.model.ImplicitNetwork.PAPER_GAMMA,
            GAMMA_REQUIRED_TOO_LARGE = 0.7,
            GAMMA_DIVERGING = 2.0;
    static final List<String> DATASETS = List.of("mnist", "fashion");

    Gao2022() {
        super(
                NAME,
                "Gao, Liu, Liu, Rajan, Gao, A global convergence theory for deep ReLU implicit networks via over-parameterization "
                        + "(ICLR 2022), Figure 1",
                Set.of("--n", "--widths", "--steps", "--lr", "--seed", "--theory-every", "--every", "--data"));
    }

    record Stopped(
            String name, double gamma, boolean contractionRequired, String message, boolean noNanRow, int rows) {}

    private static Path fashionDir(ReproductionOptions o) {
        return o.data() != null ? o.data() : FashionMnistFiles.DEBIAN_DIR;
    }

    @Override
    public void checkRunnable(ReproductionOptions o) {
        Path tgz = Gao2022Data.defaultMnistTarball();
        if (!java.nio.file.Files.isRegularFile(tgz)) {
            throw new InputException(Gao2022Data.missingMnist(tgz));
        }
        if (!FashionMnistFiles.in(fashionDir(o)).exist()) {
            throw new InputException(Gao2022Data.missingFashion(fashionDir(o)));
        }
        if (o.n() != null && (o.n() < 4 || o.n() % 2 != 0)) {
            throw new InputException("--n must be even and at least 4 (n/2 training images per class), got " + o.n());
        }
    }

    @Override
    public void run(ReproductionContext ctx) throws Exception {
        ReproductionOptions o = ctx.options();
        boolean quick = ctx.quick();
        int n = ctx.setting(o.n(), 24, 1000);
        int perClass = n / 2;
        List<Integer> widths = ctx.setting(o.widths(), List.of(32, 64, 128), List.of(500, 1000, 2000, 4000));
        long steps = ctx.setting(o.steps(), 60L, 1000L);
        long seed = ctx.setting(o.seed(), 0L);
        long every = ctx.setting(o.every(), 1L, 5L);
        long theoryEvery = ctx.setting(o.theoryEvery(), 30L, 100L);
        requirePositive("--widths", widths);
        widths = widths.stream().sorted().toList();

        // ---- data: both sets drawn before any training, each from its own stream of the seed ----
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Gao2022Data.Prepared> data = new LinkedHashMap<>();
        try (Kernels kernels = KernelProviders.open(ctx.kernels(), ctx.threads())) {
            data.put(
                    "mnist",
                    Gao2022Data.mnist(
                            kernels,
                            Gao2022Data.defaultMnistTarball(),
                            perClass,
                            rng.split(),
                            ctx.folder("data-mnist")));
            data.put(
                    "fashion",
                    Gao2022Data.fashion(kernels, fashionDir(o), perClass, rng.split(), ctx.folder("data-fashion")));
        }
        for (Gao2022Data.Prepared p : data.values()) {
            ctx.log(String.format(
                    "%s: n = %d training, %d test images, %d parallel pair(s) perturbed; λ₀ = λ_min(G∞) = %s, "
                            + "λ_max(H∞) = %s → η = 1/λ_max = %s",
                    p.name(),
                    p.n(),
                    p.nTest(),
                    p.perturbed(),
                    MarkdownTable.num(p.lambda0()),
                    MarkdownTable.num(p.lambdaMaxNtk()),
                    MarkdownTable.num(p.eta())));
        }

        int k = widths.size();
        ctx.plan(DATASETS.size() * k + 2);
        double[] flops = new double[DATASETS.size() * k + 2];
        for (int s = 0; s < DATASETS.size(); s++) {
            for (int i = 0; i < k; i++) {
                double m = widths.get(i);
                // ≈ 3 forward (warm) and 8 adjoint iterations of one n×m×m GEMM per step, the gradient GEMMs, and the
                // test set's forward on every metrics row
                flops[s * k + i] =
                        steps * 2.0 * n * m * (11 * m + 3 * 784) + steps / (double) every * 2.0 * n * m * (3 * m + 784);
            }
        }
        // the theory rows: four n×n×m Grams in double (≈ 2 GFLOP/s) and three n×n eigenproblems
        double theorySeconds = DATASETS.size()
                * widths.stream()
                        .mapToDouble(m ->
                                (steps / theoryEvery + 2) * (4.0 * n * n * m / 2e9 + 3 * Math.pow(n / 1000.0, 3) * 0.7))
                        .sum();
        ctx.announce(flops, theorySeconds);

        Map<String, List<MetricsTable>> tables = new LinkedHashMap<>();
        Map<String, Double> etas = new LinkedHashMap<>();
        for (String set : DATASETS) {
            Gao2022Data.Prepared p = data.get(set);
            double eta = o.lr() != null ? o.lr() : Double.parseDouble(DeepVariant.fourDigits(p.eta()));
            etas.put(set, eta);
            List<MetricsTable> runs = new ArrayList<>();
            for (int m : widths) {
                String name = set + "_m" + m;
                ctx.train(name, variant(p, ModelSpec.Implicit.paper(m, GAMMA), eta, steps, every, seed, theoryEvery));
                runs.add(ctx.metrics(name));
            }
            tables.put(set, runs);
        }
        Gao2022Data.Prepared first = data.get(DATASETS.get(0));
        int m0 = widths.get(0);
        double eta0 = etas.get(DATASETS.get(0));
        long stopSteps = Math.min(steps, 5);
        List<Stopped> stopped = new ArrayList<>();
        stopped.add(tooLarge(
                ctx,
                "gamma" + GAMMA_REQUIRED_TOO_LARGE + "_required",
                GAMMA_REQUIRED_TOO_LARGE,
                true,
                first,
                m0,
                eta0,
                stopSteps,
                seed,
                theoryEvery));
        stopped.add(tooLarge(
                ctx, "gamma" + GAMMA_DIVERGING, GAMMA_DIVERGING, false, first, m0, eta0, stopSteps, seed, theoryEvery));
        boolean stopsAsPromised = stopped.stream()
                .allMatch(s -> s.message() != null
                        && s.noNanRow()
                        && s.message().contains("‖Ã‖₂")
                        && s.message().contains("γ is too large")
                        && (s.contractionRequired()
                                ? s.message().contains("contraction is required")
                                : s.message().contains("not a contraction")));

        // ---- the figure, the checks, the tables ----
        Figure figure = new Figure(
                "Gao et al. 2022, Figure 1: training loss, test loss and ‖γ̃A(k)‖ against the epoch, per width m"
                        + (quick ? " (--quick: small sizes)" : ""),
                "widenet's runs (the paper's curves are not tabulated; its claims are in summary.md)");
        Checks checks = new Checks();
        Map<String, Object> theory = new LinkedHashMap<>();
        theory.put("gamma", GAMMA);
        theory.put(
                "eta_rule",
                etaRule(
                        o.lr(),
                        "η = 1/λ_max(H∞), H∞ = 2G∞ + 2H∞_Du + γ²K⁰⊙G∞ (leading order in γ) of the training set"));
        Map<String, Object> results = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder();
        md.append("# Reproduction: Gao et al. 2022, Figure 1 (implicit ReLU networks on MNIST and Fashion-MNIST)\n\n")
                .append(paper())
                .append(".\n\n");
        md.append(String.format(
                "Setting: the paper's network z* = relu(γ̃Az* + φ), φ = relu(Wx)/√m, ŷ = uᵀz* + vᵀφ, A, W ~ N(0, 1), u, v "
                        + "Rademacher, all four trained, γ = %s (γ̃ = γ/√m); classes 0 and 1, %d random training and %d other random test "
                        + "images per class (n = %d), 28×28 pixels unit-normalised (d = 784), labels ±1 (our reading: the paper does not "
                        + "print the coding), parallel pairs perturbed; m ∈ %s; %d epochs of full-batch GD on ½Σ(ŷ − y)², %s; fixed "
                        + "points to a relative 1e-6; metrics every %d epoch(s), Grams every %d; seed %d%s. Kernels: %s, %d thread(s).%n%n",
                GAMMA,
                perClass,
                perClass,
                n,
                widths,
                steps,
                o.lr() != null
                        ? "η = " + o.lr() + " (given)"
                        : "η = 1/λ_max(H∞) of each training set (the paper gives no value; derivation in theory.json and docs/implicit.md)",
                every,
                theoryEvery,
                seed,
                quick ? " (**--quick**: small sizes)" : "",
                ctx.kernels(),
                ctx.threads()));
        StringBuilder perRun = new StringBuilder();
        for (String set : DATASETS) {
            Gao2022Data.Prepared p = data.get(set);
            Gao2022Figure.Panels panels = new Gao2022Figure.Panels(set, p.n(), widths, tables.get(set), p.lambda0());
            Gao2022Figure.Result r = Gao2022Figure.analyse(panels);
            Gao2022Figure.addPanels(figure, ctx, panels);
            Gao2022Figure.addChecks(checks, r);
            results.put(set, Gao2022Figure.record(r));
            md.append("## The paper's claims against widenet: ")
                    .append(set)
                    .append("\n\n")
                    .append(Gao2022Figure.claims(r, widths))
                    .append('\n');
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("n", p.n());
            t.put("n_test", p.nTest());
            t.put("perturbed_pairs", p.perturbed());
            t.put("lambda_0", p.lambda0());
            t.put("lambda_max_ntk_inf", p.lambdaMaxNtk());
            t.put("eta_derived", p.eta());
            t.put("eta", etas.get(set));
            for (int m : widths) {
                t.put("m" + m, Json.read(ctx.resolve(set + "_m" + m).resolve("theory.json")));
            }
            theory.put(set, t);
            perRun.append("### ")
                    .append(set)
                    .append(String.format(" (η = %s)%n%n", MarkdownTable.num(etas.get(set))))
                    .append(Gao2022Figure.perRun(panels))
                    .append('\n');
        }
        checks.add(
                "gamma_too_large_stops",
                stopsAsPromised,
                "γ too large stops the run (exit 3) with the message that names γ, and no NaN row");
        Json.write(ctx.resolve("theory.json"), theory);
        md.append(checks.markdown());
        md.append('\n').append("## Per run\n\n").append(perRun);
        md.append("## γ too large\n\n");
        for (Stopped s : stopped) {
            md.append(String.format(
                    "- `%s` (γ = %s, m = %d, %s training set%s): %s; %d metrics row(s) kept, none NaN: %s%n",
                    s.name(),
                    s.gamma(),
                    m0,
                    first.name(),
                    s.contractionRequired() ? ", --require-contraction" : "",
                    s.message() == null ? "**did not stop**" : "stopped: “" + s.message() + "”",
                    s.rows(),
                    s.noNanRow() ? "yes" : "NO"));
        }
        md.append(
                "\nCurves: `series/fig1{a_train_loss,b_test_loss,c_a_tilde_norm}_{mnist,fashion}.csv` (one column per width), "
                        + "drawn by `widenet report`; per run also λ_min(G(k)), λ_min(H(k)) and the (1 − ηλ₀/2)^k envelope in its metrics.csv "
                        + "and theory.json.\n");
        ctx.writeSummary(md.toString(), "## The paper's", "## Per run");
        Map<String, Object> st = new LinkedHashMap<>();
        for (Stopped s : stopped) {
            st.put(s.name(), s.message());
        }
        Map<String, Object> more = entries("results", results, "stopped_runs", st, "figure", figure.record());
        ctx.writeRecord(
                entries(
                        "n",
                        n,
                        "per_class",
                        perClass,
                        "d",
                        784,
                        "widths",
                        widths,
                        "gamma",
                        GAMMA,
                        "steps",
                        steps,
                        "lr",
                        o.lr() != null ? o.lr() : etas,
                        "seed",
                        seed,
                        "every",
                        every,
                        "theory_every",
                        theoryEvery),
                checks,
                more);
    }

    /** One run on a prepared data set, its test set evaluated on every metrics row. */
    static RunSpec variant(
            Gao2022Data.Prepared p,
            ModelSpec.Implicit model,
            double eta,
            long steps,
            long every,
            long seed,
            long theoryEvery) {
        return new RunSpec(
                new DataSpec.NpyFiles(
                        p.x().toString(),
                        p.y().toString(),
                        p.xTest().toString(),
                        p.yTest().toString()),
                model,
                new RunSpec.Optimisation(eta, steps, null, every, "sum"),
                seed,
                null,
                new RunSpec.Theory("auto", theoryEvery),
                null,
                null,
                null);
    }

    /** A run with γ too large: expected to stop (DivergenceException, exit 3 on the command line) at once. */
    private static Stopped tooLarge(
            ReproductionContext ctx,
            String name,
            double gamma,
            boolean require,
            Gao2022Data.Prepared p,
            int m,
            double eta,
            long steps,
            long seed,
            long theoryEvery)
            throws Exception {
        ModelSpec.Implicit paper = ModelSpec.Implicit.paper(m, gamma);
        ModelSpec.Implicit model = new ModelSpec.Implicit(
                m,
                gamma,
                paper.tol(),
                paper.maxIter(),
                paper.phi(),
                paper.phiScale(),
                paper.outputSkip(),
                paper.outputInit(),
                paper.outputInitStd(),
                require,
                paper.freeze());
        String message =
                ctx.trainUntilStopped(name, variant(p, model, eta, steps, 1, seed, theoryEvery), "stopped as expected");
        MetricsTable t = ctx.metrics(name);
        boolean noNan = java.util.Arrays.stream(t.column("loss")).allMatch(Double::isFinite);
        return new Stopped(name, gamma, require, message, noNan, t.size());
    }
}
