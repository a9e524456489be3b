package widenet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.model.WeightInit;
import widenet.train.internal.CheckpointPolicy;
import widenet.train.internal.TrainingRun;

/**
 * A long run must not grow, for each model: 20 000 SGD steps with a metrics row every 10 steps and a checkpoint every 100 (200
 * checkpoints written, each replacing an older one), sampling at the first checkpoint (after warm-up), in the
 * middle and at the end: Java heap used after a full GC, off-heap memory (the NMT category "Other", where
 * {@code Arena} allocations land, plus NIO buffer pools), resident set size and open file descriptors.
 *
 * <p>Not in the default suite (tag {@code soak}); run with {@code bin/soak} (≈ 1–2 min). Bounds, from middle to
 * end (warm-up — JIT, class loading, the first GC sizing — happens before the middle sample): heap +1 MiB,
 * off-heap +64 KiB (a leaked checkpoint staging buffer is 64 KiB, a leaked W 32 KiB × 100 checkpoints), RSS
 * +8 MiB (the heap is fixed and pre-touched by the soak profile, so RSS shows native memory; the JIT's code cache and
 * compiler arenas move it by 1–2 MiB without any leak), file descriptors +0 (each checkpoint opens about 20 files:
 * one leaked per checkpoint would be +100). The NMT categories that moved are printed to explain any change.
 */
@Tag("soak")
class SoakTest {
    /** {@code bin/soak -Dsoak.steps=100000} for a longer run (a multiple of 20). */
    static final long STEPS = Long.getLong("soak.steps", 20_000), CHECKPOINT_EVERY = 100;

    @TempDir
    Path tmp;

    record Sample(
            String when,
            long step,
            long heapAfterGc,
            long offHeap,
            long nioBuffers,
            long rss,
            long fds,
            java.util.Map<String, Long> nmt) {
        @Override
        public String toString() {
            return String.format(
                    "%-6s step %6d  heap %7.2f MiB  off-heap (NMT Other) %8.2f MiB  NIO buffers %6.2f MiB  RSS %7.1f MiB  fds %d",
                    when,
                    step,
                    heapAfterGc / 1048576.0,
                    offHeap / 1048576.0,
                    nioBuffers / 1048576.0,
                    rss / 1048576.0,
                    fds);
        }
    }

    /** The report of every model soaked in this JVM, written to target/soak-report.txt after each. */
    private static final StringBuilder REPORTS = new StringBuilder();

