package widenet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import widenet.train.InputException;

/**
 * One paper experiment that {@code widenet reproduce NAME} runs: standard run folders (one per variant, written by
 * the {@code train} code path), then {@code theory.json}, {@code summary.md}, {@code reproduction.json} and
 * optional {@code series/*.csv} in the reproduction folder. Adding one is a class and a line in {@link #all()}.
 */
interface Reproduction {
    String name();

    /** The paper, as cited in the summary. */
    String paper();

    /** The options of {@code widenet reproduce} (beyond the common ones) this reproduction reads. */
    Set<String> options();

    /** Throws {@link InputException} (exit 2) before anything is written when the reproduction cannot run here. */
    default void checkRunnable(ReproduceCommand options) {
    }

    void run(ReproductionContext ctx) throws Exception;

    /** Every reproduction by name, in the order {@code --help} lists them. */
    static Map<String, Supplier<Reproduction>> all() {
        Map<String, Supplier<Reproduction>> m = new LinkedHashMap<>();
        m.put(Du2019.NAME, Du2019::new);
        m.put(Arora2019.NAME, Arora2019::new);
        m.put("nguyen-mondelli2020", () -> needsModel("nguyen-mondelli2020",
                "Nguyen & Mondelli, Global convergence of deep networks with one wide layer followed by pyramidal topology (NeurIPS 2020)",
                "the deep pyramidal model"));
        m.put("nguyen2021", () -> needsModel("nguyen2021",
                "Nguyen, On the proof of global convergence of gradient descent for deep ReLU networks with linear widths (ICML 2021)",
                "the deep ReLU model"));
        m.put("gao2022", () -> needsModel("gao2022",
                "Gao, Liu, Liu, Rajan, Gao, A global convergence theory for deep ReLU implicit networks via over-parameterization (ICLR 2022)",
                "the implicit (equilibrium) model"));
        return m;
    }

    /**
     * A reproduction whose model is not in this build yet: it refuses to run with a clear message rather than
     * produce a half result. When the model lands, replace the entry in {@link #all()} with its class.
     */
    static Reproduction needsModel(String name, String paper, String model) {
        return new Reproduction() {
            @Override public String name() { return name; }
            @Override public String paper() { return paper; }
            @Override public Set<String> options() { return Set.of(); }

            @Override
            public void checkRunnable(ReproduceCommand options) {
                throw new InputException("reproduce " + name + " needs " + model + ", which is not yet available in this build");
            }

            @Override
            public void run(ReproductionContext ctx) {
                checkRunnable(null);
            }
        };
    }
}
