package widenet.cli;

import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import widenet.train.InputException;
import widenet.train.ModelSpec;

/**
 * {@code --model} and the options of each model: those several models share (width, ReLU′(0), frozen parameters)
 * here, each model's own in its mixin. An option given for a model that does not take it is refused.
 */
final class ModelOptions {
    static final String TWO_LAYER = "two-layer", DEEP = "deep", IMPLICIT = "implicit";

    @Option(
            names = "--model",
            description = "Network: two-layer, deep or implicit (default: ${DEFAULT-VALUE}).",
            defaultValue = TWO_LAYER)
    String model = TWO_LAYER;

    @Option(
            names = {"--width", "--m"},
            description = "Width m of the hidden layer (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int width = 2000;

    @Mixin
    TwoLayerOptions twoLayer = new TwoLayerOptions();

    @Option(
            names = "--relu-grad-at-zero",
            description = "ReLU′(0): 1 or 0 (default: 1 for two-layer as in Du et al., 0 for deep as in Nguyen 2021).")
    Integer reluGradAtZero;

    @Mixin
    DeepOptions deep = new DeepOptions();

    @Option(
            names = "--freeze",
            description =
                    "Parameters gradient descent leaves fixed: deep: layers (1-based, comma list); implicit: names of A, W, u, v (e.g. A,W).")
    String freeze;

    @Mixin
    ImplicitOptions implicit = new ImplicitOptions();

    /** The options each model takes besides its own mixin's. */
    private static List<String> shared(String model) {
        return switch (model) {
            case TWO_LAYER -> List.of("--width", "--relu-grad-at-zero");
            case DEEP -> List.of("--relu-grad-at-zero", "--freeze");
            default -> List.of("--width", "--freeze");
        };
    }

    private static List<String> own(String model) {
        return switch (model) {
            case TWO_LAYER -> TwoLayerOptions.OWN;
            case DEEP -> DeepOptions.OWN;
            default -> ImplicitOptions.OWN;
        };
    }

    /** The model named by {@code kind} (default {@link #model}); {@code given} says which options were typed. */
    ModelSpec spec(String kind, Predicate<String> given) {
        if (!kind.equals(TWO_LAYER) && !kind.equals(DEEP) && !kind.equals(IMPLICIT)) {
            throw new InputException("unknown --model '" + kind + "'; available: two-layer, deep, implicit");
        }
        for (String other : List.of(TWO_LAYER, DEEP, IMPLICIT)) {
            for (String o : other.equals(kind) ? List.<String>of() : concat(own(other), shared(other))) {
                if (given.test(o) && !shared(kind).contains(o) && !own(kind).contains(o)) {
                    throw new InputException(o + " does not apply to --model " + kind
                            + (kind.equals(DEEP)
                                    ? " (deep networks take --widths d,n1,…,nL)"
                                    : " (it is an option of --model " + owner(o) + ")"));
                }
            }
        }
        return switch (kind) {
            case TWO_LAYER -> twoLayer.spec(width, reluGradAtZero);
            case DEEP -> deep.spec(freeze, reluGradAtZero);
            default -> implicit.spec(width, freeze);
        };
    }

    private static String owner(String option) {
        return DeepOptions.OWN.contains(option)
                ? DEEP
                : ImplicitOptions.OWN.contains(option)
                        ? IMPLICIT
                        : TwoLayerOptions.OWN.contains(option)
                                ? TWO_LAYER
                                : option.equals("--freeze") ? "deep or implicit" : "two-layer or deep";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new java.util.ArrayList<>(a);
        c.addAll(b);
        return c;
    }
}
