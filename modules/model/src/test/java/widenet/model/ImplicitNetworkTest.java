package widenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/** Fixed-point behaviour of {@link ImplicitNetwork}: warm starts, the well-posedness checks, the messages. */
class ImplicitNetworkTest {

    static ImplicitNetwork.Config config(
            int d, int m, int n, double gamma, ImplicitNetwork.Solver solver, boolean require, long every) {
        return new ImplicitNetwork.Config(
                d, m, n, gamma, false, false, 1.0, LossKind.SUM, Set.of(), solver, require, every);
    }

    record Data(FloatMatrix x, FloatMatrix y) implements AutoCloseable {
        static Data of(int n, int d, SplittableRandom rng) {
            FloatMatrix x = FloatMatrix.allocate(n, d), y = FloatMatrix.allocate(n, 1);
            ImplicitNetworkGradientTest.unitRows(x, rng);
            Gaussian.fill(y, rng, 1.0);
            return new Data(x, y);
        }

        @Override
        public void close() {
            x.close();
            y.close();
        }
    }

    @Test
    void spectralNormMatchesTheDoublePrecisionValue() {
        SplittableRandom rng = new SplittableRandom(3);
        int m = 40;
        try (Kernels k = KernelProviders.open("scalar", 1);
                Data data = Data.of(4, 3, rng);
                ImplicitNetwork net =
                        new ImplicitNetwork(k, config(3, m, 4, 0.25, ImplicitNetwork.Solver.DEFAULT, false, 1), rng)) {
            double exact = new ImplicitReference(net, data.x(), data.y()).spectralNorm();
            // 200 power iterations from a random start; repeated calls continue the same iteration.
            double first = net.spectralNorm();
            double later = first;
            for (int i = 0; i < 20; i++) {
                later = net.spectralNorm();
            }
            assertTrue(first <= exact * (1 + 1e-5), "a lower bound: " + first + " vs " + exact);
            assertEquals(exact, later, 1e-4 * exact, "converged after continued iteration");
            // ‖A‖₂ ≈ 2√m for a Gaussian A, so ‖Ã‖₂ ≈ 2γ (finite-m fluctuations of a few percent).
            assertEquals(0.5, exact, 0.1);
        }
    }

