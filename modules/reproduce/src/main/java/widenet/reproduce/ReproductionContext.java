package widenet.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import widenet.files.DurableFiles;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.train.DivergenceException;
import widenet.train.GracefulShutdown;
import widenet.train.ModelSpec;
import widenet.train.RunFolder;
import widenet.train.RunListener;
import widenet.train.RunRecord;
import widenet.train.RunSpec;
import widenet.train.RunSpecArguments;
import widenet.train.Runs;
import widenet.train.internal.Json;
import widenet.train.internal.TrainingRun;

/**
 * What a reproduction runs in: its folder, the common options, a way to train one variant (a {@link RunSpec}) into a
 * standard run folder through {@link Runs}, exactly as {@code widenet train} does,
 * progress output and the {@code reproduction.json} record. Re-running the same command on the same folder continues
 * it: finished variants are kept, an unfinished one resumes from its checkpoint.
 */
public final class ReproductionContext {
    private final Reproduction reproduction;
    private final ReproductionOptions options;
    private final Function<Boolean, RunListener> listeners;
    private final String version;
    private final RunFolder folder;
    private final boolean fresh;
    private final GracefulShutdown shutdown;
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final long start = System.nanoTime();
    private int planned;
    private double[] runFlops = new double[0];
    private double flopsDone;
    private double gdSecondsDone;

    /**
     * {@code fresh}: recompute every variant (--force); otherwise a finished variant's folder is kept and an
     * unfinished one resumes from its checkpoint. {@code shutdown}: asked before each variant (SIGINT/SIGTERM).
     * {@code listeners}: a variant's listener, given whether its own progress is shown ({@code --verbose});
     * {@code version}: widenet's version, recorded in reproduction.json.
     */
    public ReproductionContext(
            Reproduction reproduction,
            ReproductionOptions options,
            RunFolder folder,
            boolean fresh,
            GracefulShutdown shutdown,
            Function<Boolean, RunListener> listeners,
            String version) {
        this.listeners = listeners;
        this.version = version;
        this.reproduction = reproduction;
        this.options = options;
        this.folder = folder;
        this.fresh = fresh;
        this.shutdown = shutdown;
    }

    /** A variant was stopped by SIGINT/SIGTERM after its checkpoint (or before it started): the reproduction ends. */
    public static final class Interrupted extends RuntimeException {
        Interrupted(String variant, long step) {
            super(step < 0 ? "interrupted before " + variant : "interrupted in " + variant + " at step " + step);
        }
    }

    ReproductionOptions options() {
        return options;
    }

    boolean quick() {
        return options.quick();
    }

    Path root() {
        return folder.root();
    }

    Path resolve(String name) {
        return folder.resolve(name);
    }

    Path folder(String name) {
        return folder.folder(name);
    }

    String kernels() {
        return options.kernels();
    }

    int threads() {
        return options.threads();
    }

    /** An option's value if given, else the reproduction's default. */
    <T> T setting(T given, T defaultValue) {
        return given != null ? given : defaultValue;
    }

    /** An option's value if given, else the reproduction's default for this size (--quick or not). */
    <T> T setting(T given, T quickDefault, T fullDefault) {
        return given != null ? given : quick() ? quickDefault : fullDefault;
    }

    /** {@code series/NAME.csv}, where a reproduction writes an extra curve file (the folder is made here). */
    Path seriesFile(String name) {
        return folder.folder("series").resolve(name + ".csv");
    }

    /** The metrics.csv of the variant {@code run}. */
    MetricsTable metrics(String run) throws IOException {
        return MetricsTable.read(folder.resolve(run).resolve("metrics.csv"));
    }

    /** The run.json of the variant {@code run}. */
    Map<String, Object> runJson(String run) throws IOException {
        return Json.read(folder.resolve(run).resolve(TrainingRun.RUN_JSON));
    }

    public void log(String s) {
        System.out.println(s);
        System.out.flush();
    }

    /** How many runs are planned, for the "[i/N]" progress prefix. */
    void plan(int runs) {
        planned = runs;
    }

