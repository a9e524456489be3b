package widenet.sweep;

import java.util.List;

/** A theorem's width requirement m ∝ n^exponent, drawn beside the measured exponent. */
public record Reference(String key, String label, double exponent) {
    /** The requirements of the theory this project follows (λ₀, δ and depth held fixed). */
    public static final List<Reference> THEOREMS = List.of(
            new Reference("du2019", "Du et al. 2019, two-layer ReLU: m = Ω(n⁶/(λ₀⁴δ³))", 6),
            new Reference("nguyen_mondelli2020", "Nguyen & Mondelli 2020, wide layer + pyramid, LeCun init: m ≈ n²", 2),
            new Reference("nguyen2021", "Nguyen 2021, deep ReLU, linear widths: m ≈ n", 1));
}
