package widenet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import widenet.files.DurableFiles;
import widenet.kernel.KernelProviders;
import widenet.sweep.LogLogFit;
import widenet.train.DataSpec;
import widenet.train.InputException;
import widenet.train.ModelSpec;
import widenet.train.RunListener;
import widenet.train.RunSpec;
import widenet.train.RunSpecJson;
import widenet.train.Runs;
import widenet.train.internal.Json;

/**
 * {@code widenet ntk-gap}: how far a network trained at width m is from its kernel-regime prediction, against m.
 * One run per (m, seed) with the kernel-regime columns on ({@code --theory on}); per run the gap
 * max_k |L(k) − L_pred(k)| / L(0) between the measured loss and each prediction (K(0), and the infinite-width kernel
 * where the model has one), on the training set and, with a test set, on the test set (over the test L(0)); then the
 * least-squares exponent of gap ∝ m^α over all (m, seed) points with its t-based 95 % interval. The theory's α is
 * −½: the kernel moves by O(1/√m) during training, and K(0) differs from K∞ by O(1/√m).
 */
@Command(
        name = "ntk-gap",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Fit the gap between loss and kernel-regime prediction to m^α.",
        description = {
            "Trains the model at several widths m and fits the gap between the measured loss and its kernel-regime prediction (K(0) and the infinite-width kernel) as gap ∝ m^α, with a 95%% CI (theory: α = −1/2).",
            "Writes gap.csv, gap.json and one run folder per (m, seed) under --out; finished runs are kept on a rerun."
        })
final class NtkGapCommand implements Callable<Integer> {
    static final List<String> GAPS = List.of("gap_ntk0", "gap_inf", "test_gap_ntk0", "test_gap_inf");
    private static final Map<String, String[]> COLUMNS = Map.of(
            "gap_ntk0",
            new String[] {"loss", "pred_loss_ntk0"},
            "gap_inf",
            new String[] {"loss", "pred_loss_inf"},
            "test_gap_ntk0",
            new String[] {"test_loss", "pred_test_loss_ntk0"},
            "test_gap_inf",
            new String[] {"test_loss", "pred_test_loss_inf"});

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SyntheticDataOptions synthetic = new SyntheticDataOptions();

    @Option(
            names = "--widths-m",
            split = ",",
            paramLabel = "M[,M…]",
            description =
                    "The widths m (default: ${DEFAULT-VALUE}); for --model deep every hidden width of --widths becomes m.",
            defaultValue = "250,500,1000,2000,4000,8000")
    List<Integer> widths;

