package widenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import widenet.kernel.KernelProvider;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;

/** Gradient descent on the implicit network through the {@link Trainer}: convergence, stops, allocation. */
class ImplicitTrainingTest {

    static Stream<String> providers() {
        return KernelProviders.all().stream()
                .filter(KernelProvider::isAvailable)
                .map(KernelProvider::name);
    }

    static ImplicitNetwork.Config config(
            int d, int m, int n, double gamma, boolean phiRelu, boolean skip, boolean require) {
        return new ImplicitNetwork.Config(
                d, m, n, gamma, phiRelu, skip, 1.0, LossKind.SUM, Set.of(), ImplicitNetwork.Solver.DEFAULT, require, 5);
    }

    static List<double[]> train(
            String provider, ImplicitNetwork.Config cfg, int n, double lr, long steps, int batch, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        List<double[]> rows = new ArrayList<>();
        try (Kernels k = KernelProviders.open(provider, 2);
                Dataset data = Dataset.unitSphere(n, cfg.inputDim(), root.split());
                ImplicitNetwork net = new ImplicitNetwork(k, cfg, root.split());
                Trainer t = new Trainer(k, net, data, new TrainSettings(lr, steps, batch, 1, root.nextLong()))) {
            t.run(r -> {
                double[] v = r.values();
                v[v.length - 1] = 0; // wall-clock columns are not part of the result
                v[v.length - 2] = 0;
                rows.add(v);
            });
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("providers")
    void gradientDescentConvergesLinearlyWithAContractiveEquilibrium(String provider) {
        int n = 24, d = 8, m = 96;
        var cfg = config(d, m, n, 0.2, false, false, true);
        List<double[]> rows = train(provider, cfg, n, 0.025, 300, n, 1);
        // Columns: step, epoch, loss, rate, a_tilde_norm, fwd_iters, fwd_residual, bwd_iters, bwd_residual, A, B, u
        // dist…
        double first = rows.get(0)[2], last = rows.get(rows.size() - 1)[2];
        assertTrue(last < 1e-4 * first, "loss " + first + " → " + last);
        for (int i = 1; i < rows.size(); i++) {
            double[] r = rows.get(i);
            assertTrue(r[2] <= rows.get(i - 1)[2], "loss increased at step " + i);
            assertTrue(r[4] < 0.5, "‖Ã‖₂ stays near 2γ = 0.4: " + r[4]);
            assertTrue(r[6] <= ImplicitNetwork.Solver.DEFAULT.tol() && r[8] <= ImplicitNetwork.Solver.DEFAULT.tol());
            assertTrue(r[5] < rows.get(0)[5], "warm-started forward passes need fewer iterations than the cold first");
        }
        double[] end = rows.get(rows.size() - 1);
        assertTrue(end[9] > 0 && end[10] > 0 && end[11] > 0, "A, B, u moved");
    }

    @Test
    void aForwardPassThatCannotConvergeStopsTheRunAsADivergence() {
        int n = 10, d = 4, m = 24;
        var cfg = config(d, m, n, 2.5, false, false, false);
        List<double[]> rows = new ArrayList<>();
        DivergenceException e = assertThrows(DivergenceException.class, () -> {
            SplittableRandom root = new SplittableRandom(3);
            try (Kernels k = KernelProviders.open("scalar", 1);
                    Dataset data = Dataset.unitSphere(n, d, root.split());
                    ImplicitNetwork net = new ImplicitNetwork(k, cfg, root.split());
                    Trainer t = new Trainer(k, net, data, new TrainSettings(0.01, 10, n, 1, 1))) {
                t.run(r -> rows.add(r.values()));
            }
        });
        assertEquals(0, e.step());
        assertTrue(Double.isNaN(e.loss()));
        assertTrue(e.getMessage().startsWith("training stopped at step 0: forward fixed point"), e.getMessage());
        assertTrue(
                e.getMessage().contains("not a contraction; ‖Ã‖₂ was ")
                        && e.getMessage().contains("γ is too large, lower --gamma"),
                e.getMessage());
        assertTrue(rows.isEmpty(), "no row with a meaningless loss");
    }

    @Test
    void sameSeedGivesBitIdenticalRunsWithWarmStarts() {
        for (int batch : new int[] {16, 5}) {
            var cfg = config(6, 32, 16, 0.3, true, true, false);
            List<double[]> a = train("scalar", cfg, 16, 0.005, 8, batch, 4);
            List<double[]> b = train("scalar", cfg, 16, 0.005, 8, batch, 4);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), "batch " + batch + ", row " + i);
            }
        }
    }

    /**
     * After warm-up an implicit training step (both fixed-point solves, the gradients, the update) allocates nothing,
     * full-batch (warm starts) and mini-batch (cold starts, reshuffles), with the contraction check (power iteration)
     * every 5 steps. The bound allows for a few stray objects from the JIT or the measurement, not for a per-step
     * allocation (≥ 16 bytes × 1000 steps).
     */
    @ParameterizedTest
    @MethodSource("providers")
    void trainingStepAllocatesNothing(String provider) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int batch : new int[] {20, 7}) {
            SplittableRandom root = new SplittableRandom(21);
            var cfg = config(6, 24, 20, 0.2, true, true, true);
            try (Kernels k = KernelProviders.open(provider, 2);
                    Dataset data = Dataset.unitSphere(20, 6, root.split());
                    ImplicitNetwork net = new ImplicitNetwork(k, cfg, root.split());
                    Trainer t = new Trainer(k, net, data, new TrainSettings(1e-4, 0, batch, 1, 9))) {
                // Warm-up until the JIT has compiled the kernels (the Vector API allocates until C2 has them):
                // rounds of 1000 steps, at most 20. A real per-step allocation would not stop and fails below.
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
                for (int i = 0; i < 1000; i++) {
                    t.step();
                }
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                assertTrue(
                        allocated < 2048,
                        provider + ", batch " + batch + ": 1000 steps allocated " + allocated + " bytes");
            }
        }
    }
}
