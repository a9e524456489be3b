package widenet.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.LossKind;
import widenet.sweep.Cell;
import widenet.sweep.CellResult;
import widenet.sweep.ClusterOptions;
import widenet.sweep.Sweep;
import widenet.sweep.SweepSettings;
import widenet.sweep.WidthSearch;

/**
 * Three members in this JVM on loopback (a submitting member that also trains cells and two workers, one cell at
 * a time each); one worker is killed (terminated without leaving) while it holds a cell. Every cell must still be
 * trained to the end exactly once by a live member, reported to the sweep exactly once, with the same numbers as
 * the local sweep.
 */
class HazelcastSweepTest {
    @TempDir
    Path tmp;

    /**
     * n = 16…64 in d = 8, 2 seeds, up to 800 steps: cells of a few to a few hundred milliseconds on the scalar
     * kernels, so a worker is caught inside one.
     */
    static SweepSettings settings() {
        return new SweepSettings(
                List.of(16, 32, 64), 8, 0, 2, 0, 0.3, 800, 0.001, 2, 256, 2, 1.0, LossKind.SUM, "scalar", 1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyCellFinishesExactlyOnceWithTheLocalNumbersWhenAWorkerDiesMidCell() throws Exception {
        SweepSettings s = settings();
        Sweep.Outcome local = new Sweep(tmp.resolve("local"), s, 2, null, Map.of()).run();

        List<Integer> ports = freePorts(3);
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        String cluster = "widenet-test-" + UUID.randomUUID();
        Map<Cell, AtomicInteger> reported = new ConcurrentHashMap<>();
        Map<Cell, AtomicInteger> trainedBySurvivors = new ConcurrentHashMap<>();
        Map<Cell, AtomicInteger> deliveredByVictim = new ConcurrentHashMap<>();
        AtomicReference<Cell> caught = new AtomicReference<>();
        CountDownLatch crashed = new CountDownLatch(1);
        Consumer<CellResult> survivorTrained = r -> count(trainedBySurvivors, r.cell());
        // The victim's first cell never returns: it is held inside the task (after training, before the result is
        // sent) until the member is dead, so that cell is certainly lost with it and must run again elsewhere.
        Consumer<CellResult> victimTrained = r -> {
            if (caught.compareAndSet(null, r.cell())) {
                awaitQuietly(crashed);
            } else {
                count(deliveredByVictim, r.cell());
            }
        };
        try (HazelcastCellExecutor submitter =
                        HazelcastCellExecutor.start(new ClusterOptions(members, cluster, ports.get(0)), 1);
                HazelcastWorker survivor =
                        HazelcastWorker.start(new ClusterOptions(members, cluster, ports.get(1)), 1, survivorTrained);
                HazelcastWorker victim =
                        HazelcastWorker.start(new ClusterOptions(members, cluster, ports.get(2)), 1, victimTrained)) {
            MemberCells.of(submitter.instanceName()).listen(survivorTrained);
            submitter.awaitDataMembers(3, Duration.ofSeconds(20));

            Sweep sweep = new Sweep(
                    tmp.resolve("cluster"),
                    s,
                    s.ns().size() * s.seeds(),
                    (r, reused) -> count(reported, r.cell()),
                    Map.of(),
                    submitter);
            CompletableFuture<Sweep.Outcome> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return sweep.run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            while (caught.get() == null) {
                assertTrue(!running.isDone(), "the sweep ended before the victim trained a cell");
                Thread.sleep(1);
            }
            victim.crash();
            crashed.countDown();
            Sweep.Outcome clustered = running.get(45, TimeUnit.SECONDS);

            assertEquals(results(local), results(clustered), "cell results (wall time aside)");
            assertEquals(chains(local), chains(clustered), "m_min of every chain");
            assertEquals(local.cellsComputed(), clustered.cellsComputed());
            assertEquals(local.cellsComputed(), reported.size());
            reported.forEach((c, k) -> assertEquals(1, k.get(), "reports of cell " + c.dirName()));
            assertTrue(survivor.cellsFinished() > 0, "the surviving worker trained cells too");
            assertEquals(
                    1,
                    trainedBySurvivors
                            .getOrDefault(caught.get(), new AtomicInteger())
                            .get(),
                    "the cell lost with the victim ran again on a survivor, once");
            for (Cell c : reported.keySet()) {
                int times = trainedBySurvivors
                                .getOrDefault(c, new AtomicInteger())
                                .get()
                        + deliveredByVictim.getOrDefault(c, new AtomicInteger()).get();
                assertEquals(1, times, "cell " + c.dirName() + " trained to the end by a live member");
            }
            assertEquals(
                    Files.readString(tmp.resolve("local/sweep.csv")),
                    Files.readString(tmp.resolve("cluster/sweep.csv")));
            assertEquals(
                    withoutSeconds(tmp.resolve("local/cells.csv")), withoutSeconds(tmp.resolve("cluster/cells.csv")));
        }
    }

    private static void count(Map<Cell, AtomicInteger> counts, Cell cell) {
        counts.computeIfAbsent(cell, c -> new AtomicInteger()).incrementAndGet();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(50, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<CellResult> results(Sweep.Outcome o) {
        List<CellResult> all = new ArrayList<>();
        for (WidthSearch.Result c : o.chains()) {
            for (CellResult r : c.cells()) {
                all.add(new CellResult(
                        r.cell(), r.d(), r.lossInitial(), r.lossFinal(), r.stepReached(), r.stepsRun(), r.status(), 0));
            }
        }
        all.sort(Comparator.comparing((CellResult r) -> r.cell().dirName()));
        return all;
    }

    private static List<String> chains(Sweep.Outcome o) {
        return o.chains().stream()
                .map(c -> c.n() + "/" + c.seed() + ": " + c.status() + " " + c.mMin())
                .toList();
    }

    /** cells.csv without its last column (wall seconds). */
    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream()
                .map(l -> l.substring(0, l.lastIndexOf(',')))
                .toList();
    }

    /** Ports free on loopback now (the members bind them a moment later; another process could take one between). */
    static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
