package widenet.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import widenet.files.Csv;
import widenet.files.DurableFiles;
import widenet.train.InputException;
import widenet.train.internal.Json;
import widenet.train.internal.RunLock;

/**
 * A width sweep written to a folder:
 * <pre>
 *   sweep.json                    settings, grid, m_min(n), the fit, the theorems' exponents, counts and timings
 *   cells/&lt;n&gt;-&lt;m&gt;-&lt;seed&gt;/cell.json  one training run's result (written atomically when the run ends)
 *   sweep.csv                     one row per (n, seed) chain: m_min and where it lies relative to the grid
 *   cells.csv                     one row per cell the searches evaluated
 *   summary.md                    the tables and the fit, for people
 * </pre>
 * Every (n, seed) chain is a sequential {@link WidthSearch}; {@code cellsAtOnce} chains run at once (largest n
 * first), each cell on its own kernels with {@code threadsPerCell} threads. A cell's result depends only on the
 * settings and (n, m, seed), so it is the same whichever chains ran beside it. Resuming: a cell whose
 * {@code cell.json} exists is read back, never recomputed; a cell interrupted mid-run has no {@code cell.json} and
 * resumes from its last checkpoint ({@link CellRun}).
 */
public final class Sweep {
    public static final String KIND = "widenet-sweep";
    public static final int FORMAT = 1;

    /** Told about every cell as its result becomes known (from worker threads, one call at a time). */
    public interface Listener {
        void onCell(CellResult result, boolean reused);
    }

    /** m_min of one n: every seed's value and their median. */
    public record Width(int n, int d, List<WidthSearch.Result> chains, double median) {}

    /** What a finished sweep found. */
    public record Outcome(
            List<WidthSearch.Result> chains,
            List<Width> widths,
            LogLogFit fit,
            LogLogFit fitOfMedians,
            int cellsComputed,
            int cellsReused,
            double seconds) {}

    private final Path folder;
    private final SweepSettings settings;
    private final WidthGrid grid;
    private final int cellsAtOnce;
    private final Listener listener;
    private final Map<String, Object> extra;
    private final CellExecutor executor;
    private final AtomicInteger computed = new AtomicInteger();
    private final AtomicInteger reused = new AtomicInteger();

    /**
     * @param extra more top-level entries for {@code sweep.json} (e.g. the program version and command line)
     */
    public Sweep(Path folder, SweepSettings settings, int cellsAtOnce, Listener listener, Map<String, Object> extra) {
        this(folder, settings, cellsAtOnce, listener, extra, CellExecutor.local());
    }

    /**
     * A sweep whose cells are trained by {@code executor} (e.g. on cluster members); {@code cellsAtOnce} chains
     * wait on it at once. The output folder is the same as with the local executor.
     */
    public Sweep(
            Path folder,
            SweepSettings settings,
            int cellsAtOnce,
            Listener listener,
            Map<String, Object> extra,
            CellExecutor executor) {
        if (cellsAtOnce < 1) {
            throw new InputException("--cells-at-once must be at least 1, got " + cellsAtOnce);
        }
        this.folder = folder;
        this.settings = settings;
        this.grid = new WidthGrid(settings.widthMin(), settings.widthMax(), settings.perOctave());
        this.cellsAtOnce = cellsAtOnce;
        this.listener = listener;
        this.extra = extra;
        this.executor = java.util.Objects.requireNonNull(executor, "executor");
    }

    public WidthGrid grid() {
        return grid;
    }

    /**
     * Runs (or resumes) the sweep and writes every output file. One process per folder: a second one is refused
     * naming the first ({@link RunLock}). Interrupting the calling thread stops the sweep: the cells being trained
     * checkpoint at their next step and stop, {@code sweep.json} says "interrupted", and a
     * {@link java.util.concurrent.CancellationException} is thrown once no cell writes any more; run() again continues.
     */
    public Outcome run() throws IOException {
        long t0 = System.nanoTime();
        prepareFolder();
        try (RunLock lock = RunLock.acquire(folder)) {
            return runLocked(t0);
        }
    }

