package widenet.model;

import java.util.Locale;

/** The square loss as a sum, ½ Σᵢ ‖f(xᵢ) − yᵢ‖² (Du et al.), or as a mean, (1/2n) Σᵢ ‖f(xᵢ) − yᵢ‖². */
public enum LossKind {
    SUM,
    MEAN;

    /** The factor in front of ½ Σ for a batch of {@code n} samples. */
    public float factor(int n) {
        return this == SUM ? 1f : 1f / n;
    }

    public static LossKind parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "sum" -> SUM;
            case "mean" -> MEAN;
            default -> throw new widenet.files.InvalidInputException("unknown loss '" + s + "'; expected sum or mean");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
