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
        m.put(NguyenMondelli2020.NAME, NguyenMondelli2020::new);
        m.put(Nguyen2021.NAME, Nguyen2021::new);
        m.put(Gao2022.NAME, Gao2022::new);
        return m;
    }
}
