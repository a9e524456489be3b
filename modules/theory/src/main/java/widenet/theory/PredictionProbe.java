package widenet.theory;

import java.util.List;
import widenet.model.Network;
import widenet.tensor.FloatMatrix;
import widenet.train.Probe;

/**
 * Writes the predictions of {@link TwoLayerTheory} beside the measured loss, in loss units:
 * {@code pred_du_bound} = (1 − η′λ₀/2)^k L(0), {@code pred_arora} = ½c Σᵢ (1 − η′λᵢ)^{2k} (vᵢᵀ(y − u(0)))²,
 * and {@code radius_R} = R′ = 4√n‖y − u(0)‖/(√m λ₀) (to read against {@code w_dist_max_row}). u(0) is taken from
 * the network's forward pass at step 0. The predictions describe full-batch GD; with mini-batches they are NaN.
 * Cheap (O(n) per row after an O(n²) projection at step 0), so it runs on every row.
 */
public final class PredictionProbe implements Probe {
    public static final List<String> NAMES = List.of("pred_du_bound", "pred_arora", "radius_R");

    private final TwoLayerTheory theory;
    private final double[] y;
    private final int width;
    private final boolean fullBatch;
    private LinearisedTrajectory trajectory;
    private double loss0 = Double.NaN;
    private double residualNorm0 = Double.NaN;
    private double[] residualProjections;
    private long nanos;

    public PredictionProbe(TwoLayerTheory theory, double[] y, int width, boolean fullBatch) {
        if (y.length != theory.n()) {
            throw new IllegalArgumentException(y.length + " labels for n = " + theory.n());
        }
        this.theory = theory;
        this.y = y.clone();
        this.width = width;
        this.fullBatch = fullBatch;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void measure(Network network, long step, double[] out) {
        long t0 = System.nanoTime();
        if (step == 0) {
            FloatMatrix u = network.predictions();
            double[] r = new double[y.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = y[i] - u.get(i, 0);
            }
            residualNorm0 = Math.sqrt(TwoLayerTheory.dot(r, r));
            loss0 = 0.5 * theory.lossFactor() * residualNorm0 * residualNorm0;
            trajectory = theory.trajectory(r);
            residualProjections = theory.spectrum().projections(r);
        }
        boolean ok = trajectory != null && fullBatch;
        out[0] = ok ? theory.duBound(loss0, step) : Double.NaN;
        out[1] = ok ? 0.5 * theory.lossFactor() * trajectory.residualNormSquared(step) : Double.NaN;
        out[2] = trajectory != null ? theory.radius(width, residualNorm0) : Double.NaN;
        nanos += System.nanoTime() - t0;
    }

    /** L(0) as seen by the probe (NaN before step 0). */
    public double initialLoss() {
        return loss0;
    }
    /** ‖y − u(0)‖. */
    public double initialResidualNorm() {
        return residualNorm0;
    }
    /** (vᵢᵀ(y − u(0)))², ascending eigenvalue order; null before step 0. */
    public double[] residualProjections() {
        return residualProjections == null ? null : residualProjections.clone();
    }

    public double seconds() {
        return nanos / 1e9;
    }
}
