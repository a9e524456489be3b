package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.model.WeightInit;
import widenet.train.Dataset;

/**
 * {@link EmpiricalKernel} for every model, through the gradient: for the summed loss ∇_θL = Σᵢ rᵢ ∂f(xᵢ)/∂θ = Jᵀr,
 * so rᵀKr = ‖∇_θL‖² over the trained parameters whatever the residual r (the models' gradients are checked against
 * finite differences in their own tests). A missing or mis-scaled term of K changes rᵀKr by O(1) relative. Float
 * rounding of the gradient entries is ≈ √(m + d)·ε ≈ 1e-6 relative (and the implicit network's fixed point 1e-7),
 * so 1e-4 relative is ≥ 50× the expected error.
 */
class EmpiricalKernelTest {

    private static void squaredGradientIdentity(Kernels k, Network net, Dataset data, String what) {
        int n = data.n();
        for (int trial = 0; trial < 2; trial++) {
            if (trial == 1) {
                SplittableRandom rng = new SplittableRandom(5);
                for (int i = 0; i < n; i++) {
                    data.y().set(i, 0, (float) (3 * rng.nextGaussian()));
                }
            }
            net.forward(data.x(), data.y());
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = (double) net.predictions().get(i, 0) - data.y().get(i, 0);
            }
            double[] kr = EmpiricalKernel.of(k, net, data.x());
            net.backward();
            double grad2 = 0;
            for (Parameter p : net.parameters()) {
                if (p.trainable()) {
                    for (int i = 0; i < p.gradient().rows(); i++) {
                        for (int j = 0; j < p.gradient().cols(); j++) {
                            grad2 += (double) p.gradient().get(i, j)
                                    * p.gradient().get(i, j);
                        }
                    }
                }
            }
            double rkr = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    rkr += r[i] * kr[i * n + j] * r[j];
                }
            }
            assertEquals(grad2, rkr, 1e-4 * grad2, "rᵀKr = ‖∇L‖² (" + what + ", trial " + trial + ")");
        }
    }

    @Test
    void twoLayerWithAndWithoutTheOutputLayer() {
        int n = 10, d = 5, m = 60;
        for (boolean trainA : new boolean[] {false, true}) {
            SplittableRandom rng = new SplittableRandom(trainA ? 3 : 4);
            try (Kernels k = KernelProviders.open("scalar", 1);
                    Dataset data = Dataset.unitSphere(n, d, rng.split());
                    TwoLayerNetwork net = new TwoLayerNetwork(
                            k, new TwoLayerNetwork.Config(d, m, n, 0.7, trainA, LossKind.SUM, true), rng.split())) {
                squaredGradientIdentity(k, net, data, "two-layer, a trained: " + trainA);
            }
        }
    }

    @Test
    void deepWithBiases() {
        int n = 8;
        var cfg = new DeepNetwork.Config(
                new int[] {5, 30, 20, 1},
                n,
                Activation.parse("relu", false),
                List.of(WeightInit.parse("he")),
                1.0,
                true,
                LossKind.SUM,
                new java.util.TreeSet<>());
        SplittableRandom rng = new SplittableRandom(8);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, 5, rng.split());
                DeepNetwork net = new DeepNetwork(k, cfg, rng.split())) {
            squaredGradientIdentity(k, net, data, "deep");
        }
    }

    @Test
    void implicitPapersNetworkAndTheEarlierVariant() {
        int n = 9, d = 6, m = 40;
        var paper = ImplicitTheoryProbeTest.paper(d, m, n, Set.of());
        var earlier = new ImplicitNetwork.Config(
                d,
                m,
                n,
                0.2,
                false,
                false,
                1.0,
                LossKind.SUM,
                Set.of("A"),
                new ImplicitNetwork.Solver(1e-7, 1000),
                false,
                1);
        for (ImplicitNetwork.Config cfg : List.of(paper, earlier)) {
            SplittableRandom rng = new SplittableRandom(cfg.outputSkip() ? 11 : 12);
            try (Kernels k = KernelProviders.open("scalar", 1);
                    Dataset data = Dataset.unitSphere(n, d, rng.split());
                    ImplicitNetwork net = new ImplicitNetwork(k, cfg, rng.split())) {
                squaredGradientIdentity(k, net, data, "implicit " + (cfg.outputSkip() ? "paper" : "earlier"));
            }
        }
    }
}
