package widenet.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-step metrics of an {@link ImplicitNetwork}, in the order {@link ImplicitNetwork#measure} writes them:
 * ‖Ã‖₂, the last forward and adjoint solves' iterations and residuals, then the distances of A, W, u (and v) from
 * their step-0 values.
 */
final class ImplicitMetrics {
    private static final List<String> METRICS = List.of(
            "a_tilde_norm",
            "fwd_iters",
            "fwd_residual",
            "bwd_iters",
            "bwd_residual",
            "A_dist_fro",
            "W_dist_fro",
            "u_dist");
    private static final List<String> METRICS_WITH_V;

    static {
        List<String> l = new ArrayList<>(METRICS);
        l.add("v_dist");
        METRICS_WITH_V = List.copyOf(l);
    }

    /** Index of the first distance ({@code A_dist_fro}) in the metrics. */
    static final int DISTANCES = 5;

    private ImplicitMetrics() {}

    /** The metric names, with {@code v_dist} when the network has the output skip. */
    static List<String> names(boolean outputSkip) {
        return outputSkip ? METRICS_WITH_V : METRICS;
    }

    /** Writes {@code fwd_iters} … {@code bwd_residual} (indices 1..4) from the last solves' counts. */
    static void solves(ImplicitSolveState state, double[] values) {
        values[1] = state.forwardIterations;
        values[2] = state.forwardResidual;
        values[3] = state.adjointIterations == 0 ? Double.NaN : state.adjointIterations;
        values[4] = state.adjointResidual;
    }
}
