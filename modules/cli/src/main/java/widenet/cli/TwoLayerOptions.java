package widenet.cli;

import java.util.List;
import picocli.CommandLine.Option;
import widenet.train.ModelSpec;

/** The options of {@code --model two-layer} (Du et al. 2019) beyond the width. */
final class TwoLayerOptions {
    /** Options only this model takes. */
    static final List<String> OWN = List.of("--kappa", "--train-output-layer");

    @Option(
            names = "--kappa",
            description = "Initial weights w_r(0) ~ N(0, κ²I) (default: ${DEFAULT-VALUE}).",
            defaultValue = "1.0")
    double kappa = 1.0;

    @Option(
            names = "--train-output-layer",
            description = "Also train the output weights a (fixed by default, as in the paper).")
    boolean trainOutputLayer;

    ModelSpec.TwoLayer spec(int width, Integer reluGradAtZero) {
        return new ModelSpec.TwoLayer(width, kappa, trainOutputLayer, reluGradAtZero == null ? 1 : reluGradAtZero);
    }
}
