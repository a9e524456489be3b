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
 * ({@link DeepTheoryProbe}, run.json's {@code theory}); for the implicit network Gao et al.'s λ₀, λ_min(G(k)),
 * λ_min(H(k)), the (1 − ηλ₀/2)^k envelope and the theorem's conditions ({@link ImplicitTheoryProbe},
 * {@code theory.json}). Found by {@code widenet.train}'s runs as a service.
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
                    : implicit(new ImplicitTheoryProbe(k, data.x(), data.y(), s.learningRate(), LossKind.parse(spec.optimisation().loss()),
                            spec.theory().cadence(spec.model().defaultTheoryEvery()), s.steps(), TwoLayerTheory.DEFAULT_DELTA));
        }
        if (net instanceof TwoLayerNetwork t && spec.twoLayerTheory(data.n())) {
            return twoLayer(new TwoLayerTheoryRun(k, data, t.config(), s.learningRate(), s.batchSize() == data.n(),
                    spec.theory().cadence(10), TwoLayerTheory.DEFAULT_DELTA));
        }
        return null;
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
                return List.of(String.format(java.util.Locale.ROOT,
                        "theory: λ₀ = λ_min(G∞) = %.4g, λ_max(G∞) = %.4g, predicted rate 1 − ηλ₀/2 = %.6f/step; the theorem's step bound"
                                + " λ₀/n² = %.3g, width bound (n²/λ₀)·log(n/δ) = %.3g (constants 1) (%.1f s)",
                        probe.lambda0(), probe.lambdaMax(), probe.predictedRate(), probe.stepBound(), probe.requiredWidthGd(), probe.setupSeconds()));
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
