package widenet.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.FloatMatrix;
import widenet.train.Probe;

/**
 * The kernel regime's prediction of a run's training and test loss, for every model: gradient descent on the network
 * linearised at its initialisation ({@link KernelTrajectory}), started from the run's own outputs u(0) and
 * f_test(0), with two kernels:
 * <ul>
 *   <li>{@code pred_loss_ntk0}, {@code pred_test_loss_ntk0}: the empirical K(0) = J(0)J(0)ᵀ of this network at its
 *       initial weights ({@link EmpiricalKernel}) — what the run would do if its kernel never moved;</li>
 *   <li>{@code pred_loss_inf}, {@code pred_test_loss_inf}: the infinite-width kernel (H∞ for the two-layer network,
 *       the others' where one is known) — what the width-∞ network would do from the same u(0).</li>
 * </ul>
 * Each is in the run's loss units: ½c‖u(k) − y‖² with c = 1 (sum) or 1/n (mean), the test one with 1 or 1/n_test,
 * as {@code loss} and {@code test_loss} are. The measured loss departs from the K(0) prediction as the kernel moves
 * (by O(1/√m) for the two-layer network, Du et al. 2019 and Arora et al. 2019), and the K(0) prediction from the
 * infinite one as K(0) − K∞ (also O(1/√m) at initialisation).
 *
 * <p>K(0) needs the network's state on the training and test inputs together; it is computed at step 0 in a second
 * network of the same model sized for both (the {@code evaluator}, as {@code HeldOutProbe} does), so the trained
 * network's own state, e.g. an implicit network's warm start, is left untouched. Between rows the trajectories
 * advance one step at a time: (n + n_t)·n multiply-adds per step and kernel.
 */
public final class KernelRegimeProbe implements Probe, AutoCloseable {
    public static final String LOSS_NTK0 = "pred_loss_ntk0";
    public static final String TEST_LOSS_NTK0 = "pred_test_loss_ntk0";
    public static final String LOSS_INF = "pred_loss_inf";
    public static final String TEST_LOSS_INF = "pred_test_loss_inf";

    private final Kernels kernels;
    private final Network evaluator;
    private final FloatMatrix xAll;
    private final FloatMatrix yAll;
    private final int n;
    private final int nt;
    private final double[] y;
    private final double[] yTest;
    private final double eta;
    private final double trainFactor;
    private final double testFactor;
    private final double[] infinite;
    private final String infiniteName;
    private final List<String> names;
    private KernelTrajectory empirical;
    private KernelTrajectory limit;
    private double[] residual0;
    private double[] test0;
    private long nanos;

    /**
     * @param evaluator a network of the trained one's model and settings with capacity ≥ n + n_t (this probe closes it)
     * @param x, y      the training set (n×d, n×1)
     * @param xTest, yTest the test set (n_t×d, n_t×1), or null for none
     * @param infinite  the infinite-width kernel on the training then the test inputs ((n + n_t)², row-major), or null
     * @param infiniteName what {@code infinite} is, for run.json
     */
    public KernelRegimeProbe(
            Kernels kernels,
            Network evaluator,
            FloatMatrix x,
            FloatMatrix y,
            FloatMatrix xTest,
            FloatMatrix yTest,
            double lr,
            LossKind loss,
            double[] infinite,
            String infiniteName) {
        if (y.cols() != 1 || evaluator.outputDim() != 1) {
            throw new IllegalArgumentException("the kernel-regime predictions are for one output");
        }
        this.kernels = kernels;
        this.evaluator = evaluator;
        this.n = x.rows();
        this.nt = xTest == null ? 0 : xTest.rows();
        this.xAll = FloatMatrix.allocate(n + nt, x.cols());
        this.yAll = FloatMatrix.allocate(n + nt, 1);
        xAll.rows(0, n).copyFrom(x);
        yAll.rows(0, n).copyFrom(y);
        if (nt > 0) {
            xAll.rows(n, n + nt).copyFrom(xTest);
            yAll.rows(n, n + nt).copyFrom(yTest);
        }
        this.y = column(y);
        this.yTest = nt > 0 ? column(yTest) : new double[0];
        this.eta = loss == LossKind.SUM ? lr : lr / n;
        this.trainFactor = loss == LossKind.SUM ? 1 : 1.0 / n;
        this.testFactor = loss == LossKind.SUM || nt == 0 ? 1 : 1.0 / nt;
        this.infinite = infinite;
        this.infiniteName = infiniteName;
        List<String> c = new ArrayList<>(List.of(LOSS_NTK0));
        if (nt > 0) {
            c.add(TEST_LOSS_NTK0);
        }
        if (infinite != null) {
            c.add(LOSS_INF);
            if (nt > 0) {
                c.add(TEST_LOSS_INF);
            }
        }
        this.names = List.copyOf(c);
    }

