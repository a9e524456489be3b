package widenet.train.internal;

import java.util.List;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.FloatMatrix;

/**
 * A test model with state beyond its weights, like the implicit network's warm start: a scalar s that every forward
 * pass updates (s ← ½·s + ½·min(loss, 1)) and that scales the gradients (∇ ← (1 + s)·∇). A resumed run continues
 * bit for bit only if s is checkpointed, i.e. if {@link #extraState()} lists it; {@code declareState} false hides it,
 * to show the test would catch that.
 */
final class StatefulNetwork implements Network {
    private final Network inner;
    private final FloatMatrix s = FloatMatrix.allocate(1, 1);
    private final List<Parameter> state;

    StatefulNetwork(Network inner, boolean declareState) {
        this.inner = inner;
        this.state = declareState ? List.of(new Parameter("warm_start", s, null, false, false)) : List.of();
    }

    @Override
    public String kind() {
        return "stateful-" + inner.kind();
    }

    @Override
    public int inputDim() {
        return inner.inputDim();
    }

    @Override
    public int outputDim() {
        return inner.outputDim();
    }

    @Override
    public int capacity() {
        return inner.capacity();
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public List<Parameter> extraState() {
        return state;
    }

    @Override
    public FloatMatrix predictions() {
        return inner.predictions();
    }

    @Override
    public void markInitialState() {
        inner.markInitialState();
    }

    @Override
    public List<String> metricNames() {
        return inner.metricNames();
    }

    @Override
    public void measure(double[] out) {
        inner.measure(out);
    }

    @Override
    public double forward(FloatMatrix x, FloatMatrix y) {
        double loss = inner.forward(x, y);
        s.set(0, 0, (float) (0.5 * s.get(0, 0) + 0.5 * Math.min(loss, 1.0)));
        return loss;
    }

    @Override
    public void backward() {
        inner.backward();
        float f = 1 + s.get(0, 0);
        for (Parameter p : inner.parameters()) {
            if (p.trainable()) {
                FloatMatrix g = p.gradient();
                for (int i = 0; i < g.rows(); i++) {
                    for (int j = 0; j < g.cols(); j++) {
                        g.set(i, j, g.get(i, j) * f);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        inner.close();
        s.close();
    }
}