    @Option(names = "--seeds", description = "Seeds per width (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int seeds = 3;

    @Option(names = "--seed", description = "First seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(
            names = {"--lr", "--eta"},
            description = "Step size η (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.1")
    double lr = 0.1;

    @Option(names = "--steps", description = "Gradient steps (default: ${DEFAULT-VALUE}).", defaultValue = "200")
    long steps = 200;

    @Option(
            names = "--every",
            description = "A metrics row every K steps (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    long every = 5;

    @Option(names = "--loss", description = "sum or mean (default: ${DEFAULT-VALUE}).", defaultValue = "sum")
    String loss = "sum";

    @Option(names = "--test-n", description = "A held-out set of N points drawn like the synthetic training set.")
    Integer testN;

    @Option(names = "--x", description = "Training inputs (.npy) instead of synthetic data.")
    Path xFile;

    @Option(names = "--y", description = "Training labels for --x.")
    Path yFile;

    @Option(names = "--test-x", description = "Held-out inputs (.npy).")
    Path testX;

    @Option(names = "--test-y", description = "Held-out labels for --test-x.")
    Path testY;

    @Option(
            names = "--kernels",
            description = "Kernel provider (default: ${DEFAULT-VALUE}).",
            defaultValue = KernelProviders.DEFAULT)
    String kernels = KernelProviders.DEFAULT;

    @Mixin
    ThreadOptions threads = new ThreadOptions();

    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).", defaultValue = "runs/ntk-gap")
    Path out;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    /** One run's gaps, NaN where the run has no such columns. */
    record Point(int width, long seed, double[] gaps, double finalLoss) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outText = spec.commandLine().getOut();
        if (widths.isEmpty() || seeds < 1) {
            throw new InputException("--widths-m needs at least one width and --seeds at least 1");
        }
        for (int m : widths) {
            if (m <= 0) {
                throw new InputException("--widths-m: width " + m + " must be positive");
            }
        }
        if (given("--width")) {
            throw new InputException("ntk-gap takes its widths from --widths-m; drop --width");
        }
        DataSpec data = dataSpec();
        ModelSpec base = model.spec(model.model, this::given);
        List<Point> points = new ArrayList<>();
        for (int m : widths) {
            for (int s = 0; s < seeds; s++) {
                long runSeed = seed + s;
                RunSpec run = withWidth(
                        new RunSpec(
                                data,
                                base,
                                new RunSpec.Optimisation(lr, steps, null, every, loss),
                                runSeed,
                                null,
                                RunSpec.Theory.on(0),
                                null,
                                new RunSpec.Compute(kernels, threads.threads),
                                null),
                        m);
                Path dir = out.resolve(String.format(Locale.ROOT, "m%06d-seed%d", m, runSeed));
                if (!quiet) {
                    err.println("ntk-gap: m = " + m + ", seed " + runSeed + " → " + dir);
                    err.flush();
                }
                try {
                    Runs.continueIn(run, dir, RunListener.SILENT);
                } catch (widenet.train.DivergenceException e) { // a result: its gap is infinite (metrics.csv shows it)
                    err.println("ntk-gap: m = " + m + ", seed " + runSeed + " diverged: " + e.getMessage());
                    err.flush();
                }
                points.add(point(dir, m, runSeed));
            }
        }
        Map<String, Object> summary = summary(points);
        Files.createDirectories(out);
        DurableFiles.writeString(out.resolve("gap.csv"), csv(points));
        Json.write(out.resolve("gap.json"), summary);
        outText.print(table(points, summary));
        outText.flush();
        return 0;
    }

    private DataSpec dataSpec() {
        return synthetic.dataSpec(xFile, yFile, testX, testY, testN, synthetic.d);
    }

    /**
     * {@code spec} with the width m (a deep network: every hidden layer), through the spec's JSON form so that every
     * other setting is carried over whatever the model's fields.
     */
    @SuppressWarnings("unchecked")
    static RunSpec withWidth(RunSpec spec, int m) {
        Map<String, Object> json = RunSpecJson.toMap(spec);
        Map<String, Object> model = new LinkedHashMap<>((Map<String, Object>) json.get("model"));
        if (spec.model() instanceof ModelSpec.Deep d) {
            if (d.widths() == null) {
                throw new InputException("--model deep needs --widths d,n1,…,nL; ntk-gap sets every hidden width to m");
            }
            List<Integer> w = new ArrayList<>(d.widths());
            for (int l = 1; l < w.size() - 1; l++) {
                w.set(l, m);
            }
            model.put("widths", w);
        } else {
            model.put("width", m);
        }
        json.put("model", model);
        return RunSpecJson.fromMap(json, "ntk-gap");
    }

