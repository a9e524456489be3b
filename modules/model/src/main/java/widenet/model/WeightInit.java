package widenet.model;

import java.util.Locale;

/**
 * How one layer's weights W_l (n_{l−1}×n_l, fan_in = n_{l−1}, fan_out = n_l) are drawn, and whether the layer
 * carries an explicit forward factor s_l (the NTK parameterisation, Jacot et al. 2018). The initialisations of
 * Nguyen &amp; Mondelli (2020) and Nguyen (2021):
 *
 * <ul>
 *   <li>{@code lecun}: N(0, 1/fan_in), s_l = 1;</li>
 *   <li>{@code he}: N(0, 2/fan_in), s_l = 1;</li>
 *   <li>{@code xavier} (Glorot): N(0, 2/(fan_in + fan_out)), s_l = 1;</li>
 *   <li>{@code ntk[:c]}: N(0, 1) weights with s_l = √(c/fan_in) applied in the forward pass, c = 1 by default
 *       ({@code ntk:2} is He's scale). At initialisation s_l·W_l has LeCun's (He's) distribution, but the gradient
 *       with respect to the stored W_l carries s_l too, so gradient descent moves a different parameterisation;</li>
 *   <li>{@code standard[:v]}: N(0, v) weights, v = 1 by default, no factor: the literal standard-normal draw of
 *       the standard parameterisation;</li>
 *   <li>{@code zero}: W_l = 0 exactly, nothing drawn — e.g. Nguyen &amp; Mondelli's construction with W₂ = 0 (it
 *       needs an activation with σ′(0) &gt; 0, such as leaky ReLU: with plain ReLU and σ′(0) = 0 every gradient
 *       through the zero layer vanishes and it never moves).</li>
 * </ul>
 * Any of them scaled: {@code <init>*c} multiplies the drawn entries by c ≥ 0 (e.g. {@code lecun*0.1}: a small
 * layer; {@code lecun*0} is {@code zero}), the route to a small last layer of Nguyen (2021) in our reading.
 */
public record WeightInit(Kind kind, double parameter, double multiplier) {
    public enum Kind {
        LECUN,
        HE,
        XAVIER,
        NTK,
        STANDARD,
        ZERO
    }

    public static final WeightInit LECUN = new WeightInit(Kind.LECUN, Double.NaN);
    public static final WeightInit HE = new WeightInit(Kind.HE, Double.NaN);
    public static final WeightInit XAVIER = new WeightInit(Kind.XAVIER, Double.NaN);
    public static final WeightInit ZERO = new WeightInit(Kind.ZERO, Double.NaN);

    /** Unscaled (multiplier 1). */
    public WeightInit(Kind kind, double parameter) {
        this(kind, parameter, 1.0);
    }

    public WeightInit {
        if (!(multiplier >= 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("weight init scale must be non-negative and finite, got " + multiplier);
        }
        boolean takesParameter = kind == Kind.NTK || kind == Kind.STANDARD;
        if (takesParameter && (!(parameter > 0) || Double.isInfinite(parameter))) {
            throw new IllegalArgumentException("weight init " + kind.name().toLowerCase(Locale.ROOT)
                    + ": parameter must be positive and finite, got " + parameter);
        }
        if (!takesParameter) {
            parameter = Double.NaN;
        }
    }

    /** The NTK parameterisation with forward factor √(c/fan_in). */
    public static WeightInit ntk(double c) {
        return new WeightInit(Kind.NTK, c);
    }

    /** N(0, v) with no factor. */
    public static WeightInit standard(double variance) {
        return new WeightInit(Kind.STANDARD, variance);
    }

    /** Standard deviation of the drawn entries of a fan_in×fan_out weight (0: the layer starts at exactly 0). */
    public double std(int fanIn, int fanOut) {
        return multiplier
                * switch (kind) {
                    case LECUN -> Math.sqrt(1.0 / fanIn);
                    case HE -> Math.sqrt(2.0 / fanIn);
                    case XAVIER -> Math.sqrt(2.0 / (fanIn + fanOut));
                    case NTK -> 1.0;
                    case STANDARD -> Math.sqrt(parameter);
                    case ZERO -> 0.0;
                };
    }

    /** This initialisation with its entries multiplied by {@code c}. */
    public WeightInit scaled(double c) {
        return new WeightInit(kind, parameter, multiplier * c);
    }

    /** The forward factor s_l: √(c/fan_in) for the NTK parameterisation, 1 otherwise. */
    public double forwardScale(int fanIn) {
        return kind == Kind.NTK ? Math.sqrt(parameter / fanIn) : 1.0;
    }

    /**
     * Parses {@code lecun}, {@code he}, {@code xavier} (or {@code glorot}), {@code ntk[:c]}, {@code standard[:v]},
     * {@code zero}, each optionally followed by {@code *c}.
     */
    public static WeightInit parse(String spec) {
        String[] scaled = spec.trim().split("\\*", -1);
        if (scaled.length > 2) {
            throw new IllegalArgumentException("weight init '" + spec + "' has more than one '*' scale");
        }
        if (scaled.length == 2) {
            double c;
            try {
                c = Double.parseDouble(scaled[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight init '" + spec + "': the scale after '*' is not a number");
            }
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException(
                        "weight init '" + spec + "': the scale after '*' must be non-negative and finite");
            }
            return parse(scaled[0]).scaled(c);
        }
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
        String name = parts[0];
        boolean takesParameter = name.equals("ntk") || name.equals("standard");
        if (parts.length > (takesParameter ? 2 : 1)) {
            throw new IllegalArgumentException(
                    "weight init '" + spec + "' takes " + (takesParameter ? "at most one parameter" : "no parameter"));
        }
        double p;
        try {
            p = parts.length > 1 ? Double.parseDouble(parts[1]) : 1.0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("weight init '" + spec + "': parameter is not a number");
        }
        return switch (name) {
            case "lecun" -> LECUN;
            case "he", "kaiming" -> HE;
            case "xavier", "glorot" -> XAVIER;
            case "ntk" -> ntk(p);
            case "standard" -> standard(p);
            case "zero" -> ZERO;
            default ->
                throw new IllegalArgumentException(
                        "unknown weight init '" + spec
                                + "'; expected lecun, he, xavier, ntk[:c], standard[:v] or zero, optionally followed by *scale");
        };
    }

    /** The spec this init parses from. */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(Locale.ROOT);
        String base = Double.isNaN(parameter) ? name : name + ":" + parameter;
        return multiplier == 1.0 ? base : base + "*" + multiplier;
    }
}
