package widenet.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import widenet.train.DivergenceException;
import widenet.train.Json;

/**
 * One trained variant of a deep-network reproduction, read back from its run folder: metrics.csv, run.json (with
 * the {@code theory} section of {@code DeepTheoryProbe}), its step size and the loss curve. The step size is
 * derived, not tuned: η = factor/λ_max(K(0)) for the empirical NTK K = JJᵀ at initialisation (GD on the summed
 * square loss is stable only for η < 2/λ_max(K)), measured by a 0-step run of the same network in
 * {@code calibration/NAME}.
 */
record DeepVariant(String name, double eta, double ntkLambdaMax, MetricsTable metrics, Map<String, Object> run,
                   LossCurve loss, String stopped) {

    /**
     * λ_max(K(0)) of the network {@code network} (the {@code widenet train} arguments that define it: model,
     * data, widths, activation, initialisation, seed) from a 0-step run into {@code calibration/name}.
     */
    static double ntkLambdaMax(ReproductionContext ctx, String name, List<String> network) throws Exception {
        List<String> args = new ArrayList<>(network);
        args.addAll(List.of("--steps", "0", "--kernels", ctx.kernels(), "--threads", Integer.toString(ctx.threads()),
                "--quiet", "--out", ctx.folder("calibration").resolve(name).toString(), "--force"));
        TrainCommand.parse(args.toArray(new String[0])).runToFolder();
        Map<String, Object> run = Json.read(ctx.resolve("calibration").resolve(name).resolve("run.json"));
        return number(theory(run, "init").get("ntk_lambda_max"));
    }

    /**
     * Trains {@code network} plus {@code training} (steps, rows, probes) at η = {@code eta} if given, else
     * {@code factor}/λ_max(K(0)). A run that diverges is kept: its message is the result's {@code stopped}.
     */
    static DeepVariant train(ReproductionContext ctx, String name, List<String> network, List<String> training, Double eta,
                             double factor) throws Exception {
        double lmax = ntkLambdaMax(ctx, name, network);
        double step = eta != null ? eta : factor / lmax;
        List<String> args = new ArrayList<>(network);
        args.addAll(training);
        args.addAll(List.of("--lr", fourDigits(step)));
        String stopped = null;
        try {
            ctx.train(name, args);
        } catch (DivergenceException e) {
            stopped = e.getMessage();
            ctx.log("      stopped: " + stopped);
        }
        MetricsTable t = MetricsTable.read(ctx.resolve(name).resolve("metrics.csv"));
        Map<String, Object> run = Json.read(ctx.resolve(name).resolve("run.json"));
        return new DeepVariant(name, Double.parseDouble(fourDigits(step)), lmax, t, run,
                t.size() > 1 ? LossCurve.of(t.column("step"), t.column("loss")) : null, stopped);
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
        return java.util.Arrays.stream(metrics.column(column)).filter(Double::isFinite).toArray();
    }

    /** The steps of the rows where {@code column} was measured. */
    double[] measuredSteps(String column) {
        double[] c = metrics.column(column), s = metrics.column("step");
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            if (Double.isFinite(c[i])) {
                out.add(s[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
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
