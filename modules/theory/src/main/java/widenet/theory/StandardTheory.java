package widenet.theory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.train.DataSpec;
import widenet.train.Dataset;
import widenet.train.InputException;
import widenet.train.Probe;
import widenet.train.RunFolder;
import widenet.train.RunSpec;
import widenet.train.TheoryProvider;
import widenet.train.TrainSettings;
import widenet.train.internal.Json;

/**
 * The theory of each model beside its run: for the two-layer network H∞ with its bounds and λ_min(H(k))
 * ({@link TwoLayerTheoryRun}, {@code theory.json}); for deep networks the spectra, σ_min(F₁) and the feature Gram
 * ({@link DeepTheoryProbe}, run.json's {@code theory}); for the implicit network Gao et al.'s λ₀, λ_min(G(k)),
 * λ_min(H(k)), the (1 − ηλ₀/2)^k envelope and the theorem's conditions ({@link ImplicitTheoryProbe},
 * {@code theory.json}). Found by {@code widenet.train}'s runs as a service.
 */
public final class StandardTheory implements TheoryProvider {
    /** For {@link java.util.ServiceLoader}: the theory holds nothing until a run opens it. */
    public StandardTheory() {}

    /**
     * The model's theory as {@link #open(Kernels, RunSpec, Network, Dataset, TrainSettings)}, and with it the
     * kernel-regime predictions ({@link KernelRegimeProbe}) of the training and, with {@code test}, the test loss
     * when {@link #kernelRegime} says they apply.
     */
    @Override
    public RunTheory open(Kernels k, RunSpec spec, Network net, Dataset data, Dataset test, TrainSettings s) {
        RunTheory base = open(k, spec, net, data, s);
        if (!kernelRegime(spec, data, test, s)) {
            return base;
        }
        KernelRegimeProbe probe = kernelRegimeProbe(k, spec, net, data, test, s);
        return withKernelRegime(base, probe);
    }

    /**
     * Whether a run gets the kernel-regime columns: theory not off, full-batch GD (the predictions describe it), one
     * output, in this process, and with {@code --theory auto} n + n_test ≤ {@link RunSpec.Theory#AUTO_MAX_N} (K(0)
     * on train ∪ test is (n + n_test)² doubles, formed in ≈ (n + n_test)²·m multiply-adds).
     */
    public static boolean kernelRegime(RunSpec spec, Dataset data, Dataset test, TrainSettings s) {
        int size = data.n() + (test == null ? 0 : test.n());
        return !spec.theory().off()
                && s.batchSize() == data.n()
                && data.k() == 1
                && spec.engine() instanceof widenet.train.EngineSpec.Local
                && (spec.theory().mode().equals("on") || size <= RunSpec.Theory.AUTO_MAX_N);
    }

    private static KernelRegimeProbe kernelRegimeProbe(
            Kernels k, RunSpec spec, Network net, Dataset data, Dataset test, TrainSettings s) {
        int size = data.n() + (test == null ? 0 : test.n());
        Network evaluator = spec.model().create(k, data, spec, size, new java.util.SplittableRandom(0));
        try (widenet.tensor.FloatMatrix all = widenet.tensor.FloatMatrix.allocate(size, data.d())) {
            all.rows(0, data.n()).copyFrom(data.x());
            if (test != null) {
                all.rows(data.n(), size).copyFrom(test.x());
            }
            InfiniteKernel inf = InfiniteKernel.of(k, net, all);
            return new KernelRegimeProbe(
                    k,
                    evaluator,
                    data.x(),
                    data.y(),
                    test == null ? null : test.x(),
                    test == null ? null : test.y(),
                    s.learningRate(),
                    widenet.model.LossKind.parse(spec.optimisation().loss()),
                    inf == null ? null : inf.values(),
                    inf == null ? null : inf.name());
        } catch (RuntimeException e) {
            evaluator.close();
            throw e;
        }
    }

    private static RunTheory withKernelRegime(RunTheory base, KernelRegimeProbe probe) {
        return new RunTheory() {
            @Override
            public List<Probe> probes() {
                List<Probe> p = new java.util.ArrayList<>(base == null ? List.of() : base.probes());
                p.add(probe);
                return p;
            }

            @Override
            public List<String> startLines() {
                return base == null ? List.of() : base.startLines();
            }

            @Override
            public List<String> warnings() {
                return base == null ? List.of() : base.warnings();
            }

            @Override
            public double setupSeconds() {
                return base == null ? 0 : base.setupSeconds();
            }

            @Override
            public void finish(RunFolder folder, Map<String, Object> run, Consumer<String> log) throws IOException {
                if (base != null) {
                    base.finish(folder, run, log);
                }
                run.put("kernel_regime", probe.summary());
            }

            @Override
            public void close() {
                try {
                    if (base != null) {
                        base.close();
                    }
                } finally {
                    probe.close();
                }
            }
        };
    }

