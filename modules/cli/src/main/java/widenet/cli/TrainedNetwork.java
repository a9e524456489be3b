package widenet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import widenet.kernel.Activation;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.model.WeightInit;
import widenet.train.InputException;
import widenet.train.ModelSpec;
import widenet.train.internal.Checkpoint;
import widenet.train.internal.Checkpoints;
import widenet.train.internal.Json;
import widenet.train.internal.TrainingRun;

/**
 * A run folder's network, rebuilt for inference: the architecture from {@code run.json}'s {@code settings} (the
 * documented keys of the output format, not the command line), the weights from {@code final/} or from one of its
 * checkpoints. Only what the forward pass depends on is read; training-only settings get harmless values.
 */
final class TrainedNetwork {
    private static final Pattern STEP_DIR = Pattern.compile("step-([0-9]{1,19})");

    private TrainedNetwork() {}

    /**
     * The network of the run in {@code runDir} with batch capacity {@code capacity}: its final weights ({@code step}
     * null) or those of the checkpoint at {@code step}.
     */
    static Network open(Kernels k, Path runDir, Long step, int capacity) throws IOException {
        Path runJson = runDir.resolve(TrainingRun.RUN_JSON);
        if (!Files.isRegularFile(runJson)) {
            throw new InputException(
                    "--run " + runDir + ": no " + TrainingRun.RUN_JSON + " there (not a widenet run folder)");
        }
        Map<String, Object> run = Json.read(runJson);
        if (!(run.get("settings") instanceof Map<?, ?> raw)) {
            throw new InputException(runJson + " records no settings");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) raw;
        Network net = create(k, s, capacity, runJson);
        try {
            if (step == null) {
                Path dir = runDir.resolve("final");
                if (!Files.isDirectory(dir)) {
                    throw new InputException("--run " + runDir + ": no final/ weights (the run has not finished"
                            + checkpointHint(runDir) + ")");
                }
                widenet.train.Runs.loadParameters(net, dir);
            } else {
                Path dir = Checkpoints.folder(runDir).resolve(String.format("step-%012d", step));
                if (!Files.isDirectory(dir)) {
                    throw new InputException("--step " + step + ": " + runDir + " has no checkpoint at that step"
                            + checkpointHint(runDir));
                }
                Checkpoint c = Checkpoints.load(dir);
                c.load(net.parameters(), "params");
            }
            return net;
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The steps of the run's complete checkpoints, oldest first. */
    static List<Long> checkpointSteps(Path runDir) throws IOException {
        List<Long> steps = new ArrayList<>();
        Path dir = Checkpoints.folder(runDir);
        if (Files.isDirectory(dir)) {
            try (var list = Files.list(dir)) {
                for (Path p : list.sorted().toList()) {
                    Matcher m = STEP_DIR.matcher(p.getFileName().toString());
                    if (m.matches() && Files.isRegularFile(p.resolve(Checkpoints.MANIFEST))) {
                        steps.add(Long.parseLong(m.group(1)));
                    }
                }
            }
        }
        return steps;
    }

    private static String checkpointHint(Path runDir) throws IOException {
        List<Long> steps = checkpointSteps(runDir);
        return steps.isEmpty()
                ? "; it has no checkpoints either"
                : "; its checkpoints: --step "
                        + String.join(", ", steps.stream().map(String::valueOf).toList());
    }

    private static Network create(Kernels k, Map<String, Object> s, int capacity, Path source) {
        String model = string(s, "model", source);
        LossKind loss = LossKind.parse(string(s, "loss", source));
        SplittableRandom rng = new SplittableRandom(0); // every weight is overwritten from the run's files
        try {
            return switch (model) {
                case TwoLayerNetwork.KIND ->
                    new TwoLayerNetwork(
                            k,
                            new TwoLayerNetwork.Config(
                                    integer(s, "d", source),
                                    integer(s, "width", source),
                                    capacity,
                                    1.0,
                                    false,
                                    loss,
                                    true),
                            rng);
                case DeepNetwork.KIND -> {
                    int[] widths = list(s, "widths", source).stream()
                            .mapToInt(o -> ((Number) o).intValue())
                            .toArray();
                    List<WeightInit> inits = list(s, "weight_init", source).stream()
                            .map(o -> WeightInit.parse(o.toString()))
                            .toList();
                    Activation act = Activation.parse(string(s, "activation", source), false);
                    boolean biases = Boolean.TRUE.equals(s.get("biases"));
                    yield new DeepNetwork(
                            k, new DeepNetwork.Config(widths, capacity, act, inits, 1.0, biases, loss, Set.of()), rng);
                }
                case ImplicitNetwork.KIND -> {
                    if (!(s.get("implicit") instanceof Map<?, ?> im)) {
                        throw new InputException(source + ": an implicit run without its settings.implicit");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> i = (Map<String, Object>) im;
                    // φ's scale: recorded as "sqrt-m" or "sqrt-d" (earlier runs: "1/sqrt(m)", "1/sqrt(d)", or nothing:
                    // 1/√d)
                    String scale = String.valueOf(i.getOrDefault("phi_scale", ModelSpec.Implicit.SCALE_SQRT_D));
                    ImplicitNetwork.FeatureScale phiScale = switch (scale) {
                        case ModelSpec.Implicit.SCALE_SQRT_M, "1/sqrt(m)" -> ImplicitNetwork.FeatureScale.SQRT_M;
                        case ModelSpec.Implicit.SCALE_SQRT_D, "1/sqrt(d)" -> ImplicitNetwork.FeatureScale.SQRT_D;
                        default ->
                            throw new InputException(source + ": settings.implicit.phi_scale '" + scale
                                    + "' is neither " + ModelSpec.Implicit.SCALE_SQRT_M + " nor "
                                    + ModelSpec.Implicit.SCALE_SQRT_D);
                    };
                    // φ: recorded as "relu" or "linear" (earlier runs: the boolean phi_relu)
                    boolean phiRelu = i.containsKey("phi")
                            ? ModelSpec.Implicit.PHI_RELU.equals(i.get("phi"))
                            : Boolean.TRUE.equals(i.get("phi_relu"));
                    var cfg = new ImplicitNetwork.Config(
                            integer(s, "d", source),
                            integer(s, "width", source),
                            capacity,
                            number(i, "gamma", source),
                            phiRelu,
                            phiScale,
                            Boolean.TRUE.equals(i.get("output_skip")),
                            ImplicitNetwork.OutputInit.GAUSSIAN,
                            1.0,
                            loss,
                            Set.of(),
                            new ImplicitNetwork.Solver(number(i, "tol", source), integer(i, "max_iter", source)),
                            false,
                            1);
                    yield new ImplicitNetwork(k, cfg, rng);
                }
                default -> throw new InputException(source + ": unknown model '" + model + "'");
            };
        } catch (InputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InputException(source + ": " + e.getMessage(), e);
        }
    }

    private static Object value(Map<String, Object> s, String key, Path source) {
        Object v = s.get(key);
        if (v == null) {
            throw new InputException(source + ": settings." + key + " is missing");
        }
        return v;
    }

    private static String string(Map<String, Object> s, String key, Path source) {
        return value(s, key, source).toString();
    }

    private static double number(Map<String, Object> s, String key, Path source) {
        if (!(value(s, key, source) instanceof Number n)) {
            throw new InputException(source + ": settings." + key + " is not a number");
        }
        return n.doubleValue();
    }

    private static int integer(Map<String, Object> s, String key, Path source) {
        double v = number(s, key, source);
        if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
            throw new InputException(source + ": settings." + key + " = " + v + " is not a positive integer");
        }
        return (int) v;
    }

    private static List<?> list(Map<String, Object> s, String key, Path source) {
        if (!(value(s, key, source) instanceof List<?> l)) {
            throw new InputException(source + ": settings." + key + " is not a list");
        }
        return l;
    }
}
