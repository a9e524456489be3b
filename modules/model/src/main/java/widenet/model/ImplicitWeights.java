package widenet.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The parameters of an {@link ImplicitNetwork} and their layout: A (m×m), W (m×d), u and v (m×1), each with its
 * gradient and its copy at step 0 (for the distances ‖A(k) − A(0)‖_F etc.), their draw at initialisation, and the
 * {@link Parameter} list in the order of {@link ImplicitNetworkSettings#PARAMETER_NAMES} (v only with the output skip).
 */
final class ImplicitWeights implements AutoCloseable {
    final FloatMatrix a, gradA, a0; // m×m
    final FloatMatrix w, gradW, w0; // m×d
    final FloatMatrix u, gradU, u0; // m×1
    final FloatMatrix v, gradV, v0; // m×1
    final FloatVec uVec, gradUVec, vVec, gradVVec;
    final boolean trainA, trainW, trainU, trainV;
    final List<Parameter> parameters;

    ImplicitWeights(ImplicitNetwork.Config config) {
        int d = config.inputDim();
        int m = config.width();
        trainA = config.trains("A");
        trainW = config.trains("W");
        trainU = config.trains("u");
        trainV = config.outputSkip() && config.trains("v");
        a = FloatMatrix.allocate(m, m);
        gradA = FloatMatrix.allocate(m, m);
        a0 = FloatMatrix.allocate(m, m);
        w = FloatMatrix.allocate(m, d);
        gradW = FloatMatrix.allocate(m, d);
        w0 = FloatMatrix.allocate(m, d);
        u = FloatMatrix.allocate(m, 1);
        gradU = FloatMatrix.allocate(m, 1);
        u0 = FloatMatrix.allocate(m, 1);
        v = FloatMatrix.allocate(m, 1);
        gradV = FloatMatrix.allocate(m, 1);
        v0 = FloatMatrix.allocate(m, 1);
        uVec = u.asVector();
        gradUVec = gradU.asVector();
        vVec = v.asVector();
        gradVVec = gradV.asVector();
        List<Parameter> list = new ArrayList<>(List.of(
                Parameter.matrix("A", a, gradA, trainA),
                Parameter.matrix("W", w, gradW, trainW),
                Parameter.vector("u", u, gradU, trainU)));
        if (config.outputSkip()) {
            list.add(Parameter.vector("v", v, gradV, trainV));
        }
        parameters = List.copyOf(list);
    }

    /** A, W ~ N(0, 1) and u (then v) Rademacher ±s or N(0, s²), drawn from {@code rng} in that order, row by row. */
    void draw(Kernels kernels, ImplicitNetwork.Config config, SplittableRandom rng) {
        Gaussian.fill(a, rng, 1.0);
        Gaussian.fill(w, rng, 1.0);
        drawOutput(kernels, config, u, rng);
        if (config.outputSkip()) {
            drawOutput(kernels, config, v, rng);
        }
    }

    private static void drawOutput(
            Kernels kernels, ImplicitNetwork.Config config, FloatMatrix weights, SplittableRandom rng) {
        if (config.outputInit() == ImplicitNetwork.OutputInit.GAUSSIAN) {
            Gaussian.fill(weights, rng, config.outputInitStd());
        } else {
            Gaussian.fillSigns(weights, rng);
            kernels.scale((float) config.outputInitStd(), weights);
        }
    }

    /** Copies the weights as the step-0 values the distances are measured from. */
    void markInitial() {
        a0.copyFrom(a);
        w0.copyFrom(w);
        u0.copyFrom(u);
        v0.copyFrom(v);
    }

    /** Whether no weight is NaN or infinite (a too-large step makes them so). */
    boolean finite(Kernels kernels) {
        return Double.isFinite(
                kernels.sumOfSquares(a) + kernels.sumOfSquares(w) + kernels.sumOfSquares(u) + kernels.sumOfSquares(v));
    }

    /**
     * Writes ‖A(k) − A(0)‖_F, ‖W(k) − W(0)‖_F, ‖u(k) − u(0)‖ (and ‖v(k) − v(0)‖ when {@code withV}) into
     * {@code values} from index {@code at}.
     */
    void distances(Kernels kernels, boolean withV, double[] values, int at) {
        values[at] = Math.sqrt(kernels.sumOfSquaredDifferences(a, a0));
        values[at + 1] = Math.sqrt(kernels.sumOfSquaredDifferences(w, w0));
        values[at + 2] = Math.sqrt(kernels.sumOfSquaredDifferences(u, u0));
        if (withV) {
            values[at + 3] = Math.sqrt(kernels.sumOfSquaredDifferences(v, v0));
        }
    }

    @Override
    public void close() {
        for (FloatMatrix x : List.of(a, gradA, a0, w, gradW, w0, u, gradU, u0, v, gradV, v0)) {
            x.close();
        }
    }
}