    @Override
    public RunTheory open(Kernels k, RunSpec spec, Network net, Dataset data, TrainSettings s) {
        if (net instanceof DeepNetwork deep) {
            return spec.theory().off()
                    ? null
                    : deep(new DeepTheoryProbe(
                            k, deep, spec.theory().cadence(0), s.steps(), DeepTheoryProbe.DEFAULT_MAX_EIGEN_SIZE));
        }
        if (net instanceof ImplicitNetwork) {
            return spec.theory().off()
                    ? null
                    : implicit(new ImplicitTheoryProbe(
                            k,
                            data.x(),
                            data.y(),
                            s.learningRate(),
                            LossKind.parse(spec.optimisation().loss()),
                            spec.theory().cadence(spec.model().defaultTheoryEvery()),
                            s.steps(),
                            TwoLayerTheory.DEFAULT_DELTA));
        }
        if (net instanceof TwoLayerNetwork t && spec.twoLayerTheory(data.n())) {
            try {
                return twoLayer(new TwoLayerTheoryRun(
                        k,
                        data,
                        t.config(),
                        s.learningRate(),
                        s.batchSize() == data.n(),
                        spec.theory().cadence(10),
                        TwoLayerTheory.DEFAULT_DELTA));
            } catch (TwoLayerTheory.InputsOverflow e) {
                String inputs = spec.data() instanceof DataSpec.NpyFiles f ? f.x() : "the inputs";
                throw new InputException(
                        inputs + ": " + e.getMessage() + "; rescale the inputs (the theory assumes ‖xᵢ‖ = 1),"
                                + " or train without the theory columns: --theory off",
                        e);
            }
        }
        return null;
    }

    @Override
    public double initialKernelLambdaMax(Kernels k, Network net, Dataset data) {
        try {
            return InitialKernel.lambdaMax(k, net, data.x(), data.y());
        } catch (IllegalArgumentException e) { // e.g. several outputs: a property of the settings the user chose
            throw new widenet.train.InputException("--lr auto: " + e.getMessage(), e);
        }
    }

    private static RunTheory deep(DeepTheoryProbe probe) {
        return new RunTheory() {
            @Override
            public List<Probe> probes() {
                return List.of(probe);
            }

            @Override
            public void finish(RunFolder folder, Map<String, Object> run, Consumer<String> log) {
                run.put("theory", probe.summary());
                for (String note : probe.notes()) {
                    log.accept("note: " + note);
                }
            }
        };
    }

    private static RunTheory implicit(ImplicitTheoryProbe probe) {
        return new RunTheory() {
            @Override
            public List<Probe> probes() {
                return List.of(probe);
            }

            @Override
            public List<String> startLines() {
                return List.of(String.format(
                        java.util.Locale.ROOT,
                        "theory: λ₀ = λ_min(G∞) = %.4g, λ_max(G∞) = %.4g, predicted rate 1 − ηλ₀/2 = %.6f/step; the theorem's step bound"
                                + " λ₀/n² = %.3g, width bound (n²/λ₀)·log(n/δ) = %.3g (constants 1) (%.1f s)",
                        probe.lambda0(),
                        probe.lambdaMax(),
                        probe.predictedRate(),
                        probe.stepBound(),
                        probe.requiredWidthGd(),
                        probe.setupSeconds()));
            }

            @Override
            public double setupSeconds() {
                return probe.setupSeconds();
            }

            @Override
            public void finish(RunFolder folder, Map<String, Object> run, Consumer<String> log) throws IOException {
                Json.write(folder.resolve("theory.json"), probe.summary());
            }

            @Override
            public void close() {
                probe.close();
            }
        };
    }

    private static RunTheory twoLayer(TwoLayerTheoryRun theory) {
        return new RunTheory() {
            @Override
            public List<Probe> probes() {
                return theory.probes();
            }

            @Override
            public List<String> warnings() {
                String w = theory.theory().singularWarning();
                return w == null ? List.of() : List.of(w);
            }

            @Override
            public List<String> startLines() {
                TwoLayerTheory t = theory.theory();
                return List.of(String.format(
                        "theory: λ₀ = %.4g, λ_max = %.4g (stable for η < %.4g), Du rate %.6f/step, measure %.4g (%.1f s)",
                        t.lambda0(),
                        t.lambdaMax(),
                        t.stabilityLimitEta(),
                        t.duRate(),
                        (Double) theory.summary().get("generalisation_measure"),
                        theory.seconds()));
            }

            @Override
            public double setupSeconds() {
                return theory.seconds() - theory.probeSeconds();
            }

            @Override
            public void finish(RunFolder folder, Map<String, Object> run, Consumer<String> log) throws IOException {
                Json.write(folder.resolve("theory.json"), theory.summary());
            }

            @Override
            public void close() {
                theory.close();
            }
        };
    }
}
