package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R064Store;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.Gaussian;
import widenet.model.LossKind;
import widenet.model.WeightInit;
import widenet.tensor.FloatMatrix;

/**
 * {@link DeepTheoryProbe}'s columns against singular values computed another way: ojAlgo's SVD of the matrix itself
 * (not of its Gram), in double. The Gram route squares the condition number, so it agrees to ≈ ε_double·σ_max²/σ;
 * the tolerance 1e-9·σ_max covers it for these small, well-conditioned matrices.
 */
class DeepTheoryProbeTest {

    static double[] svd(FloatMatrix a, double s) {
        R064Store m = R064Store.FACTORY.make(a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m.set(i, j, s * a.get(i, j));
            }
        }
        SingularValue<Double> d = SingularValue.R064.make(m);
        assertTrue(d.computeValuesOnly(m));
        double[] v = new double[Math.min(a.rows(), a.cols())];
        d.getSingularValues(v);
        Arrays.sort(v);
        return v;
    }

    static DeepNetwork network(Kernels k, int[] widths, int rows, String init, SplittableRandom rng) {
        var cfg = new DeepNetwork.Config(
                widths,
                rows,
                Activation.leakyRelu(0.1f, false),
                List.of(WeightInit.parse(init)),
                1.0,
                false,
                LossKind.SUM,
                Set.of());
        return new DeepNetwork(k, cfg, rng);
    }

    @Test
    void columnsAreTheSingularValuesOfWeightsAndFeatures() {
        int rows = 12;
        SplittableRandom rng = new SplittableRandom(3);
        for (int[] widths : new int[][] {{5, 20, 14, 1}, {5, 16, 8, 1}, {5, 9, 1}}) {
            try (Kernels k = KernelProviders.open("scalar", 1);
                    FloatMatrix x = FloatMatrix.allocate(rows, 5);
                    FloatMatrix y = FloatMatrix.allocate(rows, 1);
                    DeepNetwork net = network(k, widths, rows, "ntk:2", rng)) {
                Gaussian.fill(x, rng, 1.0);
                Gaussian.fill(y, rng, 1.0);
                net.forward(x, y);
                DeepTheoryProbe probe = new DeepTheoryProbe(k, net, 5, 10, 100);
                double[] out = new double[probe.names().size()];
                probe.measure(net, 0, out);
                int depth = net.depth();
                for (int l = 1; l <= depth; l++) {
                    double[] sv = svd(net.weight(l), net.layerScale(l));
                    double max = sv[sv.length - 1];
                    assertEquals(max, out[probe.names().indexOf("w" + l + "_norm2")], 1e-9 * max, "‖s W" + l + "‖₂");
                    assertEquals(
                            sv[0], out[probe.names().indexOf("w" + l + "_smin")], 1e-9 * max, "σ_min(s W" + l + ")");
                }
                double[] f1 = svd(net.features(1), 1);
                assertEquals(f1[0], out[probe.names().indexOf("f1_smin")], 1e-9 * f1[f1.length - 1], "σ_min(F1)");
                double[] fl = svd(net.features(depth - 1), 1);
                double flast = out[probe.names().indexOf("flast_gram_lmin")];
                if (widths[depth - 1] < rows) {
                    assertEquals(0.0, flast, "F_{L−1} has fewer columns than rows");
                } else {
                    assertEquals(
                            fl[0] * fl[0],
                            flast,
                            1e-9 * fl[fl.length - 1] * fl[fl.length - 1],
                            "λ_min(F_{L−1}F_{L−1}ᵀ)");
                    assertTrue(flast > 0);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> init = (Map<String, Object>) probe.summary().get("init");
                double ntkMin = (Double) init.get("ntk_lambda_min");
                assertTrue(ntkMin > 0 && ntkMin <= (Double) init.get("ntk_lambda_max"));
                assertTrue(probe.notes().isEmpty(), probe.notes().toString());
            }
        }
    }

    @Test
    void eigenproblemsAboveTheLimitAreSkippedWithANote() {
        int rows = 12;
        SplittableRandom rng = new SplittableRandom(4);
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(rows, 5);
                FloatMatrix y = FloatMatrix.allocate(rows, 1);
                DeepNetwork net = network(k, new int[] {5, 20, 14, 1}, rows, "lecun", rng)) {
            Gaussian.fill(x, rng, 1.0);
            net.forward(x, y);
            DeepTheoryProbe probe = new DeepTheoryProbe(k, net, Long.MAX_VALUE, 10, 10);
            double[] out = new double[probe.names().size()];
            probe.measure(net, 0, out);
            assertTrue(Double.isNaN(out[probe.names().indexOf("f1_smin")]), "12×12 > 10");
            assertTrue(Double.isNaN(out[probe.names().indexOf("w2_smin")]), "14×14 > 10");
            assertTrue(Double.isFinite(out[probe.names().indexOf("w1_smin")]), "5×5 fits");
            assertTrue(
                    probe.notes().stream().anyMatch(s -> s.contains("empirical NTK skipped")),
                    probe.notes().toString());
        }
    }
}