    private static double[] column(FloatMatrix m) {
        double[] v = new double[m.rows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i, 0);
        }
        return v;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public void measure(Network network, long step, double[] out) {
        long t0 = System.nanoTime();
        if (step == 0) {
            start(network);
        }
        if (empirical == null) {
            throw new IllegalStateException("kernel-regime probe measured at step " + step + " before step 0");
        }
        int at = 0;
        empirical.advanceTo(step);
        out[at++] = 0.5 * trainFactor * empirical.residualSquared();
        if (nt > 0) {
            out[at++] = 0.5 * testFactor * empirical.testResidualSquared(yTest);
        }
        if (limit != null) {
            limit.advanceTo(step);
            out[at++] = 0.5 * trainFactor * limit.residualSquared();
            if (nt > 0) {
                out[at] = 0.5 * testFactor * limit.testResidualSquared(yTest);
            }
        }
        nanos += System.nanoTime() - t0;
    }

    /** Step 0: u(0) from the run's own forward pass, f_test(0) and K(0) from the evaluator on train ∪ test. */
    private void start(Network network) {
        copyParameters(network, evaluator);
        evaluator.forward(xAll, yAll);
        FloatMatrix f = evaluator.predictions();
        FloatMatrix u = network.predictions();
        if (u.rows() != n) {
            throw new IllegalStateException(
                    "the network's last forward pass had " + u.rows() + " rows, not the n = " + n + " training points");
        }
        residual0 = new double[n];
        test0 = new double[nt];
        for (int i = 0; i < n; i++) {
            residual0[i] = (double) u.get(i, 0) - y[i];
        }
        for (int i = 0; i < nt; i++) {
            test0[i] = f.get(n + i, 0);
        }
        empirical = new KernelTrajectory(EmpiricalKernel.of(kernels, evaluator, xAll), n, nt, eta);
        empirical.start(residual0, test0);
        if (infinite != null) {
            limit = limit == null ? new KernelTrajectory(infinite, n, nt, eta) : limit;
            limit.start(residual0, test0);
        }
    }

    /** Copies the trained network's parameters into {@code to}, by name. */
    static void copyParameters(Network from, Network to) {
        List<Parameter> a = from.parameters(), b = to.parameters();
        if (a.size() != b.size()) {
            throw new IllegalStateException("evaluator has " + b.size() + " parameters, the network " + a.size());
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).name().equals(b.get(i).name())) {
                throw new IllegalStateException("evaluator parameter "
                        + b.get(i).name() + " where the network has " + a.get(i).name());
            }
            b.get(i).value().copyFrom(a.get(i).value());
        }
    }

    /** η′, the step on the kernel (η for the summed loss, η/n for the mean). */
    public double kernelStep() {
        return eta;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    /** run.json's {@code kernel_regime}: what the columns are and the step on the kernel. */
    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("columns", names);
        s.put("n", n);
        s.put("n_test", nt);
        s.put("kernel_step", eta);
        s.put("empirical", "K(0) = J(0)J(0)^T over the trained parameters at the initial weights");
        s.put("infinite", infinite == null ? null : infiniteName);
        s.put("seconds", seconds());
        return s;
    }

    @Override
    public void close() {
        evaluator.close();
        xAll.close();
        yAll.close();
    }
}
