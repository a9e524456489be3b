package widenet.train;

import java.util.List;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.FloatMatrix;

/**
 * Held-out evaluation on every metrics row: {@code test_loss}, the training loss's own definition on the test set
 * (½ Σᵢ (f(xᵢ) − yᵢ)² for the summed loss, ½·(1/n_test) Σᵢ for the mean), and, when every test label is −1 or +1
 * (one output), {@code test_error} = the fraction of test points with sign f(xᵢ) ≠ yᵢ (f = 0 counts as wrong).
 *
 * <p>The test predictions come from a second network of the same model and settings, sized for the test set (the
 * {@code evaluator}), into which the trained network's parameters are copied by name before each evaluation. The
 * trained network's own state (its last forward pass on the training data, which the other probes and its metrics
 * read, an implicit network's warm starts) is left untouched, so a run with a test set trains exactly as one
 * without. The evaluator warm-starts from its own previous evaluation (an implicit network's equilibrium).
 */
public final class HeldOutProbe implements Probe, AutoCloseable {
    public static final String LOSS = "test_loss";
    public static final String ERROR = "test_error";

    private final Network evaluator;
    private final FloatMatrix x, y;
    private final boolean signLabels;
    private final List<String> names;
    private final long every;

    /**
     * @param evaluator a network of the trained one's model and settings with capacity ≥ the test set's rows (this
     *                  probe closes it)
     * @param x, y      the test set (n_test×d, n_test×k), not owned
     * @param every     steps between evaluations (1: every metrics row)
     */
    public HeldOutProbe(Network evaluator, FloatMatrix x, FloatMatrix y, long every) {
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("test set: " + x.rows() + " inputs but " + y.rows() + " labels");
        }
        if (x.cols() != evaluator.inputDim() || y.cols() != evaluator.outputDim()) {
            throw new IllegalArgumentException("test set is " + x.cols() + "→" + y.cols() + ", the network maps "
                    + evaluator.inputDim() + "→" + evaluator.outputDim());
        }
        if (every < 1) {
            throw new IllegalArgumentException("probe cadence must be ≥ 1, got " + every);
        }
        this.evaluator = evaluator;
        this.x = x;
        this.y = y;
        this.every = every;
        this.signLabels = y.cols() == 1 && allSigns(y);
        this.names = signLabels ? List.of(LOSS, ERROR) : List.of(LOSS);
    }

    /** Whether every entry is exactly −1 or +1. */
    public static boolean allSigns(FloatMatrix y) {
        for (int i = 0; i < y.rows(); i++) {
            for (int j = 0; j < y.cols(); j++) {
                float v = y.get(i, j);
                if (v != 1f && v != -1f) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public long every() {
        return every;
    }

    @Override
    public void measure(Network network, long step, double[] out) {
        List<Parameter> from = network.parameters();
        List<Parameter> to = evaluator.parameters();
        if (from.size() != to.size()) {
            throw new IllegalStateException("evaluator has " + to.size() + " parameters, the network " + from.size());
        }
        for (int i = 0; i < from.size(); i++) {
            Parameter p = from.get(i), q = to.get(i);
            if (!p.name().equals(q.name())) {
                throw new IllegalStateException(
                        "evaluator parameter " + q.name() + " where the network has " + p.name());
            }
            q.value().copyFrom(p.value());
        }
        out[0] = evaluator.forward(x, y);
        if (signLabels) {
            FloatMatrix f = evaluator.predictions();
            int wrong = 0;
            for (int i = 0; i < x.rows(); i++) {
                float fi = f.get(i, 0);
                if (!(fi * y.get(i, 0) > 0)) {
                    wrong++;
                }
            }
            out[1] = (double) wrong / x.rows();
        }
    }

    @Override
    public void close() {
        evaluator.close();
    }
}
