package widenet.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;
import widenet.train.ModelSpec;

/** The options of {@code --model implicit} (Gao et al. 2022) beyond the width. */
final class ImplicitOptions {
    /** Options only this model takes. */
    static final List<String> OWN = List.of("--gamma", "--tol", "--max-iter", "--phi-relu", "--output-skip",
            "--output-init-std", "--require-contraction");

    @Option(names = "--gamma", description = "implicit: Ã = (γ/√m)·A; ‖Ã‖₂ ≈ 2γ at init (default: ${DEFAULT-VALUE}).", defaultValue = "0.2")
    double gamma = 0.2;

    @Option(names = "--tol", description = "implicit: fixed points stop at ‖Δ‖_F ≤ tol·‖·‖_F (default: ${DEFAULT-VALUE}).", defaultValue = "1e-6")
    double tol = 1e-6;

    @Option(names = "--max-iter", description = "implicit: fixed-point iteration budget; exceeding it stops the run (default: ${DEFAULT-VALUE}).", defaultValue = "500")
    int maxIter = 500;

    @Option(names = "--phi-relu", description = "implicit: input injection φ(x) = relu(Bx/√d) instead of Bx/√d.")
    boolean phiRelu;

    @Option(names = "--output-skip", description = "implicit: output ŷ = uᵀz* + vᵀφ(x) (trains v too).")
    boolean outputSkip;

    @Option(names = "--output-init-std", description = "implicit: u, v ~ N(0, s²) at init; 1 draws every weight N(0, 1) (default: ${DEFAULT-VALUE}).", defaultValue = "1.0")
    double outputInitStd = 1.0;

    @Option(names = "--require-contraction", description = "implicit: stop unless ‖Ã‖₂ < 1 (checked at init and every --theory-every steps).")
    boolean requireContraction;

    ModelSpec.Implicit spec(int width, String freeze) {
        List<String> frozen = freeze == null || freeze.isBlank() ? List.of() : Arrays.stream(freeze.split(",")).map(String::trim).toList();
        return new ModelSpec.Implicit(width, gamma, tol, maxIter, phiRelu, outputSkip, outputInitStd, requireContraction, frozen);
    }
}