    /**
     * Trains one variant, {@code spec} with this reproduction's kernels, threads and checkpoint cadence (and, for
     * the two-layer model, the theory on), into {@code DIR/name}. Unless {@code fresh}, a variant that finished in an
     * earlier invocation is kept as it is and one that was killed resumes from its checkpoint (bit-identical to an
     * uninterrupted run); the spec it recorded must agree with this one. Throws {@link Interrupted} when SIGINT/SIGTERM
     * stopped it. The record returned is read back from the variant's run.json, so its timings are the ones recorded.
     */
    RunRecord train(String name, RunSpec variant) throws Exception {
        RunSpec spec = withContext(variant);
        String prefix = String.format("[%d/%d] %s", runs.size() + 1, Math.max(planned, runs.size() + 1), name);
        if (shutdown.requested()) {
            throw new Interrupted(name, -1);
        }
        Path dir = folder.resolve(name);
        String shown = String.join(" ", RunSpecArguments.of(spec));
        TrainingRun.Status status = fresh ? TrainingRun.Status.NONE : TrainingRun.status(dir);
        RunListener listener = runListener();
        if (status == TrainingRun.Status.FINISHED) {
            Runs.continueIn(spec, dir, listener);
            log(String.format("%s: finished earlier, kept (%s)", prefix, dir));
        } else {
            log(String.format(
                    "%s: %swidenet train %s",
                    prefix, status == TrainingRun.Status.RESUMABLE ? "resuming: " : "", shown));
            RunRecord o = fresh ? Runs.start(spec, dir, true, listener) : Runs.continueIn(spec, dir, listener);
            if (o.interrupted()) {
                throw new Interrupted(name, o.steps());
            }
        }
        RunRecord o = RunRecord.read(dir);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("command", "widenet train " + shown + " --out " + name);
        r.put("steps", o.steps());
        r.put("seconds", o.trainSeconds());
        r.put("gd_seconds", o.gdSeconds());
        r.put("theory_seconds", o.theorySeconds());
        r.put("final_loss", o.finalLoss());
        runs.add(r);
        String remaining = "";
        if (runs.size() <= runFlops.length) {
            flopsDone += runFlops[runs.size() - 1];
            gdSecondsDone += o.gdSeconds();
            double left = 0;
            for (int i = runs.size(); i < runFlops.length; i++) {
                left += runFlops[i];
            }
            if (left > 0) {
                double rate = flopsDone / gdSecondsDone;
                remaining = String.format(" · %.2f GFLOP/s so far, remaining ≈ %s", rate / 1e9, duration(left / rate));
            }
        }
        log(String.format(
                "      done in %.1f s (gradient descent %.1f s, theory %.1f s) · final loss %s · elapsed %s%s",
                o.trainSeconds(), o.gdSeconds(), o.theorySeconds(), o.finalLoss(), duration(elapsed()), remaining));
        return o;
    }

    /** {@code variant} with this reproduction's kernels, threads and checkpoint cadence, the two-layer theory on unless it is off. */
    RunSpec withContext(RunSpec variant) {
        RunSpec spec = variant.withCompute(new RunSpec.Compute(kernels(), threads()));
        if (options.checkpointEvery() != null) {
            spec = spec.withCheckpointEvery(options.checkpointEvery());
        }
        if (spec.model() instanceof ModelSpec.TwoLayer
                && !"off".equals(spec.theory().mode())) {
            // H∞'s columns, unless the reproduction computes the theory once itself (arora2019 at n = 10⁴)
            spec = spec.withTheory(new RunSpec.Theory("on", spec.theory().every()));
        }
        return spec;
    }

    /** A variant's own progress: shown with --verbose. */
    RunListener runListener() {
        return listeners.apply(options.verbose());
    }

    /** A listener for work the user does not need to watch (a calibration run): warnings only. */
    RunListener quietListener() {
        return listeners.apply(false);
    }

    /**
     * As {@link #train}, but a variant that diverges (exit 3 on the command line) is kept as a result: returns its
     * message, logged after {@code stoppedNote}, or null when it did not stop.
     */
    String trainUntilStopped(String name, RunSpec spec, String stoppedNote) throws Exception {
        try {
            train(name, spec);
            return null;
        } catch (DivergenceException e) {
            log("      " + stoppedNote + ": " + e.getMessage());
            return e.getMessage();
        }
    }