    /** The run's gaps from its metrics.csv. */
    static Point point(Path run, int m, long seed) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        double[] gaps = new double[GAPS.size()];
        for (int g = 0; g < gaps.length; g++) {
            String[] cols = COLUMNS.get(GAPS.get(g));
            int a = header.indexOf(cols[0]), b = header.indexOf(cols[1]);
            gaps[g] = a < 0 || b < 0 ? Double.NaN : gap(lines, a, b);
        }
        int loss = header.indexOf("loss");
        return new Point(m, seed, gaps, number(lines.get(lines.size() - 1).split(",", -1)[loss]));
    }

    /** max_k |measured(k) − predicted(k)| / measured(0) over the rows where both are numbers. */
    static double gap(List<String> lines, int measured, int predicted) {
        double l0 = Double.NaN, max = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            double a = number(f[measured]), b = number(f[predicted]);
            if (i == 1) {
                l0 = a;
            }
            if (Double.isInfinite(a) || Double.isInfinite(b)) {
                return Double.POSITIVE_INFINITY; // one of them diverged
            }
            if (!Double.isNaN(a) && !Double.isNaN(b)) {
                max = Math.max(max, Math.abs(a - b));
            }
        }
        return max / l0;
    }

    private static double number(String s) {
        return s.isEmpty() ? Double.NaN : widenet.files.Csv.parse(s);
    }

    /** gap.json: the settings, the fits (α, its 95 % interval) and every point. */
    private Map<String, Object> summary(List<Point> points) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model.model);
        s.put("widths", widths);
        s.put("seeds", seeds);
        s.put("lr", lr);
        s.put("steps", steps);
        s.put("loss", loss);
        s.put("gap", "max_k |L(k) - L_pred(k)| / L(0) (test: over the test L(0))");
        s.put("theory_alpha", -0.5);
        Map<String, Object> fits = new LinkedHashMap<>();
        for (int g = 0; g < GAPS.size(); g++) {
            LogLogFit fit = fit(points, g);
            if (fit != null) {
                Map<String, Object> f = fit.toMap();
                f.put("contains_theory", fit.contains(-0.5));
                fits.put(GAPS.get(g), f);
            }
        }
        s.put("fits", fits);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Point p : points) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("width", p.width());
            r.put("seed", p.seed());
            for (int g = 0; g < GAPS.size(); g++) {
                r.put(GAPS.get(g), Double.isFinite(p.gaps()[g]) ? p.gaps()[g] : null);
            }
            r.put("final_loss", p.finalLoss());
            rows.add(r);
        }
        s.put("points", rows);
        return s;
    }

    /** ln gap = α ln m + c over the points where the gap is a positive number; null with fewer than 3 or one width. */
    static LogLogFit fit(List<Point> points, int g) {
        List<double[]> xy = new ArrayList<>();
        for (Point p : points) {
            double v = p.gaps()[g];
            if (Double.isFinite(v) && v > 0) {
                xy.add(new double[] {p.width(), v});
            }
        }
        return LogLogFit.of(
                xy.stream().mapToDouble(a -> a[0]).toArray(),
                xy.stream().mapToDouble(a -> a[1]).toArray());
    }

    private static String csv(List<Point> points) {
        StringBuilder b = new StringBuilder("width,seed," + String.join(",", GAPS) + ",final_loss\n");
        for (Point p : points) {
            b.append(p.width()).append(',').append(p.seed());
            for (double v : p.gaps()) {
                b.append(',').append(Double.isNaN(v) ? "" : widenet.files.Csv.format(v));
            }
            b.append(',').append(widenet.files.Csv.format(p.finalLoss())).append('\n');
        }
        return b.toString();
    }

    /** Medians over seeds per width, then the fits. */
    @SuppressWarnings("unchecked")
    private String table(List<Point> points, Map<String, Object> summary) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%8s  %12s  %12s  %14s  %14s%n",
                "m",
                "gap_ntk0",
                "gap_inf",
                "test_gap_ntk0",
                "test_gap_inf"));
        for (int m : widths) {
            b.append(String.format(Locale.ROOT, "%8d", m));
            for (int g = 0; g < GAPS.size(); g++) {
                final int gi = g;
                double[] v = points.stream()
                        .filter(p -> p.width() == m)
                        .mapToDouble(p -> p.gaps()[gi])
                        .filter(x -> !Double.isNaN(x))
                        .sorted()
                        .toArray();
                String cell = v.length == 0 ? "–" : String.format(Locale.ROOT, "%.4g", v[v.length / 2]);
                b.append(String.format(Locale.ROOT, g < 2 ? "  %12s" : "  %14s", cell));
            }
            b.append('\n');
        }
        b.append("median over ").append(seeds).append(" seed(s); gap = max_k |L(k) − L_pred(k)| / L(0)\n");
        Map<String, Object> fits = (Map<String, Object>) summary.get("fits");
        for (Map.Entry<String, Object> e : fits.entrySet()) {
            Map<String, Object> f = (Map<String, Object>) e.getValue();
            double[] ci = (double[]) f.get("ci95");
            b.append(String.format(
                    Locale.ROOT,
                    "%-14s ∝ m^α, α = %.3f, 95%% CI [%.3f, %.3f] over %d runs (theory −0.5: %s)%n",
                    e.getKey(),
                    (Double) f.get("alpha"),
                    ci[0],
                    ci[1],
                    (Integer) f.get("points"),
                    (Boolean) f.get("contains_theory") ? "inside" : "outside"));
        }
        return b.toString();
    }

    /** Whether the option was on the command line (not just its default). */
    boolean given(String option) {
        return spec != null
                && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
