package widenet.model;

import java.util.ArrayList;
import java.util.List;
import widenet.kernel.Activation;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/**
 * How far a {@link DeepNetwork} has moved from its initialisation, its metrics columns: each block for
 * l = 1..L, {@code w<l>_dist} = ‖W_l(k) − W_l(0)‖_F; {@code w<l>_dist_scaled} = the same divided by √n_l (the
 * per-layer movement (1/√m)‖W^(h)(k) − W^(h)(0)‖_F of Du et al. 2019b); {@code b<l>_dist} = ‖b_l(k) − b_l(0)‖
 * with biases; and for ReLU and leaky ReLU, for each hidden layer, {@code pattern_change<l>} = the fraction of the
 * n·n_l activation patterns 1{Z_l ≥ 0} that differ from those at k = 0 (NaN unless the last forward pass was on the
 * same rows as the initial one). Distances are of the stored parameters, i.e. without the NTK factor s_l.
 */
final class DeepMovement implements AutoCloseable {
    private final Kernels kernels;
    private final int depth; // L
    private final int[] n; // n₀..n_L
    private final FloatMatrix[] w, w0; // index 1..L, as in DeepNetwork
    private final FloatMatrix[] b, b0; // null without biases
    private final boolean countPatterns;
    private final List<String> names;
    private FloatMatrix[] derivative0; // σ′(Z_l) of the initial forward pass (relu-like activations)

    /** The movement of weights {@code w} (and biases {@code b}, or null), copies of W(0) allocated here. */
    DeepMovement(Kernels kernels, int[] n, FloatMatrix[] w, FloatMatrix[] b, Activation activation) {
        this.kernels = kernels;
        this.n = n;
        this.depth = n.length - 1;
        this.w = w;
        this.b = b;
        w0 = new FloatMatrix[depth + 1];
        b0 = b == null ? null : new FloatMatrix[depth + 1];
        for (int l = 1; l <= depth; l++) {
            w0[l] = FloatMatrix.allocate(n[l - 1], n[l]);
            if (b != null) {
                b0[l] = FloatMatrix.allocate(n[l], 1);
            }
        }
        Activation.Kind kind = activation.kind();
        countPatterns = kind == Activation.Kind.RELU || kind == Activation.Kind.LEAKY_RELU;
        List<String> c = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            c.add("w" + l + "_dist");
        }
        for (int l = 1; l <= depth; l++) {
            c.add("w" + l + "_dist_scaled");
        }
        if (b != null) {
            for (int l = 1; l <= depth; l++) {
                c.add("b" + l + "_dist");
            }
        }
        if (countPatterns) {
            for (int l = 1; l < depth; l++) {
                c.add("pattern_change" + l);
            }
        }
        names = List.copyOf(c);
    }

    List<String> names() {
        return names;
    }

    /**
     * Takes the current parameters as W(0), b(0), and the last forward pass's σ′(Z_l) ({@code derivative}, index
     * 1..L−1, of {@code rows} rows; null before any forward pass) as the initial activation patterns.
     */
    void markInitialState(FloatMatrix[] derivative, int rows) {
        for (int l = 1; l <= depth; l++) {
            w0[l].copyFrom(w[l]);
            if (b != null) {
                b0[l].copyFrom(b[l]);
            }
        }
        if (countPatterns && derivative != null) {
            DeepNetwork.closeAll(derivative0);
            derivative0 = new FloatMatrix[depth];
            for (int l = 1; l < depth; l++) {
                derivative0[l] = FloatMatrix.allocate(rows, n[l]);
                derivative0[l].copyFrom(derivative[l]);
            }
        }
    }

    /** The columns of {@link #names()} into {@code out}, the patterns compared with the last forward pass's. */
    void measure(FloatMatrix[] derivative, int rows, double[] out) {
        int at = 0;
        for (int l = 1; l <= depth; l++) {
            out[at++] = Math.sqrt(kernels.sumOfSquaredDifferences(w[l], w0[l]));
        }
        for (int l = 1; l <= depth; l++) {
            out[at] = out[l - 1] / Math.sqrt(n[l]);
            at++;
        }
        if (b != null) {
            for (int l = 1; l <= depth; l++) {
                out[at++] = Math.sqrt(kernels.sumOfSquaredDifferences(b[l], b0[l]));
            }
        }
        if (countPatterns) {
            boolean comparable =
                    depth > 1 && derivative != null && derivative0 != null && rows == derivative0[1].rows();
            for (int l = 1; l < depth; l++) {
                out[at++] = comparable
                        ? (double) kernels.countDifferent(derivative[l], derivative0[l]) / ((double) rows * n[l])
                        : Double.NaN;
            }
        }
    }

    @Override
    public void close() {
        DeepNetwork.closeAll(w0, b0, derivative0);
    }
}