    public double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The provider's GEMM speed on this machine in flop/s, to turn a reproduction's flop count into an expected
     * duration before it starts. The JIT compiles vector code only after many calls, and on a loaded machine that
     * takes seconds: small products first, then 256³ products timed in 0.3 s slices until the speed stops rising
     * (two slices within 15 %) or the time budget (2 s with --quick, 8 s otherwise) runs out. Still rough on a shared
     * machine; the estimate is refined from the measured speed after each run.
     */
    double gemmFlopsPerSecond() {
        int s = 256;
        long budget = (quick() ? 2_000_000_000L : 8_000_000_000L);
        long start = System.nanoTime();
        try (Kernels k = KernelProviders.open(kernels(), threads());
                FloatMatrix a = FloatMatrix.allocate(s, s);
                FloatMatrix b = FloatMatrix.allocate(s, s);
                FloatMatrix c = FloatMatrix.allocate(s, s)) {
            a.fill(0.5f);
            b.fill(0.25f);
            for (int w : new int[] {16, 32, 64}) {
                FloatMatrix as = a.block(0, w, 0, w), bs = b.block(0, w, 0, w), cs = c.block(0, w, 0, w);
                long t = System.nanoTime();
                while (System.nanoTime() - t < budget / 12) {
                    k.gemm(Op.N, Op.T, 1f, as, bs, 0f, cs);
                    k.gemm(Op.T, Op.N, 1f, as, bs, 0f, cs);
                }
            }
            double previous = 0, rate = 0;
            do {
                long t0 = System.nanoTime();
                int reps = 0;
                do {
                    k.gemm(Op.N, Op.T, 1f, a, b, 0f, c);
                    reps++;
                } while (System.nanoTime() - t0 < 300_000_000L);
                previous = rate;
                rate = reps * 2.0 * s * s * s / ((System.nanoTime() - t0) / 1e9);
            } while (rate > 1.15 * previous && System.nanoTime() - start < budget);
            return rate;
        }
    }

    /**
     * Prints the expected duration: the runs' GEMM work ({@code runFlops}, one entry per planned run) at the
     * calibrated speed, plus {@code otherSeconds}. After each run the estimate of what remains is updated from the
     * speed measured so far.
     */
    void announce(double[] runFlops, double otherSeconds) {
        this.runFlops = runFlops.clone();
        double flops = 0;
        for (double f : runFlops) {
            flops += f;
        }
        double rate = gemmFlopsPerSecond();
        double seconds = flops / rate + otherSeconds;
        log(String.format(
                "%s: %d runs, about %.3g GFLOP of GEMM at %.2f GFLOP/s (%s, %d thread%s) + %.0f s of theory: expected ≈ %s (rough; refined after each run)",
                reproduction.name(),
                planned,
                flops / 1e9,
                rate / 1e9,
                kernels(),
                threads(),
                threads() == 1 ? "" : "s",
                otherSeconds,
                duration(seconds)));
    }

    public static String duration(double s) {
        return s < 90
                ? String.format("%.0f s", s)
                : s < 5400 ? String.format("%.1f min", s / 60) : String.format("%.1f h", s / 3600);
    }

    /** Writes summary.md and prints the part of it from {@code excerptFrom} up to {@code excerptTo}. */
    void writeSummary(String markdown, String excerptFrom, String excerptTo) throws IOException {
        DurableFiles.writeString(folder.resolve("summary.md"), markdown);
        log(markdown.substring(markdown.indexOf(excerptFrom), markdown.indexOf(excerptTo))
                .strip());
    }

    /** reproduction.json with the reproduction's settings, its checks and then {@code more} of its own entries. */
    void writeRecord(Map<String, Object> settings, Checks checks, Map<String, Object> more) throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("settings", settings);
        extra.put("checks", checks.record());
        extra.putAll(more);
        writeRecord(extra);
    }

    /** reproduction.json: name, paper, runs, quick, then the reproduction's own entries, then timings. */
    private void writeRecord(Map<String, Object> extra) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", reproduction.name());
        r.put("paper", reproduction.paper());
        r.put("runs", runs.stream().map(m -> m.get("name")).toList());
        r.put("quick", quick());
        r.put("widenet_version", version);
        r.put("kernels", kernels());
        r.put("threads", threads());
        r.putAll(extra);
        r.put("run_details", runs);
        r.put("seconds", elapsed());
        r.put("finished", Instant.now().toString());
        Json.write(folder.resolve("reproduction.json"), r);
    }
}
