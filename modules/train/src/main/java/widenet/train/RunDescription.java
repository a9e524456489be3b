package widenet.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.WeightInit;
import widenet.train.internal.CheckpointPolicy;

/**
 * The opening {@code run.json} of a run: {@code spec} (the {@link RunSpec} that made it, which checkpoints keep and
 * {@code --resume} and {@code widenet rerun} read back), {@code settings} (the same facts flattened for readers and
 * reports, with what the run derived: n, d, the batch, the thread count, the engine's choices), the data, kernels
 * and machine.
 */
final class RunDescription {
    private RunDescription() {}

    static Map<String, Object> of(
            RunSpec spec, Kernels k, Dataset data, Network net, TrainSettings s, Map<String, Object> engine) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("widenet_version", Runs.version());
        run.put("command", "train");
        run.put("spec", RunSpecJson.toMap(spec));
        run.put("settings", settings(spec, k, data, net, s, engine));
        run.put("data", data.description());
        run.put("kernels", k.description());
        run.put("java", Runtime.version().toString());
        run.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.vendor"));
        run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("started", Runs.now());
        return run;
    }

    private static Map<String, Object> settings(
            RunSpec spec, Kernels k, Dataset data, Network net, TrainSettings s, Map<String, Object> engine) {
        RunSpec.Optimisation o = spec.optimisation();
        RunSpec.Theory theory = spec.theory();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", spec.model().kind());
        settings.put("n", data.n());
        settings.put("d", data.d());
        if (net instanceof DeepNetwork deep) {
            DeepNetwork.Config c = deep.config();
            settings.put("widths", java.util.Arrays.stream(c.widths()).boxed().toList());
            settings.put("activation", c.activation().toString());
            settings.put(
                    "weight_init", c.inits().stream().map(WeightInit::toString).toList());
            settings.put("output_scale", c.outputScale());
            settings.put("biases", c.biases());
            settings.put("freeze", List.copyOf(c.frozen()));
            settings.put(
                    "theory_every",
                    theory.off()
                            ? "never"
                            : theory.every() == null || theory.every() == 0 ? "first and last step" : theory.every());
        } else {
            settings.put(
                    "width",
                    spec.model() instanceof ModelSpec.TwoLayer t
                            ? t.width()
                            : ((ModelSpec.Implicit) spec.model()).width());
        }
        settings.put("lr", o.lr());
        settings.put("steps", o.steps());
        settings.put("batch", s.batchSize());
        settings.put("every", o.every());
        settings.put("seed", spec.seed());
        if (spec.model() instanceof ModelSpec.TwoLayer t) {
            settings.put("kappa", t.kappa());
            settings.put("train_output_layer", t.trainOutputLayer());
        }
        settings.put("loss", LossKind.parse(o.loss()).toString());
        settings.put(
                "relu_grad_at_zero",
                switch (spec.model()) {
                    case ModelSpec.TwoLayer t -> t.reluGradAtZero();
                    case ModelSpec.Deep d -> d.reluGradAtZero();
                    case ModelSpec.Implicit i -> 1;
                });
        if (spec.model() instanceof ModelSpec.Implicit i) {
            Map<String, Object> implicit = new LinkedHashMap<>();
            implicit.put("gamma", i.gamma());
            implicit.put("tol", i.tol());
            implicit.put("max_iter", i.maxIter());
            implicit.put("network", i.isPaper() ? "Gao et al. 2022 (the paper's)" : "variant");
            implicit.put("phi", i.phi());
            implicit.put("phi_scale", i.phiScale());
            implicit.put("output_skip", i.outputSkip());
            implicit.put("output_init", i.outputInit());
            implicit.put("output_init_std", i.outputInitStd());
            implicit.put("require_contraction", i.requireContraction());
            implicit.put("freeze", i.freeze());
            implicit.put("theory_every", theory.every() == null ? 10 : theory.every());
            settings.put("implicit", implicit);
        }
        settings.put("kernels", k.provider());
        settings.put("threads", k.threads());
        settings.put("x", spec.data() instanceof DataSpec.NpyFiles f ? f.x() : null);
        settings.put("y", spec.data() instanceof DataSpec.NpyFiles f ? f.y() : null);
        settings.put("init", spec.init());
        settings.put("data_parallel", engine);
        settings.put("theory", spec.theoryEnabledSetting(data.n()));
        settings.putIfAbsent("theory_every", theory.every() == null ? 10 : theory.every());
        return settings;
    }

    /** The log line that says what is trained, how and where. */
    static String line(RunSpec spec, Dataset data, Network net, TrainSettings s, CheckpointPolicy policy, Path root) {
        return "data: " + data.description() + " · model: " + net.kind() + " d=" + net.inputDim()
                + (spec.model() instanceof ModelSpec.TwoLayer t ? " m=" + t.width() : "")
                + (spec.engine() instanceof EngineSpec.DataParallel dp
                        ? " · data-parallel on " + dp.engine() + " " + dp.master()
                        : "")
                + (net instanceof DeepNetwork dn
                        ? " widths=" + dn.config().widthsSpec() + " σ="
                                + dn.config().activation()
                        : "")
                + (net instanceof ImplicitNetwork t
                        ? " m=" + t.config().width() + " γ=" + ((ModelSpec.Implicit) spec.model()).gamma()
                        : "")
                + " · η=" + s.learningRate() + " · " + s.steps() + " steps"
                + (s.batchSize() < data.n() ? " · batch " + s.batchSize() : " · full batch")
                + " · checkpoints " + policy + " → " + root;
    }
}