    /**
     * The models: {@code two-layer} (d = 32, m = 256), {@code deep} (widths 32, 256, 64, 1, ReLU, biases) and
     * {@code implicit} (d = 32, m = 128, γ = 0.2, the contraction check every 100 steps; its warm starts are
     * checkpoint state). {@code bin/soak -Dsoak.models=implicit} soaks one.
     */
    static Network network(String model, Kernels k, int n, int d, SplittableRandom rng) {
        return switch (model) {
            case "two-layer" ->
                new TwoLayerNetwork(k, new TwoLayerNetwork.Config(d, 256, n, 1.0, true, LossKind.MEAN, true), rng);
            case "deep" ->
                new DeepNetwork(
                        k,
                        new DeepNetwork.Config(
                                new int[] {d, 256, 64, 1},
                                n,
                                Activation.parse("relu", false),
                                List.of(WeightInit.LECUN),
                                1.0,
                                true,
                                LossKind.MEAN,
                                Set.of()),
                        rng);
            case "implicit" ->
                new ImplicitNetwork(
                        k,
                        new ImplicitNetwork.Config(
                                d,
                                128,
                                n,
                                0.2,
                                false,
                                false,
                                1.0,
                                LossKind.MEAN,
                                Set.of(),
                                ImplicitNetwork.Solver.DEFAULT,
                                true,
                                100),
                        rng);
            default -> throw new IllegalArgumentException(model);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"two-layer", "deep", "implicit"})
    void memoryAndFileDescriptorsStayFlatOverALongRunWithCheckpoints(String model) throws Exception {
        assumeTrue(
                List.of(System.getProperty("soak.models", "two-layer,deep,implicit")
                                .split(","))
                        .contains(model),
                "not selected");
        assertTrue(nmtOther() >= 0, "run with -XX:NativeMemoryTracking=summary (bin/soak does)");
        List<Sample> samples = new ArrayList<>();
        int n = 128, d = 32;
        SplittableRandom root = new SplittableRandom(1);
        Path dir = tmp.resolve("soak");
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, root.split());
                Network net = network(model, k, n, d, root.split());
                TrainingRun run = TrainingRun.create(dir, false);
                Trainer t = new Trainer(
                        k, net, data, new TrainSettings(model.equals("two-layer") ? 0.05 : 0.02, STEPS, 16, 10, 5))) {
            Trainer.Listener sampler = row -> {
                if (row.step == CHECKPOINT_EVERY + 10 || row.step == STEPS / 2 || row.step == STEPS - 10) {
                    samples.add(sample(
                            row.step == STEPS / 2 ? "middle" : row.step < STEPS / 2 ? "start" : "end", row.step, dir));
                }
            };
            Map<String, Object> description = Map.of("settings", Map.of("soak", true));
            TrainingRun.Outcome o = run.train(
                    t, description, CheckpointPolicy.everySteps(CHECKPOINT_EVERY), sampler, GracefulShutdown.manual());
            assertTrue(o.finished());
        }
        StringBuilder report = new StringBuilder(
                "soak " + model + ": " + STEPS + " SGD steps (n=128, d=32, batch 16, scalar, 1 thread), "
                        + "checkpoint every " + CHECKPOINT_EVERY + " steps, JVM " + Runtime.version() + "\n");
        samples.forEach(s -> report.append(s).append('\n'));
        if (samples.size() == 3) {
            report.append("NMT committed, change from middle to end (categories that moved ≥ 64 KiB):");
            for (var e : samples.get(2).nmt().entrySet()) {
                long delta = e.getValue() - samples.get(1).nmt().getOrDefault(e.getKey(), 0L);
                if (Math.abs(delta) >= (64 << 10)) {
                    report.append(String.format(" %s %+.2f MiB;", e.getKey(), delta / 1048576.0));
                }
            }
            report.append('\n');
        }
        System.out.print(report);
        REPORTS.append(report);
        Files.writeString(Path.of("target", "soak-report.txt"), REPORTS);
        assertEquals(3, samples.size());
        Sample mid = samples.get(1), end = samples.get(2);
        assertTrue(end.heapAfterGc() - mid.heapAfterGc() < (1 << 20), "heap grew: " + report);
        assertTrue(end.offHeap() - mid.offHeap() < (64 << 10), "off-heap grew: " + report);
        assertTrue(end.nioBuffers() - mid.nioBuffers() < (64 << 10), "NIO buffers grew: " + report);
        assertTrue(end.rss() - mid.rss() < (8 << 20), "RSS grew: " + report);
        assertTrue(end.fds() <= samples.get(0).fds(), "file descriptors grew: " + report);
    }

    static Sample sample(String when, long step, Path dir) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long nio = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            nio += b.getMemoryUsed();
        }
        return new Sample(when, step, heap, nmtOther(), nio, rss(), fds(), nmtCategories());
    }

    /** NMT's committed bytes by category (and "Total"), empty without NMT. */
    static java.util.Map<String, Long> nmtCategories() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "vmNativeMemory",
                            new Object[] {new String[] {"summary"}},
                            new String[] {String[].class.getName()});
            Matcher mt = Pattern.compile(
                            "(?m)^(?:-\\s+)?([A-Za-z][A-Za-z ]*?) \\(reserved=(\\d+)KB, committed=(\\d+)KB")
                    .matcher(text);
            while (mt.find()) {
                out.put(mt.group(1).strip(), Long.parseLong(mt.group(3)) * 1024);
            }
            Matcher total = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB")
                    .matcher(text);
            if (total.find()) {
                out.put("Total", Long.parseLong(total.group(2)) * 1024);
            }
        } catch (Exception e) {
            // no NMT
        }
        return out;
    }

    /** Committed bytes of NMT's "Other" category (java.lang.foreign / Unsafe allocations), or −1 without NMT. */
    static long nmtOther() {
        try {
            String out = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "vmNativeMemory",
                            new Object[] {new String[] {"summary"}},
                            new String[] {String[].class.getName()});
            Matcher mt = Pattern.compile("Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)")
                    .matcher(out);
            return mt.find() ? Long.parseLong(mt.group(2)) * 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static long rss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    static long fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
