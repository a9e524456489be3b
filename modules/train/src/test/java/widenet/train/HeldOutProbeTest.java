package widenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/** {@link HeldOutProbe}: the test loss and error of the trained weights, without disturbing the training. */
class HeldOutProbeTest {

    /** ±1 labels: the sign of a random direction's projection, so a network can learn them. */
    static void signLabels(Dataset data, float[] direction) {
        for (int i = 0; i < data.n(); i++) {
            double s = 0;
            for (int j = 0; j < data.d(); j++) {
                s += direction[j] * data.x().get(i, j);
            }
            data.y().set(i, 0, s >= 0 ? 1f : -1f);
        }
    }

    static List<double[]> train(Kernels k, Network net, Dataset data, List<Probe> probes, long steps) {
        List<double[]> rows = new ArrayList<>();
        try (Trainer t = new Trainer(k, net, data, new TrainSettings(0.05, steps, data.n(), 5, 1), probes)) {
            t.run(r -> {
                double[] v = r.values();
                v[v.length - 1] = 0; // wall-clock columns
                v[v.length - 2] = 0;
                rows.add(v);
            });
        }
        return rows;
    }

    /**
     * The two-layer network, summed and mean loss: test_loss is the loss of the trained weights on the test set,
     * recomputed here in double from W and a (float rounding of d- and m-term sums: 1e-5 relative is ≫ that), and
     * test_error the fraction of sign disagreements; the training rows are bit for bit those of a run without it.
     */
    @Test
    void twoLayerTestLossAndErrorMatchTheWeights() {
        for (LossKind loss : LossKind.values()) {
            int n = 30, nt = 45, d = 6, m = 50;
            SplittableRandom rng = new SplittableRandom(17);
            float[] dir = new float[d];
            for (int j = 0; j < d; j++) {
                dir[j] = (float) rng.nextGaussian();
            }
            var cfg = new TwoLayerNetwork.Config(d, m, n, 1.0, false, loss, true);
            try (Kernels k = KernelProviders.open("scalar", 1);
                    Dataset train = Dataset.unitSphere(n, d, rng.split());
                    Dataset test = Dataset.unitSphere(nt, d, rng.split())) {
                signLabels(train, dir);
                signLabels(test, dir);
                long seed = rng.nextLong();
                List<double[]> plain, with;
                double[] last;
                try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, new SplittableRandom(seed))) {
                    plain = train(k, net, train, List.of(), 20);
                }
                try (TwoLayerNetwork net = new TwoLayerNetwork(k, cfg, new SplittableRandom(seed));
                        HeldOutProbe probe = new HeldOutProbe(
                                new TwoLayerNetwork(
                                        k,
                                        new TwoLayerNetwork.Config(d, m, nt, 1.0, false, loss, true),
                                        new SplittableRandom(0)),
                                test.x(),
                                test.y(),
                                1)) {
                    assertEquals(List.of("test_loss", "test_error"), probe.names());
                    with = train(k, net, train, List.of(probe), 20);
                    last = with.get(with.size() - 1);
                    // Recompute from the trained weights: f(x) = (1/√m) Σ_r a_r relu(w_rᵀx).
                    double sum = 0;
                    int wrong = 0;
                    for (int i = 0; i < nt; i++) {
                        double f = 0;
                        for (int r = 0; r < m; r++) {
                            double z = 0;
                            for (int j = 0; j < d; j++) {
                                z += (double) net.weights().get(r, j) * test.x().get(i, j);
                            }
                            f += net.outputWeights().get(r, 0) * Math.max(0, z);
                        }
                        f /= Math.sqrt(m);
                        sum += (f - test.y().get(i, 0)) * (f - test.y().get(i, 0));
                        wrong += f * test.y().get(i, 0) > 0 ? 0 : 1;
                    }
                    double expected = 0.5 * sum * (loss == LossKind.SUM ? 1 : 1.0 / nt);
                    int lossCol = with.get(0).length - 4, errCol = with.get(0).length - 3;
                    assertEquals(expected, last[lossCol], 1e-5 * expected, loss + ": test_loss");
                    assertEquals((double) wrong / nt, last[errCol], 0.0, loss + ": test_error");
                }
                assertEquals(plain.size(), with.size());
                for (int r = 0; r < plain.size(); r++) {
                    double[] a = plain.get(r), b = with.get(r);
                    assertArrayEquals(
                            java.util.Arrays.copyOf(a, a.length - 2),
                            java.util.Arrays.copyOfRange(b, 0, a.length - 2),
                            "row " + r + " trains as without a test set");
                }
            }
        }
    }

    /**
     * The implicit network: test_loss equals the training network's own loss on the test set evaluated after the
     * run (both solve the same equilibria to the solver tolerance, so they agree to ~1e-5 relative), and the
     * training trajectory is untouched (its warm starts are not disturbed). Real-valued labels: no test_error.
     */
    @Test
    void implicitTestLossIsTheTrainedNetworksLossOnTheTestSet() {
        int n = 20, d = 5, m = 40;
        SplittableRandom rng = new SplittableRandom(23);
        var cfg = ImplicitNetwork.Config.paper(d, m, n, ImplicitNetwork.PAPER_GAMMA, LossKind.SUM);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset train = Dataset.unitSphere(n, d, rng.split());
                Dataset test = Dataset.unitSphere(n, d, rng.split())) {
            long seed = rng.nextLong();
            List<double[]> plain, with;
            try (ImplicitNetwork net = new ImplicitNetwork(k, cfg, new SplittableRandom(seed))) {
                plain = train(k, net, train, List.of(), 15);
            }
            try (ImplicitNetwork net = new ImplicitNetwork(k, cfg, new SplittableRandom(seed));
                    HeldOutProbe probe = new HeldOutProbe(
                            new ImplicitNetwork(k, cfg, new SplittableRandom(0)), test.x(), test.y(), 1)) {
                assertEquals(List.of("test_loss"), probe.names());
                with = train(k, net, train, List.of(probe), 15);
                double expected = net.forward(test.x(), test.y());
                double got = with.get(with.size() - 1)[with.get(0).length - 3];
                assertEquals(expected, got, 1e-5 * expected, "test_loss");
            }
            for (int r = 0; r < plain.size(); r++) {
                double[] a = plain.get(r), b = with.get(r);
                assertArrayEquals(
                        java.util.Arrays.copyOf(a, a.length - 2),
                        java.util.Arrays.copyOfRange(b, 0, a.length - 2),
                        "row " + r);
            }
        }
    }

    @Test
    void mismatchedTestSetsAreRefused() {
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(4, 3);
                FloatMatrix y = FloatMatrix.allocate(5, 1);
                TwoLayerNetwork ev = new TwoLayerNetwork(
                        k,
                        new TwoLayerNetwork.Config(2, 4, 4, 1.0, false, LossKind.SUM, true),
                        new SplittableRandom(1))) {
            assertThrows(IllegalArgumentException.class, () -> new HeldOutProbe(ev, x, y, 1));
        }
    }
}
