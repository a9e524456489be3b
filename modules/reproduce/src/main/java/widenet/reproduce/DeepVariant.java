package widenet.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.DataSpec;
import widenet.train.ModelSpec;
import widenet.train.RunSpec;
import widenet.train.Runs;
import widenet.train.internal.Json;

/**
 * One trained variant of a deep-network reproduction, read back from its run folder: metrics.csv, run.json (with
 * the {@code theory} section of {@code DeepTheoryProbe}), its step size and the loss curve. The step size is
 * derived, not tuned: η = factor/λ_max(K(0)) for the empirical NTK K = JJᵀ at initialisation (GD on the summed
 * square loss is stable only for η < 2/λ_max(K)), measured by a 0-step run of the same network in
 * {@code calibration/NAME}.
 */
record DeepVariant(
        String name,
        double eta,
        double ntkLambdaMax,
        MetricsTable metrics,
        Map<String, Object> run,
        LossCurve loss,
        String stopped) {

    /**
     * λ_max(K(0)) of {@code network} (a 0-step run of the variant's data, network and seed, at the default step and
     * theory settings) into {@code calibration/name}.
     */
    static double ntkLambdaMax(ReproductionContext ctx, String name, RunSpec network) throws Exception {
        Path dir = ctx.folder("calibration").resolve(name);
        RunSpec calibration = network.withOptimisation(RunSpec.Optimisation.fullBatch(0.1, 0))
                .withCompute(new RunSpec.Compute(ctx.kernels(), ctx.threads()));
        Runs.start(calibration, dir, true, ctx.quietListener());
        Map<String, Object> run = Json.read(dir.resolve("run.json"));
        return number(theory(run, "init").get("ntk_lambda_max"));
    }

    /**
     * Trains {@code network} on n points of the unit sphere for {@code steps} full-batch steps (a row every
     * {@code every}, the theory every {@code theoryEvery}) at η = {@code eta} if given, else
     * {@code factor}/λ_max(K(0)). A run that diverges is kept: its message is the result's {@code stopped}.
     */
    static DeepVariant train(
            ReproductionContext ctx,
            String name,
            int n,
            ModelSpec.Deep network,
            long seed,
            long steps,
            long every,
            long theoryEvery,
            Double eta,
            double factor)
            throws Exception {
        RunSpec base = new RunSpec(
                new DataSpec.Sphere(n, network.widths().get(0)),
                network,
                RunSpec.Optimisation.fullBatch(0.1, 0),
                seed,
                null,
                RunSpec.Theory.AUTO,
                null,
                null,
                null);
        double lmax = ntkLambdaMax(ctx, name, base);
        double step = Double.parseDouble(fourDigits(eta != null ? eta : factor / lmax));
        RunSpec spec = base.withOptimisation(new RunSpec.Optimisation(step, steps, null, every, "sum"))
                .withTheory(new RunSpec.Theory("auto", theoryEvery));
        String stopped = ctx.trainUntilStopped(name, spec, "stopped");
        MetricsTable t = ctx.metrics(name);
        Map<String, Object> run = ctx.runJson(name);
        return new DeepVariant(
                name,
                step,
                lmax,
                t,
                run,
                t.size() > 1 ? LossCurve.of(t.column("step"), t.column("loss")) : null,
                stopped);
    }

    boolean converged() {
        return stopped == null && loss != null && loss.nearZero();
    }

    /** A value of run.json's theory section at "init" or "last" (NaN when absent). */
    double theory(String when, String key) {
        Object v = theory(run, when).get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The finite values of a column measured on theory rows only (NaN elsewhere). */
    double[] measured(String column) {
        return metrics.measured(column);
    }

    /** The steps of the rows where {@code column} was measured. */
    double[] measuredSteps(String column) {
        return metrics.measuredSteps(column);
    }

    /** A measured column for the per-run table: "initial → minimum → last", or "–" when never measured. */
    String initialMinLast(String column) {
        double[] g = measured(column);
        return g.length == 0
                ? "–"
                : MarkdownTable.num(g[0]) + " → " + MarkdownTable.num(min(g)) + " → "
                        + MarkdownTable.num(g[g.length - 1]);
    }

    /** A theory value for the per-run table: "at initialisation → at the last step". */
    String theoryInitialLast(String key) {
        return MarkdownTable.num(theory("init", key)) + " → " + MarkdownTable.num(theory("last", key));
    }

    /** The loss columns of the per-run table: L(0) → L(end), steps to 10⁻⁶·L(0), fitted rate, R² ("–" without a curve). */
    Object[] lossCells() {
        return loss == null ? new Object[] {"–", "–", Double.NaN, Double.NaN} : loss.cells();
    }

    /**
     * theory.json's entry for this variant: η, λ_max(K(0)), then each of the run's theory {@code keys} at
     * initialisation and at the last step ({@code key_init}, {@code key_last}).
     */
    Map<String, Object> theoryRecord(List<String> keys) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("eta", eta);
        t.put("ntk_lambda_max_initial", ntkLambdaMax);
        for (String when : List.of("init", "last")) {
            for (String key : keys) {
                t.put(key + "_" + when, theory(when, key));
            }
        }
        return t;
    }

    /**
     * Announces the variants' work to {@code ctx}: their training flop counts, and the theory rows' seconds — an n×n
     * NTK and Gram eigenproblems every {@code theoryEvery} steps and three more per variant (initialisation, end,
     * calibration), ≈ 0.5 s each at N = 512 and growing as N³.
     */
    static void announce(ReproductionContext ctx, double[] flops, int n, long steps, long theoryEvery) {
        ctx.announce(flops, flops.length * (steps / Math.max(1, theoryEvery) + 3) * Math.pow(n / 512.0, 3) * 0.5);
    }

    /**
     * theory.json of a deep reproduction: N, d, the step rule and, per variant, its theory {@code keys} at
     * initialisation and at the end ({@link #theoryRecord}).
     */
    static void writeTheory(
            ReproductionContext ctx, int n, int d, String etaRule, List<DeepVariant> vs, List<String> keys)
            throws IOException {
        Map<String, Object> theory = new LinkedHashMap<>();
        theory.put("n", n);
        theory.put("d", d);
        theory.put("eta_rule", etaRule);
        for (DeepVariant v : vs) {
            theory.put(v.name(), v.theoryRecord(keys));
        }
        Json.write(ctx.resolve("theory.json"), theory);
    }

    /** reproduction.json's {@code stopped_runs}: the message of each variant that diverged. */
    static Map<String, Object> stoppedRuns(List<DeepVariant> vs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (DeepVariant v : vs) {
            if (v.stopped() != null) {
                m.put(v.name(), v.stopped());
            }
        }
        return m;
    }

    /** η as written on the command line: four significant digits, locale-independent. */
    static String fourDigits(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return v.length == 0 ? Double.NaN : m;
    }

    static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return v.length == 0 ? Double.NaN : m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> theory(Map<String, Object> run, String when) {
        if (run.get("theory") instanceof Map<?, ?> t && t.get(when) instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        return Map.of();
    }

    private static double number(Object o) throws IOException {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new IOException("the calibration run recorded no ntk_lambda_max (is n·P too large for the NTK probe?)");
    }
}
