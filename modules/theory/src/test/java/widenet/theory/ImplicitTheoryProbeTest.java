package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;

class ImplicitTheoryProbeTest {

    static ImplicitNetwork.Config paper(int d, int m, int n, Set<String> frozen) {
        var p = ImplicitNetwork.Config.paper(d, m, n, ImplicitNetwork.PAPER_GAMMA, LossKind.SUM);
        return new ImplicitNetwork.Config(
                d,
                m,
                n,
                p.gamma(),
                true,
                p.phiScale(),
                true,
                p.outputInit(),
                1.0,
                LossKind.SUM,
                frozen,
                new ImplicitNetwork.Solver(1e-7, 1000),
                false,
                1);
    }

    /**
     * H = JJᵀ, checked through the gradient: for the summed loss ∇_θL = Σᵢ rᵢ ∂ŷᵢ/∂θ = Jᵀr, so rᵀHr = ‖∇_θL‖² over
     * the trained groups, whatever the residual r. The gradient is checked against finite differences in the model's
     * tests; a missing or wrongly scaled term of H (γ²/m, s², a Hadamard with the wrong Gram) changes rᵀHr by O(1)
     * relative. Both sides carry the fixed-point tolerance (1e-7) and float rounding (≈ 1e-6 relative in each
     * gradient entry), so 1e-4 relative is ≥ 50× the expected error.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "A", "W", "u,v", "A,u"})
    void theNtkContractedWithTheResidualIsTheSquaredGradient(String frozen) {
        int n = 9, d = 6, m = 40;
        SplittableRandom rng = new SplittableRandom(41 + frozen.hashCode());
        Set<String> f = frozen.isEmpty() ? Set.of() : Set.of(frozen.split(","));
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, rng.split());
                ImplicitNetwork net = new ImplicitNetwork(k, paper(d, m, n, f), rng.split());
                ImplicitTheoryProbe probe =
                        new ImplicitTheoryProbe(k, data.x(), data.y(), 0.1, LossKind.SUM, 1, 10, 0.1)) {
            for (int trial = 0; trial < 2; trial++) {
                if (trial == 1) { // a second residual: other labels
                    for (int i = 0; i < n; i++) {
                        data.y().set(i, 0, (float) (3 * rng.nextGaussian()));
                    }
                }
                net.forward(data.x(), data.y());
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
                double[] zz = FeatureGram.rows(net.equilibrium());
                double[] ff = FeatureGram.rows(net.features());
                double[] h = probe.ntk(net, zz, ff);
                double[] r = new double[n];
                for (int i = 0; i < n; i++) {
                    r[i] = (double) net.predictions().get(i, 0) - data.y().get(i, 0);
                }
                double rhr = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        rhr += r[i] * h[i * n + j] * r[j];
                        assertEquals(h[i * n + j], h[j * n + i], 1e-12 * Math.abs(h[i * n + j]) + 1e-15, "H symmetric");
                    }
                }
                assertEquals(grad2, rhr, 1e-4 * grad2, "rᵀHr = ‖∇L‖² (frozen: " + frozen + ")");
            }
        }
    }

    /**
     * λ₀ is λ_min of the arc-cosine kernel; G(0) = Φ(0)Φ(0)ᵀ = (1/m)Σ_r relu(Xw_r)relu(Xw_r)ᵀ concentrates on G∞:
     * each entry is a mean of m i.i.d. terms of variance ≤ E relu(z)⁴ = 3/2 (unit inputs), so within 5·√(1.5/m) of
     * G∞ (a failure has probability ~1e-6 per entry), and by Weyl λ_min(G(0)) is within ‖G(0) − G∞‖_F of λ₀. The
     * envelope starts at L(0) and shrinks by 1 − ηλ₀/2 per step; the conditions use constant 1.
     */
    @Test
    void gramsAtInitialisationAndTheSummary() {
        int n = 8, d = 5, m = 1000;
        SplittableRandom rng = new SplittableRandom(5);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, rng.split());
                ImplicitNetwork net = new ImplicitNetwork(k, paper(d, m, n, Set.of()), rng.split());
                ImplicitTheoryProbe probe =
                        new ImplicitTheoryProbe(k, data.x(), data.y(), 0.05, LossKind.SUM, 3, 7, 0.1)) {
            Gram gInf = InfiniteWidthGram.arcCosine(k, data.x());
            assertEquals(gInf.eigen(false).min(), probe.lambda0(), 1e-15);
            assertEquals(gInf.eigen(false).max(), probe.lambdaMax(), 1e-15);
            double loss = net.forward(data.x(), data.y());
            double[] out = new double[ImplicitTheoryProbe.NAMES.size()];
            int lz = 0, lg = 1, lh = 2, zz = 3, bound = 4;
            probe.measure(net, 0, out);
            double[] g0 = FeatureGram.rows(net.features());
            double tol = 5 * Math.sqrt(1.5 / m), fro2 = 0;
            for (int i = 0; i < n * n; i++) {
                assertEquals(gInf.get(i / n, i % n), g0[i], tol, "G(0) entry " + i);
                fro2 += Math.pow(g0[i] - gInf.get(i / n, i % n), 2);
            }
            assertEquals(probe.lambda0(), out[lz], 0, "the λ₀ column");
            assertEquals(probe.lambda0(), out[lg], Math.sqrt(fro2), "λ_min(G(0)) near λ₀ (Weyl)");
            assertTrue(
                    out[lh] >= out[lg] * (1 - 1e-9),
                    "H ⪰ ΦΦᵀ (the other terms are Gram matrices): " + out[lh] + " vs " + out[lg]);
            assertTrue(out[lh] >= out[zz] * (1 - 1e-9), "H ⪰ ZZᵀ: " + out[lh] + " vs " + out[zz]);
            assertEquals(loss, out[bound], 1e-6 * loss, "the envelope starts at L(0)");
            probe.measure(net, 2, out);
            assertTrue(
                    Double.isNaN(out[lg]) && Double.isNaN(out[lh]) && Double.isNaN(out[zz]),
                    "the Grams only every 3 steps");
            assertEquals(probe.lambda0(), out[lz], 0, "λ₀ on every row");
            assertEquals(loss * Math.pow(1 - 0.05 * probe.lambda0() / 2, 2), out[bound], 1e-6 * loss);
            probe.measure(net, 7, out);
            assertTrue(!Double.isNaN(out[lg]), "and at the last step");
            Map<String, Object> s = probe.summary();
            assertEquals(probe.lambda0(), s.get("lambda_0"));
            assertEquals(n * n / probe.lambda0() * Math.log(n / 0.1), (double) s.get("required_width_gd"), 1e-9);
            assertEquals(probe.lambda0() / (n * n), (double) s.get("step_bound"), 1e-15);
            assertEquals(Boolean.TRUE, s.get("lambda_min_G_above_half_lambda_0"));
            assertTrue(((Map<?, ?>) s.get("init")).containsKey("lambda_min_H"));
        }
    }

    /**
     * The empirical NTK at initialisation against its infinite-width limit to leading order in γ
     * ({@link ImplicitInfiniteWidth}): the sampling error of each of the four terms is O(1/√m) relative (≈ 0.03 at
     * m = 1000) and the neglected terms are O(γ) = 0.1 relative at most, so 0.15 relative (Frobenius) passes the
     * right formula and fails a missing term (each is ≥ 25 % of the whole) or a wrong factor 2.
     */
    @Test
    void theEmpiricalNtkAtInitialisationApproachesTheInfiniteWidthFormula() {
        int n = 10, d = 6, m = 1000;
        SplittableRandom rng = new SplittableRandom(9);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, rng.split());
                ImplicitNetwork net = new ImplicitNetwork(k, paper(d, m, n, Set.of()), rng.split());
                ImplicitTheoryProbe probe =
                        new ImplicitTheoryProbe(k, data.x(), data.y(), 0.1, LossKind.SUM, 1, 1, 0.1)) {
            net.forward(data.x(), data.y());
            double[] h = probe.ntk(net, FeatureGram.rows(net.equilibrium()), FeatureGram.rows(net.features()));
            Gram limit = ImplicitInfiniteWidth.ntk(k, data.x(), ImplicitNetwork.PAPER_GAMMA);
            double diff2 = 0, norm2 = 0;
            for (int i = 0; i < n * n; i++) {
                diff2 += Math.pow(h[i] - limit.get(i / n, i % n), 2);
                norm2 += Math.pow(limit.get(i / n, i % n), 2);
            }
            assertTrue(Math.sqrt(diff2 / norm2) < 0.15, "relative distance " + Math.sqrt(diff2 / norm2));
            double lmax = SymmetricEigen.of(h, n, false).max();
            assertEquals(limit.eigen(false).max(), lmax, 0.15 * lmax, "λ_max(H(0)) sets the step");
        }
    }

    @Test
    void otherModelsAreRefused() {
        SplittableRandom rng = new SplittableRandom(6);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(4, 3, rng.split());
                TwoLayerNetwork net = new TwoLayerNetwork(
                        k, new TwoLayerNetwork.Config(3, 5, 4, 1.0, false, LossKind.SUM, true), rng.split());
                ImplicitTheoryProbe probe =
                        new ImplicitTheoryProbe(k, data.x(), data.y(), 0.1, LossKind.SUM, 1, 1, 0.1)) {
            net.forward(data.x(), data.y());
            assertThrows(IllegalArgumentException.class, () -> probe.measure(net, 0, new double[3]));
        }
    }
}
