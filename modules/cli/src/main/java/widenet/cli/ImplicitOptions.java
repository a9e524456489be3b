package widenet.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;
import widenet.model.ImplicitNetwork;
import widenet.train.ModelSpec;

/**
 * The options of {@code --model implicit} (Gao et al. 2022) beyond the width. The defaults are the paper's network:
 * φ(x) = relu(Wx)/√m, ŷ = uᵀz* + vᵀφ(x), u and v Rademacher, A, W, u, v all trained, γ = 0.1. The earlier variant is
 * {@code --phi linear --phi-scale sqrt-d --no-output-skip --output-init gaussian} (with {@code --freeze u} as the
 * earlier reproduction ran it).
 */
final class ImplicitOptions {
    /** Options only this model takes. */
    static final List<String> OWN = List.of(
            "--gamma",
            "--tol",
            "--max-iter",
            "--phi",
            "--phi-scale",
            "--output-skip",
            "--output-init",
            "--output-init-std",
            "--require-contraction");

    @Option(
            names = "--gamma",
            description = "implicit: Ã = (γ/√m)·A; ‖Ã‖₂ ≈ 2γ at init. The default is the paper's: its theorems "
                    + "take γ ≤ min(½, 1/(4c)) with ‖A(0)‖₂ ≈ c√m, c ≈ 2 (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ImplicitNetwork.PAPER_GAMMA)
    double gamma = ImplicitNetwork.PAPER_GAMMA;

    @Option(
            names = "--tol",
            description = "implicit: fixed points stop at ‖Δ‖_F ≤ tol·‖·‖_F (default: ${DEFAULT-VALUE}).",
            defaultValue = "1e-6")
    double tol = 1e-6;

    @Option(
            names = "--max-iter",
            description =
                    "implicit: fixed-point iteration budget; exceeding it stops the run (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    int maxIter = 500;

    @Option(
            names = "--phi",
            paramLabel = "relu|linear",
            description = "implicit: input injection φ(x) = s·relu(Wx) (relu, the paper's) "
                    + "or s·Wx (linear, the earlier variant) (default: ${DEFAULT-VALUE}).",
            defaultValue = ModelSpec.Implicit.PHI_RELU)
    String phi = ModelSpec.Implicit.PHI_RELU;

    @Option(
            names = "--phi-scale",
            paramLabel = "sqrt-m|sqrt-d",
            description = "implicit: the factor s of φ: 1/√m (sqrt-m, the paper's) "
                    + "or 1/√d (sqrt-d, the earlier variant) (default: ${DEFAULT-VALUE}).",
            defaultValue = ModelSpec.Implicit.SCALE_SQRT_M)
    String phiScale = ModelSpec.Implicit.SCALE_SQRT_M;

    @Option(
            names = "--output-skip",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "implicit: ŷ = uᵀz* + vᵀφ(x), the paper's (default); --no-output-skip: ŷ = uᵀz* (the earlier variant).")
    boolean outputSkip = true;

    @Option(
            names = "--output-init",
            paramLabel = "rademacher|gaussian",
            description = "implicit: u, v drawn ±s (rademacher, the paper's) "
                    + "or N(0, s²) (gaussian, the earlier variant), s = --output-init-std (default: ${DEFAULT-VALUE}).",
            defaultValue = ModelSpec.Implicit.INIT_RADEMACHER)
    String outputInit = ModelSpec.Implicit.INIT_RADEMACHER;

    @Option(
            names = "--output-init-std",
            description = "implicit: the scale s of u, v at init (default: ${DEFAULT-VALUE}).",
            defaultValue = "1.0")
    double outputInitStd = 1.0;

    @Option(
            names = "--require-contraction",
            description = "implicit: stop unless ‖Ã‖₂ < 1 (checked at init and every --theory-every steps).")
    boolean requireContraction;

    ModelSpec.Implicit spec(int width, String freeze) {
        List<String> frozen = freeze == null || freeze.isBlank()
                ? List.of()
                : Arrays.stream(freeze.split(",")).map(String::trim).toList();
        return new ModelSpec.Implicit(
                width,
                gamma,
                tol,
                maxIter,
                phi,
                phiScale,
                outputSkip,
                outputInit,
                outputInitStd,
                requireContraction,
                frozen);
    }
}
