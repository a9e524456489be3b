package widenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import widenet.kernel.KernelProvider;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.train.internal.CheckpointState;

class TrainerTest {

    static Stream<String> providers() {
        return KernelProviders.all().stream()
                .filter(KernelProvider::isAvailable)
                .map(KernelProvider::name);
    }

    record Run(List<double[]> rows, float[] finalW) {}

    static Run train(String provider, int threads, int n, int d, int m, double lr, long steps, int batch, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        try (Kernels k = KernelProviders.open(provider, threads);
                Dataset data = Dataset.unitSphere(n, d, root.split())) {
            var cfg = new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, true);
            try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, root.split());
                    Trainer t = new Trainer(k, net, data, new TrainSettings(lr, steps, batch, 1, root.nextLong()))) {
                List<double[]> rows = new ArrayList<>();
                t.run(r -> {
                    double[] v = r.values();
                    v[v.length - 1] = 0; // wall-clock columns are not part of the result
                    v[v.length - 2] = 0;
                    rows.add(v);
                });
                return new Run(rows, net.weights().toArray());
            }
        }
    }

    /** A probe that takes at least {@code millis} per measurement. */
    record SlowProbe(long millis) implements Probe {
        @Override
        public List<String> names() {
            return List.of("slow");
        }

        @Override
        public long every() {
            return 2;
        }

        @Override
        public void measure(widenet.model.Network network, long step, double[] out) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out[0] = step;
        }
    }

    /**
     * The position carries the time spent in probes, over sessions: measured at steps 0, 2 before a stop at step 3
     * and at 4, 6 after resuming there (each ≥ 30 ms), and never more than the loop's own wall time.
     */
    @Test
    void probeTimeIsPartOfThePositionAndSurvivesAResume() {
        SplittableRandom root = new SplittableRandom(3);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(8, 4, root.split());
                TwoLayerNetwork net = new TwoLayerNetwork(
                        k, new TwoLayerNetwork.Config(4, 16, 8, 1.0, false, LossKind.SUM, true), root.split())) {
            TrainSettings settings = new TrainSettings(0.1, 6, 8, 1, 1);
            Trainer.Position stopped;
            try (Trainer t = new Trainer(k, net, data, settings, List.of(new SlowProbe(30)))) {
                assertEquals(3, t.run(r -> {}, step -> step == 3));
                stopped = t.position();
            }
            assertTrue(
                    stopped.probeSeconds() >= 0.06 && stopped.probeSeconds() <= stopped.elapsedSeconds(),
                    stopped.toString());
            Trainer.Position end;
            try (Trainer t = new Trainer(k, net, data, settings, List.of(new SlowProbe(30)))) {
                t.resumeAt(stopped);
                assertEquals(6, t.run(r -> {}, Trainer.Boundary.NONE));
                end = t.position();
            }
            assertTrue(end.probeSeconds() >= stopped.probeSeconds() + 0.06, end + " after " + stopped);
            assertTrue(end.probeSeconds() <= end.elapsedSeconds(), end.toString());
        }
    }

    /** checkpoint.json keeps the probe time; one written before it was recorded reads as 0. */
    @Test
    void checkpointStateCarriesProbeSeconds() {
        var state = new CheckpointState(
                new Trainer.Position(5, 0, 0, 4, 0.25, 12.5, 1.5),
                "two-layer",
                List.of("W", "a"),
                List.of(),
                new CheckpointState.DataFingerprint(8, 4, 1, 0x1234L),
                java.util.Map.of("lr", 0.1));
        byte[] json = state.toJson();
        assertEquals(
                1.5, CheckpointState.parse(json, "checkpoint.json").position().probeSeconds());
        String old = new String(json, java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\s*\"probe_seconds\"\\s*:\\s*1\\.5\\s*,", "");
        assertTrue(!old.contains("probe_seconds"), old);
        Trainer.Position p = CheckpointState.parse(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), "old")
                .position();
        assertEquals(0.0, p.probeSeconds());
        assertEquals(12.5, p.elapsedSeconds());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void fullBatchGradientDescentDrivesTheLossDown(String provider) {
        Run run = train(provider, 2, 30, 40, 256, 0.5, 60, 30, 7);
        double first = run.rows().get(0)[2], last = run.rows().get(run.rows().size() - 1)[2];
        assertEquals(61, run.rows().size());
        assertTrue(last < 0.05 * first, "loss " + first + " → " + last);
        for (int i = 1; i < run.rows().size(); i++) {
            assertTrue(run.rows().get(i)[2] <= run.rows().get(i - 1)[2] * (1 + 1e-6), "loss increased at step " + i);
        }
        double[] lastRow = run.rows().get(run.rows().size() - 1);
        assertTrue(lastRow[4] > 0 && lastRow[5] > 0, "weights moved");
        assertTrue(lastRow[6] >= 0 && lastRow[6] < 0.5, "pattern change ratio " + lastRow[6]);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void miniBatchSgdDrivesTheLossDown(String provider) {
        Run run = train(provider, 1, 40, 48, 128, 0.1, 300, 8, 3);
        double first = run.rows().get(0)[2], last = run.rows().get(run.rows().size() - 1)[2];
        assertTrue(last < 0.3 * first, "loss " + first + " → " + last);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sameSeedAndThreadsGiveBitIdenticalRuns(String provider) {
        for (int batch : new int[] {30, 7}) {
            Run a = train(provider, 2, 30, 9, 65, 0.1, 12, batch, 11);
            Run b = train(provider, 2, 30, 9, 65, 0.1, 12, batch, 11);
            for (int i = 0; i < a.rows().size(); i++) {
                assertArrayEquals(a.rows().get(i), b.rows().get(i), "row " + i);
            }
            assertArrayEquals(a.finalW(), b.finalW());
            Run c = train(provider, 2, 30, 9, 65, 0.1, 12, batch, 12);
            assertTrue(c.rows().get(0)[2] != a.rows().get(0)[2], "another seed gives another run");
        }
    }

    @Test
    void divergenceStopsTheRunAfterReportingIt() {
        List<double[]> rows = new ArrayList<>();
        SplittableRandom root = new SplittableRandom(5);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(20, 5, root.split())) {
            var cfg = new TwoLayerNetwork.Config(5, 32, 20, 1.0, true, LossKind.SUM, true);
            try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, root.split());
                    Trainer t = new Trainer(k, net, data, new TrainSettings(1e4, 500, 20, 1, 1))) {
                DivergenceException e = assertThrows(DivergenceException.class, () -> t.run(r -> rows.add(r.values())));
                assertTrue(e.getMessage().contains("diverged at step"), e.getMessage());
                assertEquals(e.step(), (long) rows.get(rows.size() - 1)[0]);
                assertTrue(!Double.isFinite(rows.get(rows.size() - 1)[2]));
            }
        }
    }

    /**
     * A network whose weight-movement metric is reported non-finite from its third measurement on, while its loss
     * stays finite (as when overflowed weights kill every unit after them): a stand-in for such weights.
     */
    record OverflowingMetrics(TwoLayerNetwork net, int[] calls) implements widenet.model.Network {
        @Override
        public String kind() {
            return net.kind();
        }

        @Override
        public int inputDim() {
            return net.inputDim();
        }

        @Override
        public int outputDim() {
            return net.outputDim();
        }

        @Override
        public int capacity() {
            return net.capacity();
        }

        @Override
        public List<widenet.model.Parameter> parameters() {
            return net.parameters();
        }

        @Override
        public double forward(widenet.tensor.FloatMatrix x, widenet.tensor.FloatMatrix y) {
            return net.forward(x, y);
        }

        @Override
        public void backward() {
            net.backward();
        }

        @Override
        public widenet.tensor.FloatMatrix predictions() {
            return net.predictions();
        }

        @Override
        public void markInitialState() {
            net.markInitialState();
        }

        @Override
        public List<String> metricNames() {
            return net.metricNames();
        }

        @Override
        public void close() {
            net.close();
        }

        @Override
        public void measure(double[] out) {
            net.measure(out);
            if (++calls[0] >= 3) {
                out[net.metricNames().indexOf("w_dist_fro")] = Double.POSITIVE_INFINITY;
            }
        }
    }

    /** Weights that overflow while the loss stays finite end the run as a divergence, after the row that shows it. */
    @Test
    void overflowedWeightsWithAFiniteLossAreADivergence() {
        List<double[]> rows = new ArrayList<>();
        SplittableRandom root = new SplittableRandom(5);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(20, 5, root.split())) {
            var cfg = new TwoLayerNetwork.Config(5, 32, 20, 1.0, false, LossKind.SUM, true);
            try (OverflowingMetrics net =
                            new OverflowingMetrics(new TwoLayerNetwork(k, cfg, root.split()), new int[1]);
                    Trainer t = new Trainer(k, net, data, new TrainSettings(0.01, 50, 20, 1, 1))) {
                DivergenceException e = assertThrows(DivergenceException.class, () -> t.run(r -> rows.add(r.values())));
                assertTrue(
                        e.getMessage().contains("the weights overflowed float32 (w_dist_fro = Infinity)"),
                        e.getMessage());
                assertEquals(2, e.step());
                assertEquals(3, rows.size(), "rows 0, 1 and the one that shows it");
                assertTrue(Double.isFinite(rows.get(2)[2]), "the loss itself is finite");
            }
        }
    }

    /**
     * An early stop sees the loss of every full-batch step (rows only every 50 steps here) and ends the run at the
     * first step where it says so, with a metrics row there whose loss is the one an unstopped run has at that step,
     * bit for bit; the weights are W(k) of that step (no update after it).
     */
    @Test
    void earlyStopEndsTheRunAtItsStepWithARow() {
        Run full = train("scalar", 1, 20, 5, 32, 0.2, 40, 20, 8);
        double loss0 = full.rows().get(0)[2];
        int expected = -1;
        for (int i = 0; i < full.rows().size(); i++) {
            if (full.rows().get(i)[2] <= 0.3 * loss0) {
                expected = i; // rows are every step: row i is step i
                break;
            }
        }
        assertTrue(expected > 1 && expected < 40, "the target is reached in between: step " + expected);
        SplittableRandom root = new SplittableRandom(8);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(20, 5, root.split())) {
            var cfg = new TwoLayerNetwork.Config(5, 32, 20, 1.0, false, LossKind.SUM, true);
            try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, root.split());
                    Trainer t = new Trainer(k, net, data, new TrainSettings(0.2, 40, 20, 50, root.nextLong()))) {
                List<Long> asked = new ArrayList<>();
                List<double[]> rows = new ArrayList<>();
                long stopped = t.run(r -> rows.add(r.values()), Trainer.Boundary.NONE, (step, loss) -> {
                    asked.add(step);
                    return loss <= 0.3 * loss0;
                });
                assertEquals(expected, stopped);
                assertEquals(expected + 1, asked.size(), "asked at every step 0.." + expected);
                assertEquals(2, rows.size(), "rows at step 0 and at the stop");
                assertEquals(expected, (long) rows.get(1)[0]);
                assertEquals(
                        Double.doubleToRawLongBits(full.rows().get(expected)[2]),
                        Double.doubleToRawLongBits(rows.get(1)[2]));
                assertEquals(expected, t.stepsDone(), "no update after the stopping step");
            }
        }
    }

    /**
     * After warm-up a training step allocates nothing on the heap: measured with the thread's allocation counter
     * over many steps (full batch and mini-batch, which also reshuffles). The bound allows for a few stray objects
     * from the JIT or the measurement itself, not for a per-step allocation (which would be ≥ 16 bytes × steps).
     */
    @ParameterizedTest
    @MethodSource("providers")
    void trainingStepAllocatesNothing(String provider) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int batch : new int[] {48, 20}) {
            SplittableRandom root = new SplittableRandom(21);
            try (Kernels k = KernelProviders.open(provider, 2);
                    Dataset data = Dataset.unitSphere(48, 16, root.split())) {
                var cfg = new TwoLayerNetwork.Config(16, 64, 48, 1.0, true, LossKind.MEAN, true);
                try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, root.split());
                        Trainer t = new Trainer(k, net, data, new TrainSettings(0.01, 0, batch, 1, 9))) {
                    // Warm-up until C2 has compiled the kernels (interpreted or C1-compiled Vector API code boxes
                    // vectors): rounds of 1000 steps, at most 20. A real per-step allocation would not stop, and
                    // fails below.
                    for (int round = 0; round < 20; round++) {
                        long start = mx.getCurrentThreadAllocatedBytes();
                        for (int i = 0; i < 1000; i++) {
                            t.step();
                        }
                        if (mx.getCurrentThreadAllocatedBytes() - start < 2048) {
                            break;
                        }
                    }
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 2000; i++) {
                        t.step();
                    }
                    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                    assertTrue(
                            allocated < 2048,
                            provider + ", batch " + batch + ": 2000 steps allocated " + allocated + " bytes");
                }
            }
        }
    }
}
