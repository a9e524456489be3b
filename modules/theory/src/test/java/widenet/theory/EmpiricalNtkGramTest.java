package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import widenet.kernel.KernelProvider;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;

class EmpiricalNtkGramTest {

    static Stream<String> providers() {
        return KernelProviders.all().stream()
                .filter(KernelProvider::isAvailable)
                .map(KernelProvider::name);
    }

    /**
     * H(k) from the GEMM path against the definition (1/m) Σ_r xᵢᵀxⱼ 1{w_rᵀxᵢ ≥ 0} 1{w_rᵀxⱼ ≥ 0} evaluated with an
     * explicit loop in double on the network's own mask. The count Σ_r SᵢᵣSⱼᵣ is exact in float (m &lt; 2²⁴); the
     * float GEMM xᵢᵀxⱼ carries ≈ √d·ε·‖xᵢ‖‖xⱼ‖ and the scaling and product two more roundings, so 4(√d + 2)·ε
     * bounds the error (unit-norm inputs). Using the wrong mask (e.g. 1{&gt;0} vs ≥ 0 makes no difference here, but
     * S instead of Sᵀ, or a missing 1/m) fails by orders of magnitude.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void gemmPathMatchesTheDefinition(String provider) {
        int n = 23, d = 9, m = 57;
        SplittableRandom rng = new SplittableRandom(8);
        try (Kernels k = KernelProviders.open(provider, 2);
                Dataset data = Dataset.unitSphere(n, d, rng.split());
                TwoLayerNetwork net = new TwoLayerNetwork(
                        k, new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, true), rng.split());
                EmpiricalNtkGram eg = new EmpiricalNtkGram(k, data.x())) {
            net.forward(data.x(), data.y());
            Gram h = eg.gram(net.activationMask());
            double tol = 4 * (Math.sqrt(d) + 2) * Math.ulp(1f);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double xx = 0;
                    for (int c = 0; c < d; c++) {
                        xx += (double) data.x().get(i, c) * data.x().get(j, c);
                    }
                    int both = 0;
                    for (int r = 0; r < m; r++) {
                        double zi = 0, zj = 0;
                        for (int c = 0; c < d; c++) {
                            zi += (double) net.weights().get(r, c) * data.x().get(i, c);
                            zj += (double) net.weights().get(r, c) * data.x().get(j, c);
                        }
                        // The network's mask is the float pre-activation's sign; read it to avoid ties at 0 differing.
                        if (net.activationMask().get(i, r) == 1f
                                && net.activationMask().get(j, r) == 1f) {
                            both++;
                        }
                        assertEquals(
                                zi >= 0 ? 1f : 0f, net.activationMask().get(i, r), Math.abs(zi) < 1e-5 ? 1 : 0, "mask");
                    }
                    assertEquals(xx * both / m, h.get(i, j), tol, "H[" + i + "," + j + "]");
                }
            }
        }
    }
}
