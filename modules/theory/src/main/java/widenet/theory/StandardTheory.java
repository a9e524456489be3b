package widenet.theory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;
import widenet.train.Json;
import widenet.train.Probe;
import widenet.train.RunFolder;
import widenet.train.RunSpec;
import widenet.train.TheoryProvider;
import widenet.train.TrainSettings;

/**
 * The theory of each model beside its run: for the two-layer network H∞ with its bounds and λ_min(H(k))
 * ({@link TwoLayerTheoryRun}, {@code theory.json}); for deep networks the spectra, σ_min(F₁) and the feature Gram
 * ({@link DeepTheoryProbe}, run.json's {@code theory}); for the implicit network λ_min(ZZᵀ)
 * ({@link EquilibriumGramProbe}). Found by {@code widenet.train}'s runs as a service.
 */
public final class StandardTheory implements TheoryProvider {

    @Override
    public RunTheory open(Kernels k, RunSpec spec, Network net, Dataset data, TrainSettings s) {
        if (net instanceof DeepNetwork deep) {
            return spec.theory().off() ? null : deep(new DeepTheoryProbe(k, deep, spec.theory().cadence(0), s.steps(),
                    DeepTheoryProbe.DEFAULT_MAX_EIGEN_SIZE));
        }
        if (net instanceof ImplicitNetwork) {
            return spec.theory().off() ? null
                    : implicit(new EquilibriumGramProbe(k, data.n(), spec.theory().cadence(spec.model().defaultTheoryEvery())));
        }
        if (net instanceof TwoLayerNetwork t && spec.twoLayerTheory(data.n())) {
            return twoLayer(new TwoLayerTheoryRun(k, data, t.config(), s.learningRate(), s.batchSize() == data.n(),
                    spec.theory().cadence(10), TwoLayerTheory.DEFAULT_DELTA));
        }
        return null;
    }

    @Override
    public double initialKernelLambdaMax(Kernels k, Network net, Dataset data) {
        try {
            return InitialKernel.lambdaMax(k, net, data.x(), data.y());
        } catch (IllegalArgumentException e) {   // e.g. several outputs: a property of the settings the user chose
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

    private static RunTheory implicit(EquilibriumGramProbe probe) {
        return new RunTheory() {
            @Override
            public List<Probe> probes() {
                return List.of(probe);
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
            public List<String> startLines() {
                TwoLayerTheory t = theory.theory();
                return List.of(String.format("theory: λ₀ = %.4g, λ_max = %.4g (stable for η < %.4g), Du rate %.6f/step, measure %.4g (%.1f s)",
                        t.lambda0(), t.lambdaMax(), t.stabilityLimitEta(), t.duRate(),
                        (Double) theory.summary().get("generalisation_measure"), theory.seconds()));
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