    @Test
    void warmStartReusesTheEquilibriumOfTheSameBatchOnly() {
        SplittableRandom rng = new SplittableRandom(8);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Data data = Data.of(6, 5, rng);
                Data other = Data.of(6, 5, rng);
                FloatMatrix copy = FloatMatrix.allocate(6, 5);
                ImplicitNetwork net = new ImplicitNetwork(
                        k, config(5, 24, 6, 0.3, new ImplicitNetwork.Solver(1e-6, 100), false, 1), rng)) {
            double l1 = net.forward(data.x(), data.y());
            int cold = net.forwardIterations();
            assertTrue(cold > 5, "cold start from relu(Φ): " + cold);
            double l2 = net.forward(data.x(), data.y());
            assertEquals(1, net.forwardIterations(), "same batch, same weights: already at the fixed point");
            assertEquals(l1, l2, 1e-5 * l1);
            copy.copyFrom(data.x());
            net.forward(copy, data.y());
            assertEquals(1, net.forwardIterations(), "equal inputs in another buffer count as the same batch");
            net.forward(other.x(), other.y());
            assertEquals(cold, net.forwardIterations(), 2, "another batch starts cold");
        }
    }

    @Test
    void aTooSmallIterationBudgetStopsWithTheResidualAndAHint() {
        SplittableRandom rng = new SplittableRandom(9);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Data data = Data.of(6, 5, rng);
                ImplicitNetwork net = new ImplicitNetwork(
                        k, config(5, 24, 6, 0.3, new ImplicitNetwork.Solver(1e-6, 3), false, 1), rng)) {
            FixedPointException e = assertThrows(FixedPointException.class, () -> net.forward(data.x(), data.y()));
            assertEquals(FixedPointException.Kind.FORWARD, e.kind());
            assertEquals(3, e.iterations());
            assertTrue(e.residual() > 1e-6 && Double.isFinite(e.residual()));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "forward fixed point z = relu(Ãz + φ) did not converge in 3 iterations: relative residual "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("> tol 1.0e-06"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("< 1, so the map contracts")
                            && e.getMessage().contains("raise --max-iter"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, net::backward, "no backward after a failed forward");
        }
    }

    @Test
    void aNonContractiveMapStopsTheForwardPassWithoutNaNs() {
        SplittableRandom rng = new SplittableRandom(10);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Data data = Data.of(6, 5, rng);
                ImplicitNetwork net = new ImplicitNetwork(
                        k, config(5, 32, 6, 3.0, new ImplicitNetwork.Solver(1e-6, 500), false, 1), rng)) {
            FixedPointException e = assertThrows(FixedPointException.class, () -> net.forward(data.x(), data.y()));
            assertEquals(FixedPointException.Kind.FORWARD, e.kind());
            assertTrue(e.spectralNorm() > 4, "‖Ã‖₂ ≈ 2γ = 6: " + e.spectralNorm());
            assertTrue(
                    e.getMessage().contains("≥ 1: the equilibrium map is not a contraction; ‖Ã‖₂ was ")
                            && e.getMessage()
                                    .contains(
                                            "at step 0 already (≈ 2γ for a Gaussian A): γ is too large, lower --gamma"),
                    e.getMessage());
            assertTrue(
                    e.iterations() < 500 && e.getMessage().contains("overflowed"),
                    "growth by ~‖DÃ‖ per iteration overflows early: " + e.getMessage());
        }
    }

    @Test
    void requiredContractionIsCheckedAtTheFirstPassAndEveryKSteps() {
        SplittableRandom rng = new SplittableRandom(11);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Data data = Data.of(6, 5, rng);
                ImplicitNetwork net =
                        new ImplicitNetwork(k, config(5, 32, 6, 0.8, ImplicitNetwork.Solver.DEFAULT, true, 3), rng);
                ImplicitNetwork fine =
                        new ImplicitNetwork(k, config(5, 32, 6, 0.3, ImplicitNetwork.Solver.DEFAULT, true, 3), rng)) {
            FixedPointException e = assertThrows(FixedPointException.class, () -> net.forward(data.x(), data.y()));
            assertEquals(FixedPointException.Kind.CONTRACTION, e.kind());
            assertTrue(e.spectralNorm() >= 1);
            assertTrue(
                    e.getMessage()
                            .matches(
                                    "‖Ã‖₂ = 1\\.\\d{4} ≥ 1 \\(over by \\d+\\.\\d\\d%\\) but the contraction is required.*lower --gamma \\(now 0\\.8\\).*"),
                    e.getMessage());

            // γ = 0.3: fine at first; then A is scaled to ‖Ã‖₂ = 1.1 between checks: the forward passes of steps 1
            // and 2 are not checked (and still converge, as relu halves the active units), the one of step 3 is.
            fine.forward(data.x(), data.y());
            double norm = fine.spectralNorm();
            k.scale((float) (1.1 / norm), ImplicitReference.param(fine, "A"));
            int failedAt = -1;
            for (int step = 1; step <= 4 && failedAt < 0; step++) {
                fine.backward();
                try {
                    fine.forward(data.x(), data.y());
                } catch (FixedPointException f) {
                    assertEquals(FixedPointException.Kind.CONTRACTION, f.kind(), f.getMessage());
                    assertEquals(1.1, f.spectralNorm(), 1e-3);
                    // The cause named is the growth of ‖Ã‖₂ since step 0 (a step-size problem), not γ.
                    assertTrue(
                            f.getMessage()
                                            .contains(String.format(
                                                    java.util.Locale.ROOT,
                                                    "γ is not the cause: ‖Ã‖₂ was %.4f at step 0 and gradient descent grew it",
                                                    norm))
                                    && f.getMessage().contains("lower --lr"),
                            f.getMessage());
                    failedAt = step;
                }
            }
            assertEquals(3, failedAt, "checked at the first pass after every 3 steps");
        }
    }

    @Test
    void frozenOutputAndInputWeightsSkipTheAdjoint() {
        SplittableRandom rng = new SplittableRandom(12);
        var cfg = new ImplicitNetwork.Config(
                5,
                16,
                6,
                0.3,
                false,
                false,
                1.0,
                LossKind.SUM,
                Set.of("A", "W"),
                ImplicitNetwork.Solver.DEFAULT,
                false,
                1);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Data data = Data.of(6, 5, rng);
                ImplicitNetwork net = new ImplicitNetwork(k, cfg, rng)) {
            net.forward(data.x(), data.y());
            net.backward();
            assertEquals(0, net.adjointIterations());
            double[] metrics = new double[net.metricNames().size()];
            net.markInitialState();
            net.measure(metrics);
            assertTrue(Double.isNaN(metrics[3]), "bwd_iters is NaN without an adjoint solve");
            assertFalse(net.parameters().get(0).trainable());
        }
    }

    @Test
    void configRejectsUnknownOrUnavailableFrozenNames() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ImplicitNetwork.Config(
                        3,
                        4,
                        2,
                        0.2,
                        false,
                        false,
                        1.0,
                        LossKind.SUM,
                        Set.of("v"),
                        ImplicitNetwork.Solver.DEFAULT,
                        false,
                        1));
        assertTrue(e.getMessage().contains("cannot freeze 'v'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImplicitNetwork.Solver(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ImplicitNetwork.Solver(1e-5, 0));
    }

    @Test
    void thePaperNetworkHasReluFeaturesScaledByOneOverRootMAndRademacherOutputWeights() {
        SplittableRandom rng = new SplittableRandom(14);
        int n = 6, d = 5, m = 400;
        var cfg = ImplicitNetwork.Config.paper(d, m, n, ImplicitNetwork.PAPER_GAMMA, LossKind.SUM);
        assertTrue(cfg.phiRelu() && cfg.outputSkip() && cfg.frozen().isEmpty());
        try (Kernels k = KernelProviders.open("scalar", 1);
                Data data = Data.of(n, d, rng);
                ImplicitNetwork net = new ImplicitNetwork(k, cfg, rng)) {
            assertEquals(
                    java.util.List.of("A", "W", "u", "v"),
                    net.parameters().stream().map(Parameter::name).toList());
            for (Parameter p : net.parameters()) {
                assertTrue(p.trainable(), p.name() + " is trained");
            }
            for (String name : new String[] {"u", "v"}) {
                FloatMatrix w = ImplicitReference.param(net, name);
                int plus = 0;
                for (int i = 0; i < m; i++) {
                    assertEquals(1f, Math.abs(w.get(i, 0)), name + " is ±1");
                    plus += w.get(i, 0) > 0 ? 1 : 0;
                }
                // Binomial(400, ½): mean 200, sd 10.
                assertTrue(Math.abs(plus - 200) < 50, name + ": " + plus + " of 400 positive");
            }
            double loss = net.forward(data.x(), data.y());
            ImplicitReference ref = new ImplicitReference(net, data.x(), data.y());
            assertEquals(ref.loss(), loss, 1e-4 * ref.loss(), "the float loss is the double-precision one");
            // E‖φ(x)‖² = (1/m) Σ_r E relu(w_rᵀx)² = ½ for a unit x whatever m (sd ≈ √(5/4m) ≈ 0.06 at m = 400).
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += ref.phi[i][j] * ref.phi[i][j];
                }
                assertEquals(0.5, s, 0.25, "‖φ(x" + i + ")‖²");
            }
            assertEquals(0.2, net.spectralNorm(), 0.03, "‖Ã(0)‖₂ ≈ 2γ = 0.2, the paper's Figure 1(c)");
        }
    }
}
