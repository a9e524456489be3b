package widenet.train;

import java.util.List;
import widenet.model.Network;

/**
 * Extra metric columns computed from the network's state when a metrics row is made, e.g. λ_min of the empirical
 * Gram matrix H(k) (the theory module) or feature-matrix singular values (deep networks). A probe may be expensive:
 * it runs only on rows whose step is a multiple of {@link #every()} (and on the first and last rows); its columns
 * are NaN elsewhere. The network's last forward pass is on the full data set when a probe runs.
 *
 * <p>Resumed runs ({@link TrainingRun}): a probe is called with step 0 once more on the restored initial state, so a
 * reference it takes at step 0 is restored; anything else it accumulates over the steps sees only the resumed part.
 */
public interface Probe {
    /** Column names, in the order {@link #measure} fills them. */
    List<String> names();

    /** Steps between measurements (1 = every row). */
    default long every() {
        return 1;
    }

    /** Fills {@code out} (length {@code names().size()}) for the network's current state at step {@code step}. */
    void measure(Network network, long step, double[] out);
}
