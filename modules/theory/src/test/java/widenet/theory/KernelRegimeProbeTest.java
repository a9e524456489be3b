package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;
import widenet.train.HeldOutProbe;
import widenet.train.Probe;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * {@link KernelRegimeProbe} and {@link HeldOutProbe} in the training loop: the predictions do not depend on how
 * often rows are written (the trajectory advances step by step between rows), and the loop with both probes on every
 * row allocates nothing once warm.
 */
class KernelRegimeProbeTest {
    static final int N = 20, NT = 12, D = 6, M = 32;

    private static TwoLayerNetwork.Config config(int capacity) {
        return new TwoLayerNetwork.Config(D, M, capacity, 1.0, false, LossKind.MEAN, true);
    }

    /** The probes' columns of every row of a run with a row every {@code every} steps. */
    private static List<double[]> run(long every, long steps, Trainer.Boundary boundary, boolean collect) {
        SplittableRandom root = new SplittableRandom(9);
        List<double[]> rows = new ArrayList<>();
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(N, D, root.split());
                Dataset test = Dataset.unitSphere(NT, D, root.split());
                TwoLayerNetwork net = new TwoLayerNetwork(k, config(N), root.split());
                HeldOutProbe held = new HeldOutProbe(
                        new TwoLayerNetwork(k, config(NT), new SplittableRandom(0)), test.x(), test.y(), 1)) {
            double[] inf;
            try (widenet.tensor.FloatMatrix all = widenet.tensor.FloatMatrix.allocate(N + NT, D)) {
                all.rows(0, N).copyFrom(data.x());
                all.rows(N, N + NT).copyFrom(test.x());
                inf = InfiniteKernel.of(k, net, all).values();
            }
            try (KernelRegimeProbe kernel = new KernelRegimeProbe(
                            k,
                            new TwoLayerNetwork(k, config(N + NT), new SplittableRandom(0)),
                            data.x(),
                            data.y(),
                            test.x(),
                            test.y(),
                            0.5,
                            LossKind.MEAN,
                            inf,
                            "H_inf");
                    Trainer t = new Trainer(
                            k, net, data, new TrainSettings(0.5, steps, N, every, 1), List.<Probe>of(held, kernel))) {
                // Gaussian test labels: no test_error
                assertEquals(
                        List.of(
                                "test_loss",
                                "pred_loss_ntk0",
                                "pred_test_loss_ntk0",
                                "pred_loss_inf",
                                "pred_test_loss_inf"),
                        t.columns().subList(8, 13));
                t.run(collect ? r -> rows.add(r.values()) : r -> {}, boundary);
            }
        }
        return rows;
    }

    @Test
    void predictionsDoNotDependOnTheRowCadence() {
        List<double[]> every = run(1, 30, Trainer.Boundary.NONE, true),
                sparse = run(7, 30, Trainer.Boundary.NONE, true);
        for (double[] row : sparse) {
            double[] same = every.get((int) row[0]);
            for (int c = 2; c < row.length - 2; c++) {
                if (c != 3) { // rate: since the previous row
                    assertEquals(same[c], row[c], 0.0, "step " + row[0] + " column " + c);
                }
            }
        }
    }

    /** Thread allocation counter between steps 200 and 600 of a run with a row (and both probes) every step. */
    @Test
    void theLoopWithBothProbesAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] bytes = new long[2];
        run(
                1,
                700,
                step -> {
                    if (step == 200) {
                        bytes[0] = mx.getCurrentThreadAllocatedBytes();
                    } else if (step == 600) {
                        bytes[1] = mx.getCurrentThreadAllocatedBytes();
                    }
                    return false;
                },
                false);
        long quiet = bytes[1] - bytes[0];
        assertTrue(quiet < 2048, "400 steps with a row each allocated " + quiet + " bytes");
    }
}
