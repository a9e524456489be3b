package widenet.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import widenet.kernel.Kernels;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;
import widenet.train.Probe;

/**
 * The theory attached to one training run of the two-layer network: H∞ and its spectrum (computed once), the
 * {@link PredictionProbe} on every metrics row and the {@link EmpiricalGramProbe} every K rows, and the
 * {@code theory.json} summary. Timed separately from training, so a run can report its cost.
 */
public final class TwoLayerTheoryRun implements AutoCloseable {
    private final TwoLayerTheory theory;
    private final PredictionProbe predictions;
    private final EmpiricalGramProbe empirical;
    private final double[] y;
    private final int width;
    private final double delta;
    private final double setupSeconds;

    /**
     * @param gramEvery steps between λ_min(H(k)) evaluations, or 0 for none
     * @param fullBatch whether training is full-batch GD (the predictions assume it)
     */
    public TwoLayerTheoryRun(
            Kernels kernels,
            Dataset data,
            TwoLayerNetwork.Config config,
            double eta,
            boolean fullBatch,
            long gramEvery,
            double delta) {
        if (data.k() != 1) {
            throw new IllegalArgumentException(
                    "the two-layer theory is for one output, the labels have " + data.k() + " columns");
        }
        long t0 = System.nanoTime();
        this.y = new double[data.n()];
        for (int i = 0; i < y.length; i++) {
            y[i] = data.y().get(i, 0);
        }
        this.width = config.width();
        this.delta = delta;
        this.theory =
                new TwoLayerTheory(kernels, data.x(), y, eta, config.loss(), config.trainOutputLayer(), config.kappa());
        this.predictions = new PredictionProbe(theory, y, width, fullBatch);
        this.empirical = gramEvery > 0 ? new EmpiricalGramProbe(kernels, data.x(), gramEvery) : null;
        this.setupSeconds = (System.nanoTime() - t0) / 1e9;
    }

    public TwoLayerTheory theory() {
        return theory;
    }

    public List<Probe> probes() {
        List<Probe> p = new ArrayList<>();
        p.add(predictions);
        if (empirical != null) {
            p.add(empirical);
        }
        return p;
    }

    /** Seconds spent on theory: H∞, its eigen-decomposition, the probes. */
    public double seconds() {
        return setupSeconds + predictions.seconds() + (empirical == null ? 0 : empirical.seconds());
    }

    /** Seconds spent on the probes only (inside the training loop). */
    public double probeSeconds() {
        return seconds() - setupSeconds;
    }

    /** theory.json: the data's spectral facts, this run's R′ and L(0), λ_min(H(k)) first and last, the arrays. */
    public Map<String, Object> summary() {
        Map<String, Object> s = theory.summary(delta, true);
        Object spectrum = s.remove("spectrum");
        Object projections = s.remove("projections");
        s.put("width", width);
        s.put("initial_loss", predictions.initialLoss());
        s.put("initial_residual_norm", predictions.initialResidualNorm());
        s.put("radius_R", theory.radius(width, predictions.initialResidualNorm()));
        if (empirical != null) {
            s.put("lambda_min_H_initial", empirical.first());
            s.put("lambda_min_H_final", empirical.last());
        }
        s.put("theory_seconds", seconds());
        // Arrays last, so the named numbers stay readable at the top of the file.
        s.put("spectrum", spectrum);
        if (projections != null) {
            s.put("projections", projections);
        }
        double[] pr = predictions.residualProjections();
        if (pr != null) {
            s.put("projections_residual", pr);
        }
        return s;
    }

    @Override
    public void close() {
        if (empirical != null) {
            empirical.close();
        }
    }
}
