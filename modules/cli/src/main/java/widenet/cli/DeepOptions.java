package widenet.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;
import widenet.train.InputException;
import widenet.train.ModelSpec;

/** The options of {@code --model deep} (Nguyen &amp; Mondelli 2020, Nguyen 2021). */
final class DeepOptions {
    /** Options only this model takes. */
    static final List<String> OWN = List.of("--widths", "--activation", "--weight-init", "--output-scale", "--biases");

    @Option(
            names = "--widths",
            description = "Deep: widths d,n1,…,nL of every layer, input d first, outputs k last (e.g. 64,512,64,32,1).")
    String widths;

    @Option(
            names = "--activation",
            description =
                    "Deep: relu, leaky-relu[:α], smooth-leaky-relu[:α[:β]] or identity (default: ${DEFAULT-VALUE}).",
            defaultValue = "relu")
    String activation = "relu";

    @Option(
            names = "--weight-init",
            description =
                    "Deep: lecun, he, xavier, ntk[:c] or standard[:v]; one for all layers or a comma list, one per layer (default: ${DEFAULT-VALUE}).",
            defaultValue = "lecun")
    String weightInit = "lecun";

    @Option(
            names = "--output-scale",
            description = "Deep: multiply the output layer's initial draw by s, or 'zero' (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    String outputScale = "1";

    @Option(names = "--biases", description = "Deep: add a bias b_l to every layer (initially 0).")
    boolean biases;

    /** {@code --widths} as numbers (null when not given); a list that is not one is refused. */
    List<Integer> parsedWidths() {
        if (widths == null) {
            return null;
        }
        try {
            return Arrays.stream(widths.split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
        } catch (NumberFormatException e) {
            throw new InputException("--widths '" + widths + "' is not a comma-separated list of integers");
        }
    }

    ModelSpec.Deep spec(String freeze, Integer reluGradAtZero) {
        List<Integer> frozen = new ArrayList<>();
        if (freeze != null && !freeze.isBlank()) {
            for (String f : freeze.split(",")) {
                try {
                    frozen.add(Integer.parseInt(f.trim()));
                } catch (NumberFormatException e) {
                    throw new InputException(
                            "--freeze '" + freeze + "' is not a comma-separated list of layer numbers");
                }
            }
        }
        return new ModelSpec.Deep(
                parsedWidths(),
                activation,
                List.of(weightInit.split(",")),
                outputScale,
                biases,
                frozen,
                reluGradAtZero == null ? 0 : reluGradAtZero);
    }
}
