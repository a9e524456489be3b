package widenet.model;

import java.util.List;
import widenet.tensor.FloatMatrix;

/**
 * A network trained by gradient descent on the square loss. Buffers are sized once for a maximum batch of
 * {@link #capacity()} rows; {@link #forward} and {@link #backward} allocate nothing on the heap after the first
 * call for a given batch size.
 *
 * <p>The training loop reads like the math: {@code loss = forward(X, Y); backward(); W −= η·∇W} for each
 * trainable {@link Parameter}. Model-specific quantities of the theory (weight movement, activation patterns…) are
 * reported by {@link #measure(double[])} for the state of the last forward pass on the full data set, compared
 * against the state captured by {@link #markInitialState()}.
 */
public interface Network extends AutoCloseable {

    /** The model's name on the command line, e.g. {@code two-layer}. */
    String kind();

    /** d: the input dimension. */
    int inputDim();

    /** k: the number of outputs (columns of Y). */
    int outputDim();

    /** The largest batch (rows of X) a forward pass takes. */
    int capacity();

    /** All weights, trainable or not, in a fixed order. */
    List<Parameter> parameters();

    /**
     * Forward pass on the rows of x (b×d) against labels y (b×k); returns the loss and keeps what
     * {@link #backward()} needs.
     */
    double forward(FloatMatrix x, FloatMatrix y);

    /** Gradients of the last forward pass's loss into every trainable parameter's gradient buffer. */
    void backward();

    /** The predictions of the last forward pass (b×k view). */
    FloatMatrix predictions();

    /**
     * The network's outputs f(x) for the rows of {@code x} (any number of rows, d columns) into {@code out}
     * (same rows, k columns), without labels: forward passes over at most {@link #capacity()} rows at a time.
     * They replace the state of the last forward pass, so call it between training steps, never between
     * {@link #forward} and {@link #backward}. Allocates one capacity×k label buffer per call (the loss against it
     * is ignored).
     */
    default void predict(FloatMatrix x, FloatMatrix out) {
        if (x.cols() != inputDim()) {
            throw new IllegalArgumentException(
                    "predict: X has " + x.cols() + " columns, the network's input dimension d is " + inputDim());
        }
        if (out.rows() != x.rows() || out.cols() != outputDim()) {
            throw new IllegalArgumentException(
                    "predict: out is " + out.shape() + ", expected " + x.rows() + "×" + outputDim());
        }
        if (x.rows() == 0) {
            return;
        }
        int batch = Math.min(capacity(), x.rows());
        try (FloatMatrix noLabels = FloatMatrix.allocate(batch, outputDim())) {
            for (int from = 0; from < x.rows(); from += batch) {
                int to = Math.min(x.rows(), from + batch);
                forward(x.rows(from, to), noLabels.rows(0, to - from));
                out.rows(from, to).copyFrom(predictions());
            }
        }
    }

    /** Remembers the current weights (and, if the last forward pass was on the full data, its activation state) as the initial state k = 0. */
    void markInitialState();

    /**
     * Buffers other than the {@link #parameters()} that influence later steps, e.g. the previous step's equilibrium
     * an implicit network warm-starts its fixed-point iteration from. A checkpoint saves their values and a resumed
     * run restores them, so that it continues bit for bit; a model with such state that does not list it here
     * resumes onto a different trajectory. {@link Parameter#gradient()} may be null and {@code trainable} is false.
     * Their values at construction must be what the original run had before its first forward pass (a function of
     * the settings, not of time or a global random source). None by default.
     *
     * <p>Called when a checkpoint is written (the values as of that call are saved; a model may pack scalar fields
     * into one of the buffers then) and when one is read; the names must not change over the run.
     */
    default List<Parameter> extraState() {
        return List.of();
    }

    /**
     * Called after a checkpoint's values were copied into the {@link #extraState()} buffers, e.g. to unpack scalar
     * fields from them. Throws {@link IllegalArgumentException} on values the model cannot have written.
     */
    default void extraStateLoaded() {}

    /** Names of the model-specific metrics, the columns {@link #measure} fills. */
    List<String> metricNames();

    /** Fills {@code out} (length {@code metricNames().size()}) for the last forward pass, against the initial state. */
    void measure(double[] out);

    /** Frees every buffer. */
    @Override
    void close();
}
