package widenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.LossKind;
import widenet.model.WeightInit;

/** Gradient descent on {@link DeepNetwork}: convergence, determinism and a training step that allocates nothing. */
class DeepTrainingTest {

    static DeepNetwork.Config config(
            int[] widths, int capacity, String activation, boolean biases, Set<Integer> frozen) {
        return new DeepNetwork.Config(
                widths,
                capacity,
                Activation.parse(activation, false),
                List.of(WeightInit.LECUN),
                1.0,
                biases,
                LossKind.SUM,
                frozen);
    }

    static List<double[]> train(
            String provider,
            int threads,
            int[] widths,
            String activation,
            boolean biases,
            double lr,
            long steps,
            int batch,
            long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        int n = 24;
        try (Kernels k = KernelProviders.open(provider, threads);
                Dataset data = Dataset.unitSphere(n, widths[0], widths[widths.length - 1], root.split());
                DeepNetwork net = new DeepNetwork(k, config(widths, n, activation, biases, Set.of()), root.split());
                Trainer t = new Trainer(k, net, data, new TrainSettings(lr, steps, batch, 1, root.nextLong()))) {
            List<double[]> rows = new ArrayList<>();
            t.run(r -> {
                double[] v = r.values();
                v[v.length - 1] = 0; // wall-clock columns are not part of the result
                v[v.length - 2] = 0;
                rows.add(v);
            });
            return rows;
        }
    }

    /** The pyramid regime of Nguyen & Mondelli: n₁ ≥ N, then non-increasing; leaky ReLU; loss falls geometrically. */
    @ParameterizedTest
    @MethodSource("widenet.train.TrainerTest#providers")
    void pyramidDrivesTheLossToNearZero(String provider) {
        List<double[]> rows =
                train(provider, 2, new int[] {8, 48, 16, 8, 1}, "leaky-relu:0.1", false, 0.05, 300, 24, 1);
        double first = rows.get(0)[2], last = rows.get(rows.size() - 1)[2];
        assertTrue(last < 1e-3 * first, "loss " + first + " → " + last);
        double[] end = rows.get(rows.size() - 1);
        for (int c = 4; c < 8; c++) {
            assertTrue(end[c] > 0, "layer " + (c - 3) + " moved");
        }
    }

    @ParameterizedTest
    @MethodSource("widenet.train.TrainerTest#providers")
    void sameSeedAndThreadsGiveBitIdenticalRuns(String provider) {
        for (int batch : new int[] {24, 7}) {
            int[] widths = {6, 20, 9, 2};
            List<double[]> a = train(provider, 2, widths, "relu", true, 0.05, 10, batch, 4);
            List<double[]> b = train(provider, 2, widths, "relu", true, 0.05, 10, batch, 4);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), "row " + i);
            }
        }
    }

    /** Upper bound on the measuring rounds' time: bounds how long a real failure takes to report. */
    static final long WARM_UP_LIMIT_NANOS = 90_000_000_000L;

    /**
     * After warm-up a deep training step (every layer's forward GEMM, backward GEMMs, bias sums, update) allocates
     * nothing on the heap, full batch and mini-batch, with biases, a frozen layer and an output width (2) that is not
     * a multiple of the vector length. Measured with the thread's allocation counter over rounds of 2000 steps until
     * one allocates less than the bound (a few stray objects from the JIT or the measurement, not a per-step
     * allocation, which would be ≥ 16 bytes × 2000): interpreted and C1-compiled Vector API code boxes vectors, and
     * on a busy machine C2 may take many rounds to compile every path; code that keeps allocating once compiled fails
     * after the time limit.
     */
    @ParameterizedTest
    @MethodSource("widenet.train.TrainerTest#providers")
    void trainingStepAllocatesNothing(String provider) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int batch : new int[] {48, 20}) {
            SplittableRandom root = new SplittableRandom(21);
            try (Kernels k = KernelProviders.open(provider, 2);
                    Dataset data = Dataset.unitSphere(48, 16, 2, root.split());
                    DeepNetwork net = new DeepNetwork(
                            k, config(new int[] {16, 64, 32, 2}, 48, "leaky-relu:0.1", true, Set.of(2)), root.split());
                    Trainer t = new Trainer(k, net, data, new TrainSettings(0.01, 0, batch, 1, 9))) {
                for (int i = 0; i < 3000; i++) {
                    t.step();
                }
                long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
                long allocated;
                int rounds = 0;
                do {
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 2000; i++) {
                        t.step();
                    }
                    allocated = mx.getCurrentThreadAllocatedBytes() - before;
                    rounds++;
                } while (allocated >= 2048 && System.nanoTime() < deadline);
                assertTrue(
                        allocated < 2048,
                        provider + ", batch " + batch + ": 2000 steps allocated " + allocated + " bytes in the last of "
                                + rounds + " rounds");
            }
        }
    }
}
