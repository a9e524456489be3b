package widenet.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import widenet.kernel.KernelProviders;
import widenet.model.LossKind;
import widenet.report.Report;
import widenet.sweep.CellExecutor;
import widenet.sweep.ClusterEngine;
import widenet.sweep.ClusterOptions;
import widenet.sweep.LogLogFit;
import widenet.sweep.Sweep;
import widenet.sweep.SweepSettings;
import widenet.train.GracefulShutdown;
import widenet.train.MemoryEstimate;

/**
 * {@code widenet sweep}: how wide is wide enough. For each n, the smallest width m_min(n) whose full-batch GD run
 * reaches L(k)/L(0) ≤ ρ within K steps, then the exponent α of m_min ∝ n^α. Options left unset take the preset's
 * value (the default preset, or {@code --quick}).
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Find the smallest width that trains, per n, and fit m_min ∝ n^α.",
        description = {
            "The smallest width m_min(n) that reaches a target loss ratio within a step budget, over a grid of n (galloping + bisection over a geometric width grid, several seeds, median over seeds); fits m_min ∝ n^α with a 95%% CI and compares α with the theorems' 6 (Du et al.), 2 (LeCun init, pyramid) and 1 (Nguyen 2021).",
            "Cells run concurrently; a stopped sweep resumes where it was (same --out, same settings). Writes sweep.json, sweep.csv, cells.csv, cells/<n>-<m>-<seed>/cell.json, summary.md and report.html."
        })
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The settings of a preset; options given on the command line override them one by one. */
    record Preset(
            String n,
            int d,
            int seeds,
            double lr,
            long steps,
            double target,
            int widthMin,
            int widthMax,
            int perOctave) {}

    /**
     * The default: n up to 2048 in d = 128 (n below the ≈ d²/2 degree-≤2 harmonics, so H∞ stays well conditioned
     * and the step η = 0.2 stays below 2/λ_max(H∞) ≈ 2/(0.41·n/d + 0.5) for every n); ≈ 1.5 min on 2 cores (simd).
     */
    static final Preset FULL = new Preset("64,128,256,512,1024,2048", 128, 5, 0.2, 400, 1e-3, 4, 4096, 4);
    /** About half a minute on 2 cores: n up to 512 in d = 48, 3 seeds, a coarser grid and target. */
    static final Preset QUICK = new Preset("16,32,64,128,256,512", 48, 3, 0.3, 200, 1e-2, 2, 1024, 2);

    @Option(
            names = "--quick",
            description =
                    "Small preset (~30 s on 2 cores): n = 16…512, d = 48, 3 seeds, η = 0.3, K = 200, ρ = 0.01, widths 2…1024 (2 per octave).")
    boolean quick;

    @Option(
            names = "--n",
            split = ",",
            paramLabel = "N[,N…]",
            description = "Sample counts (default: 64,128,…,2048; quick: 16,32,…,512).")
    List<Integer> ns;

    @Option(names = "--d", description = "Fixed input dimension of the data (default: 128; quick: 48).")
    Integer d;

    @Option(names = "--d-per-n", paramLabel = "R", description = "Instead of --d: d = ⌈R·n⌉ for each n.")
    Double dPerN;

    @Option(names = "--seeds", description = "Seeds per n (default: 5; quick: 3).")
    Integer seeds;

    @Option(names = "--seed", description = "First seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(
            names = {"--lr", "--eta"},
            description = "Step size η (default: 0.2; quick: 0.3).")
    Double lr;

    @Option(names = "--steps", description = "Step budget K (default: 400; quick: 200).")
    Long steps;

    @Option(
            names = {"--target", "--rho"},
            description = "Target loss ratio ρ: reached when L(k)/L(0) ≤ ρ (default: 0.001; quick: 0.01).")
    Double target;

    @Option(names = "--width-min", description = "Smallest grid width (default: 4; quick: 2).")
    Integer widthMin;

    @Option(names = "--width-max", description = "Largest grid width (default: 4096; quick: 1024).")
    Integer widthMax;

    @Option(names = "--per-octave", description = "Grid widths per doubling of m (default: 4; quick: 2).")
    Integer perOctave;

    @Option(names = "--kappa", description = "w_r(0) ~ N(0, κ²I) (default: ${DEFAULT-VALUE}).", defaultValue = "1.0")
    double kappa;

    @Option(names = "--loss", description = "sum or mean (default: ${DEFAULT-VALUE}).", defaultValue = "sum")
    String loss;

    @Option(
            names = "--kernels",
            description = "Kernel provider (default: ${DEFAULT-VALUE}).",
            defaultValue = KernelProviders.DEFAULT)
    String kernels;

    @Option(
            names = "--threads-per-cell",
            description = "Threads of each cell's kernels (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int threadsPerCell;

    @Option(
            names = "--cells-at-once",
            description = {
                "Cells trained concurrently (default: cores / threads-per-cell).",
                "With --cluster: (n, seed) chains waiting on the cluster at once (default: all); --cells-here and the workers' --threads bound what trains."
            })
    Integer cellsAtOnce;

    @Option(
            names = "--out",
            description =
                    "Sweep folder; an existing sweep with the same settings is resumed (default: runs/sweep-<time>).")
    Path out;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Mixin
    MemoryOptions memory = new MemoryOptions();

    @Option(
            names = "--cluster",
            paramLabel = "ENGINE",
            description =
                    "Train the cells on a cluster: hazelcast (this process joins as a member; see 'widenet worker').")
    String cluster;

    @Option(
            names = "--members",
            split = ",",
            paramLabel = "HOST[:PORT]",
            description = "With --cluster: members to join (default: 127.0.0.1, this machine only).")
    List<String> members;

    @Option(
            names = "--cluster-name",
            description = "With --cluster: the cluster's name (default: " + ClusterOptions.DEFAULT_CLUSTER_NAME + ").")
    String clusterName;

    @Option(
            names = "--port",
            description = "With --cluster: first port this member binds to (default: " + ClusterOptions.DEFAULT_PORT
                    + ", the next free one above).")
    Integer port;

    @Option(
            names = "--cells-here",
            description =
                    "With --cluster: cells this process trains at once beside the workers; 0 only submits (default: cores / threads-per-cell).")
    Integer cellsHere;

    @Option(
            names = "--min-members",
            description =
                    "With --cluster: wait (up to 2 min) until this many members train cells (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int minMembers;

    @Override
    public Integer call() throws Exception {
        Preset p = quick ? QUICK : FULL;
        List<Integer> nList = ns != null ? ns : parse(p.n());
        SweepSettings s = new SweepSettings(
                nList,
                d != null ? d : p.d(),
                dPerN != null ? dPerN : 0,
                seeds != null ? seeds : p.seeds(),
                seed,
                lr != null ? lr : p.lr(),
                steps != null ? steps : p.steps(),
                target != null ? target : p.target(),
                widthMin != null ? widthMin : p.widthMin(),
                widthMax != null ? widthMax : p.widthMax(),
                perOctave != null ? perOctave : p.perOctave(),
                kappa,
                LossKind.parse(loss),
                kernels,
                threadsPerCell);
        KernelProviders.named(kernels); // fail now, not in the first cell, when the provider is missing
        ClusterOptions clusterOptions = clusterOptions();
        ClusterEngine engine =
                clusterOptions == null ? null : ClusterEngine.named(cluster); // before any work: say how to get it
        int cores = Runtime.getRuntime().availableProcessors();
        int atOnce = cellsAtOnce != null ? cellsAtOnce : Math.max(1, cores / threadsPerCell);
        // Before anything is allocated: the largest cell (the widest grid width at the largest n) as many times as
        // cells train here at once (a cell trains the two-layer network by full-batch GD, without the theory).
        int trainedHere =
                clusterOptions == null ? atOnce : cellsHere != null ? cellsHere : Math.max(1, cores / threadsPerCell);
        if (trainedHere > 0) {
            int nMax = s.ns().stream().mapToInt(Integer::intValue).max().orElse(1);
            memory.check(
                    "this sweep's largest cell (n = " + nMax + ", d = " + s.dFor(nMax) + ", m = " + s.widthMax() + ")"
                            + (trainedHere > 1 ? " × " + trainedHere + " cells at once" : ""),
                    MemoryEstimate.twoLayer(nMax, s.dFor(nMax), s.widthMax(), nMax)
                            .times(trainedHere));
        }
        Path dir = out != null
                ? out
                : Path.of(
                        "runs", "sweep-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("widenet_version", Main.version());
        extra.put("command", "sweep");
        log(String.format(
                Locale.ROOT,
                "widenet %s · sweep n = %s, d = %s, %d seeds, η = %s, K = %d, ρ = %s · %s kernels, %s × %d thread(s) → %s",
                Main.version(),
                s.ns(),
                s.dPerN() > 0 ? "⌈" + s.dPerN() + "·n⌉" : Integer.toString(s.d()),
                s.seeds(),
                s.lr(),
                s.steps(),
                s.target(),
                kernels,
                clusterOptions == null ? atOnce + " cell(s) at once" : "cells on the Hazelcast cluster",
                threadsPerCell,
                dir));
        long t0 = System.nanoTime();
        ClusterEngine.Submitter onCluster = null;
        CellExecutor executor = CellExecutor.local();
        if (clusterOptions != null) {
            int here = cellsHere != null ? cellsHere : Math.max(1, cores / threadsPerCell);
            onCluster = engine.submitter(clusterOptions, here);
            log("joined " + onCluster.describe()
                    + (here == 0 ? "; this member only submits" : "; this member trains " + here + " cell(s) at once"));
            onCluster.awaitDataMembers(minMembers, java.time.Duration.ofMinutes(2));
            executor = onCluster;
            // every (n, seed) chain waits on the cluster at once; the members' pools bound what trains
            atOnce = cellsAtOnce != null ? cellsAtOnce : s.ns().size() * s.seeds();
            extra.put(
                    "cluster",
                    Map.of(
                            "engine",
                            engine.name(),
                            "name",
                            clusterOptions.clusterName(),
                            "members_training_at_start",
                            onCluster.dataMembers(),
                            "cells_here",
                            here));
        }
        try {
            int code = sweep(s, dir, atOnce, extra, executor, t0);
            if (onCluster != null) {
                log(String.format(
                        Locale.ROOT,
                        "cluster: median overhead per cell %.2f ms (round trip minus training time)",
                        onCluster.medianOverheadMillis()));
            }
            return code;
        } finally {
            if (onCluster != null) {
                onCluster.close();
            }
        }
    }

    /** The cluster to train on, or null for this process. */
    private ClusterOptions clusterOptions() {
        if (cluster == null) {
            if (members != null || clusterName != null || port != null || cellsHere != null) {
                throw new widenet.train.InputException(
                        "--members, --cluster-name, --port and --cells-here need --cluster hazelcast");
            }
            return null;
        }
        if (!cluster.equals("hazelcast")) {
            throw new widenet.train.InputException("--cluster: expected hazelcast, got '" + cluster + "'");
        }
        if (cellsHere != null && cellsHere < 0) {
            throw new widenet.train.InputException("--cells-here must be at least 0, got " + cellsHere);
        }
        if (minMembers < 1) {
            throw new widenet.train.InputException("--min-members must be at least 1, got " + minMembers);
        }
        return ClusterOptions.of(members, clusterName, port);
    }

    private Integer sweep(
            SweepSettings s, Path dir, int atOnce, Map<String, Object> extra, CellExecutor executor, long t0)
            throws Exception {
        int[] count = {0};
        Sweep sweep = new Sweep(
                dir,
                s,
                atOnce,
                (r, reused) -> {
                    count[0]++;
                    if (!quiet) {
                        System.out.println(CellLine.of(count[0], r, reused));
                        System.out.flush();
                    }
                },
                extra,
                executor);
        GracefulShutdown shutdown = GracefulShutdown.jvm();
        // SIGINT/SIGTERM interrupt this thread: the cells being trained checkpoint at their next step and stop, and
        // the JVM waits for this section, so the message below is printed before it exits (with 130 or 143).
        try (GracefulShutdown.Section section = shutdown.protect()) {
            Sweep.Outcome o;
            Thread self = Thread.currentThread();
            try (GracefulShutdown.Registration stop = shutdown.onRequest(self::interrupt)) {
                o = sweep.run();
            } catch (CancellationException | java.io.IOException | java.io.UncheckedIOException e) {
                if (!shutdown.requested()) {
                    throw e;
                }
                Thread.interrupted();
                spec.commandLine()
                        .getErr()
                        .println("widenet: sweep interrupted after " + count[0] + " cell(s); "
                                + (executor == CellExecutor.local()
                                        ? "the cells being trained were checkpointed"
                                        : "cells still running on the cluster will be trained again")
                                + "; continue with: " + ContinueCommandLine.of(spec, out != null, dir));
                spec.commandLine().getErr().flush();
                return TrainCommand.EXIT_INTERRUPTED;
            }
            Thread.interrupted(); // a signal just after the sweep ended: it has finished, write its report (then exit
            // 143)
            return finish(o, dir, t0);
        }
    }

    private Integer finish(Sweep.Outcome o, Path dir, long t0) throws Exception {
        ReportCommand.headless();
        Report.write(dir, dir.resolve("report.html"));
        if (!quiet) {
            for (Sweep.Width w : o.widths()) {
                System.out.printf(
                        Locale.ROOT,
                        "n = %-5d m_min = %s  (seeds: %s)%n",
                        w.n(),
                        !Double.isFinite(w.median())
                                ? "above the grid"
                                : w.median() == Math.rint(w.median())
                                        ? Long.toString((long) w.median())
                                        : String.format(Locale.ROOT, "%.1f", w.median()),
                        String.join(
                                ", ",
                                w.chains().stream()
                                        .map(c -> c.status().name().equals("ABOVE_GRID")
                                                ? ">" + c.mMin()
                                                : c.status().name().equals("BELOW_GRID")
                                                        ? "≤" + c.mMin()
                                                        : Integer.toString(c.mMin()))
                                        .toList()));
            }
            LogLogFit f = o.fit();
            System.out.println(
                    f == null
                            ? "no fit: too few chains with m_min inside the grid"
                            : String.format(
                                    Locale.ROOT,
                                    "α = %.3f, 95%% CI [%.3f, %.3f] over %d chains (R² = %.3f); theorems: 6 (Du), 2 (LeCun/pyramid), 1 (Nguyen 2021)",
                                    f.alpha(),
                                    f.ciLow(),
                                    f.ciHigh(),
                                    f.points(),
                                    f.r2()));
            System.out.printf(
                    Locale.ROOT,
                    "done: %d cells trained, %d read back, %.1f s → %s%n",
                    o.cellsComputed(),
                    o.cellsReused(),
                    (System.nanoTime() - t0) / 1e9,
                    dir.resolve("report.html"));
        }
        return 0;
    }

    private static List<Integer> parse(String list) {
        List<Integer> out = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                out.add(Integer.parseInt(s.strip()));
            } catch (NumberFormatException e) {
                throw new widenet.train.InputException("'" + list + "' is not a comma-separated list of integers");
            }
        }
        return out;
    }

    private void log(String s) {
        if (!quiet) {
            System.out.println(s);
        }
    }
}
