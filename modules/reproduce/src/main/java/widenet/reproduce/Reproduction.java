package widenet.reproduce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import widenet.train.DataSpec;
import widenet.train.InputException;
import widenet.train.ModelSpec;
import widenet.train.RunSpec;

/**
 * One paper experiment that {@code widenet reproduce NAME} runs: standard run folders (one per variant, written by
 * the {@code train} code path), then {@code theory.json}, {@code summary.md}, {@code reproduction.json} and
 * optional {@code series/*.csv} in the reproduction folder. Adding one is a class and a line in {@link #all()}.
 */
public abstract class Reproduction {
    /** The options of the reproductions on synthetic data (du2019, nguyen-mondelli2020, nguyen2021, gao2022). */
    static final Set<String> SYNTHETIC_DATA_OPTIONS =
            Set.of("--n", "--d", "--widths", "--steps", "--lr", "--seed", "--theory-every", "--every");

    private final String name;
    private final String paper;
    private final Set<String> options;

    /** {@code paper}: as cited in the summary; {@code options}: those of {@code widenet reproduce} it reads. */
    Reproduction(String name, String paper, Set<String> options) {
        this.name = name;
        this.paper = paper;
        this.options = options;
    }

    public final String name() {
        return name;
    }

    /** The paper, as cited in the summary. */
    public final String paper() {
        return paper;
    }

    /** The options of {@code widenet reproduce} (beyond the common ones) this reproduction reads. */
    public final Set<String> options() {
        return options;
    }

    /** Throws {@link InputException} (exit 2) before anything is written when the reproduction cannot run here. */
    public void checkRunnable(ReproductionOptions options) {}

    public abstract void run(ReproductionContext ctx) throws Exception;

    /** Every reproduction by name, in the order {@code --help} lists them. */
    public static Map<String, Supplier<Reproduction>> all() {
        Map<String, Supplier<Reproduction>> m = new LinkedHashMap<>();
        m.put(Du2019.NAME, Du2019::new);
        m.put(Arora2019.NAME, Arora2019::new);
        m.put(NguyenMondelli2020.NAME, NguyenMondelli2020::new);
        m.put(Nguyen2021.NAME, Nguyen2021::new);
        m.put(Gao2022.NAME, Gao2022::new);
        return m;
    }

    /**
     * A variant on n points of the unit sphere in d dimensions: {@code model} trained by full-batch GD at step size
     * {@code lr} for {@code steps} steps, a metrics row every {@code every}, the theory every {@code theoryEvery}.
     */
    static RunSpec onSphere(
            int n, int d, ModelSpec model, double lr, long steps, long every, long seed, long theoryEvery) {
        return new RunSpec(
                new DataSpec.Sphere(n, d),
                model,
                new RunSpec.Optimisation(lr, steps, null, every, "sum"),
                seed,
                null,
                new RunSpec.Theory("auto", theoryEvery),
                null,
                null,
                null);
    }

    /** Refuses a width list with a width ≤ 0, naming the option. */
    static void requirePositive(String option, List<Integer> widths) {
        for (int w : widths) {
            if (w <= 0) {
                throw new InputException(option + " must be positive, got " + w);
            }
        }
    }

    /** theory.json's {@code eta_rule}: the given --lr, or the reproduction's rule. */
    static String etaRule(Double lr, String rule) {
        return lr != null ? "η = " + lr + " (given)" : rule;
    }

    /** A JSON object with these keys and values, in this order (values may be null). */
    static Map<String, Object> entries(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(keysAndValues.length + " arguments: expected key, value pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