    private Outcome runLocked(long t0) throws IOException {
        Map<String, Object> record = header("running");
        Json.write(folder.resolve("sweep.json"), record);

        List<WidthSearch.Result> chains;
        try {
            chains = runChains();
        } catch (java.util.concurrent.CancellationException e) {
            // The interrupt flag is cleared for the write (an interrupted thread cannot use a FileChannel), then kept.
            boolean interrupted = Thread.interrupted();
            try {
                record = header("interrupted");
                record.put("cells_computed", computed.get());
                record.put("cells_reused", reused.get());
                Json.write(folder.resolve("sweep.json"), record);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }

        chains.sort(Comparator.comparingInt(WidthSearch.Result::n).thenComparingLong(WidthSearch.Result::seed));
        List<Width> widths = widths(chains);
        LogLogFit fit = fitPerSeed(chains);
        LogLogFit fitOfMedians = fitMedians(widths);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Outcome outcome = new Outcome(chains, widths, fit, fitOfMedians, computed.get(), reused.get(), seconds);

        writeChains(chains);
        writeCells(chains);
        record = header("finished");
        record.put("m_min", widthsJson(widths));
        record.put("fit", fit == null ? null : fit.toMap());
        record.put("fit_of_medians", fitOfMedians == null ? null : fitOfMedians.toMap());
        record.put("local_slopes", localSlopes(widths));
        record.put("references", referencesJson(fit));
        record.put("cells_computed", outcome.cellsComputed());
        record.put("cells_reused", outcome.cellsReused());
        record.put("wall_seconds", seconds);
        Json.write(folder.resolve("sweep.json"), record);
        DurableFiles.writeString(folder.resolve("summary.md"), SweepSummary.markdown(settings, grid, outcome));
        return outcome;
    }

    private Map<String, Object> header(String status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", KIND);
        r.put("format", FORMAT);
        r.putAll(extra);
        r.put("status", status);
        r.put("settings", settings.toMap());
        r.put("cells_at_once", cellsAtOnce);
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("java", Runtime.version().toString());
        r.put("widths", grid.widths());
        r.put(
                "criterion",
                "a cell reaches the target when L(k)/L(0) ≤ target_ratio for some k ≤ steps (full-batch GD); "
                        + "m_min(n, seed) is the smallest grid width that reaches it (galloping by octaves, then bisection); "
                        + "m_min(n) is the median over seeds (log-scale midpoint for an even count; a seed above the grid counts as +∞)");
        return r;
    }

    /** Refuses a folder that holds something else, or a sweep made with other settings. */
    private void prepareFolder() throws IOException {
        Path json = folder.resolve("sweep.json");
        if (Files.isRegularFile(json)) {
            Map<String, Object> old = Json.read(json);
            if (!KIND.equals(old.get("kind")) || !(old.get("settings") instanceof Map<?, ?> oldSettings)) {
                throw new InputException(json + ": not a widenet sweep (no \"kind\": \"" + KIND + "\" with settings)");
            }
            List<String> diff = new ArrayList<>();
            for (Map.Entry<String, Object> e : settings.toMap().entrySet()) {
                String was = Json.toString(oldSettings.get(e.getKey())).strip(),
                        now = Json.toString(e.getValue()).strip();
                if (!was.equals(now)) {
                    diff.add(e.getKey() + " " + was.replaceAll("\\s+", "") + " → " + now.replaceAll("\\s+", ""));
                }
            }
            if (!diff.isEmpty()) {
                throw new InputException(folder + " holds a sweep with other settings (" + String.join(", ", diff)
                        + "); resume it with the same settings or choose another --out");
            }
        } else if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                // what a sweep killed before its first sweep.json leaves is not "someone else's folder"
                if (s.map(p -> p.getFileName().toString())
                        .anyMatch(f -> !f.equals(RunLock.FILE) && !f.equals("cells"))) {
                    throw new InputException(folder + " is not empty and holds no sweep.json; choose another --out");
                }
            }
        } else if (Files.exists(folder)) {
            throw new InputException(folder + " exists and is not a folder");
        }
        Files.createDirectories(folder.resolve("cells"));
    }

    private List<WidthSearch.Result> runChains() throws IOException {
        List<int[]> order = new ArrayList<>(); // {n, seed index}: largest n first, the longest chains start first
        for (int i = settings.ns().size() - 1; i >= 0; i--) {
            for (int s = 0; s < settings.seeds(); s++) {
                order.add(new int[] {settings.ns().get(i), s});
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(cellsAtOnce, r -> {
            Thread t = new Thread(r, "sweep-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<WidthSearch.Result>> futures = new ArrayList<>();
            for (int[] o : order) {
                int n = o[0];
                long seed = settings.seedAt(o[1]);
                futures.add(pool.submit(() -> WidthSearch.search(n, seed, grid, m -> evaluate(new Cell(n, m, seed)))));
            }
            List<WidthSearch.Result> results = new ArrayList<>();
            for (Future<WidthSearch.Result> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            pool.shutdownNow();
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("sweep interrupted");
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    /** Waits for cancelled cells to stop (they check for interruption every step), so no write outlives run(). */
    private static void awaitQuietly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private CellResult evaluate(Cell cell) {
        Path file = folder.resolve("cells").resolve(cell.dirName()).resolve("cell.json");
        try {
            if (Files.isRegularFile(file)) {
                CellResult r = CellResult.fromMap(Json.read(file), cell, file);
                if (r.d() != settings.dFor(cell.n())) {
                    throw new InputException(
                            file + ": d = " + r.d() + " but the settings give d = " + settings.dFor(cell.n()));
                }
                reused.incrementAndGet();
                tell(r, true);
                return r;
            }
            CellResult r = executor.run(settings, cell, file.getParent());
            Json.write(file, r.toMap());
            computed.incrementAndGet();
            tell(r, false);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void tell(CellResult r, boolean wasReused) {
        if (listener != null) {
            listener.onCell(r, wasReused);
        }
    }

    /** The median over seeds of m_min(n, seed); seeds above the grid count as +∞, an even count takes the geometric midpoint. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int k = v.length;
        if (k % 2 == 1) {
            return v[k / 2];
        }
        double a = v[k / 2 - 1], b = v[k / 2];
        return Double.isInfinite(b) ? b : Math.sqrt(a * b);
    }

    private List<Width> widths(List<WidthSearch.Result> chains) {
        List<Width> out = new ArrayList<>();
        for (int n : settings.ns()) {
            List<WidthSearch.Result> of =
                    chains.stream().filter(c -> c.n() == n).toList();
            double[] v = of.stream()
                    .mapToDouble(c -> c.status() == WidthSearch.Status.ABOVE_GRID ? Double.POSITIVE_INFINITY : c.mMin())
                    .toArray();
            out.add(new Width(n, settings.dFor(n), of, median(v)));
        }
        return out;
    }

    /** α over every chain whose m_min is a grid width (censored chains are left out and listed). */
    private static LogLogFit fitPerSeed(List<WidthSearch.Result> chains) {
        List<WidthSearch.Result> found = chains.stream()
                .filter(c -> c.status() == WidthSearch.Status.FOUND)
                .toList();
        return LogLogFit.of(
                found.stream().mapToDouble(WidthSearch.Result::n).toArray(),
                found.stream().mapToDouble(WidthSearch.Result::mMin).toArray());
    }

    private static LogLogFit fitMedians(List<Width> widths) {
        List<Width> finite =
                widths.stream().filter(w -> Double.isFinite(w.median())).toList();
        return LogLogFit.of(
                finite.stream().mapToDouble(Width::n).toArray(),
                finite.stream().mapToDouble(Width::median).toArray());
    }

    /** ln(m_min(n₂)/m_min(n₁)) / ln(n₂/n₁) between consecutive n with finite medians: where the curve bends. */
    static List<Map<String, Object>> localSlopes(List<Width> widths) {
        List<Map<String, Object>> out = new ArrayList<>();
        Width prev = null;
        for (Width w : widths) {
            if (!Double.isFinite(w.median())) {
                continue;
            }
            if (prev != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("n_from", prev.n());
                m.put("n_to", w.n());
                m.put("slope", Math.log(w.median() / prev.median()) / Math.log((double) w.n() / prev.n()));
                out.add(m);
            }
            prev = w;
        }
        return out;
    }

    private List<Map<String, Object>> widthsJson(List<Width> widths) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Width w : widths) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", w.n());
            m.put("d", w.d());
            m.put("median", Double.isFinite(w.median()) ? w.median() : null);
            List<Map<String, Object>> seeds = new ArrayList<>();
            for (WidthSearch.Result c : w.chains()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("seed", c.seed());
                s.put("m_min", c.status() == WidthSearch.Status.ABOVE_GRID ? null : c.mMin());
                s.put("status", c.status().label());
                s.put("cells", c.cells().size());
                seeds.add(s);
            }
            m.put("seeds", seeds);
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> referencesJson(LogLogFit fit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Reference r : Reference.THEOREMS) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", r.key());
            m.put("label", r.label());
            m.put("exponent", r.exponent());
            m.put("inside_ci95", fit == null ? null : fit.contains(r.exponent()));
            out.add(m);
        }
        return out;
    }

    private void writeChains(List<WidthSearch.Result> chains) throws IOException {
        Csv.Writer csv = Csv.writer(List.of("n", "d", "seed", "m_min", "status", "cells"));
        for (WidthSearch.Result c : chains) {
            csv.row(
                    c.n(),
                    settings.dFor(c.n()),
                    c.seed(),
                    c.status() == WidthSearch.Status.ABOVE_GRID ? Double.NaN : c.mMin(),
                    c.status().label(),
                    c.cells().size());
        }
        csv.write(folder.resolve("sweep.csv"));
    }

    private void writeCells(List<WidthSearch.Result> chains) throws IOException {
        List<CellResult> all = new ArrayList<>();
        chains.forEach(c -> all.addAll(c.cells()));
        all.sort(Comparator.comparingInt((CellResult r) -> r.cell().n())
                .thenComparingLong(r -> r.cell().seed())
                .thenComparingInt(r -> r.cell().width()));
        Csv.Writer csv = Csv.writer(
                List.of("n", "d", "width", "seed", "status", "loss_ratio", "step_reached", "steps_run", "seconds"));
        for (CellResult r : all) {
            csv.row(
                    r.cell().n(),
                    r.d(),
                    r.cell().width(),
                    r.cell().seed(),
                    r.status(),
                    r.ratio(),
                    r.stepReached() < 0 ? Double.NaN : r.stepReached(),
                    r.stepsRun(),
                    r.seconds());
        }
        csv.write(folder.resolve("cells.csv"));
    }
}
