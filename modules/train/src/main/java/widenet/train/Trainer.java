package widenet.train;

import java.util.ArrayList;
import java.util.List;
import widenet.kernel.Kernels;
import widenet.model.FixedPointException;
import widenet.model.Network;
import widenet.model.Parameter;

/**
 * Gradient descent on a {@link Network}: full-batch GD when the batch is the whole data set, otherwise mini-batch
 * SGD over a seeded reshuffle every epoch ({@link MiniBatches}). One step is {@code forward; backward; W −= η ∇W}
 * and allocates nothing once warm. Every {@code every} steps (and at 0 and the end) a metrics row describes the
 * state W(k) on the full data set: for full-batch GD that is the forward pass the step makes anyway; for SGD an
 * extra full forward pass.
 *
 * <p>This is the one training loop: {@code widenet train}, the reproductions (through {@link Runs}), Spark's data
 * parallelism (a distributed {@link Network}) and the sweep's cells all run {@link #run(Listener, Boundary, EarlyStop)}.
 * What differs between them is in its three hooks: the {@link Listener} gets the metrics rows, the {@link Boundary}
 * is asked between steps (checkpoints, interrupts), the {@link EarlyStop} sees the loss (a sweep cell's target).
 */
public final class Trainer implements AutoCloseable {
    /** The fixed columns before and after the model's own metrics. */
    public static final List<String> LEADING = List.of("step", "epoch", "loss", "rate");

    public static final List<String> TRAILING = List.of("step_ms", "time_s");

    /** Receives each metrics row as it is made (e.g. to write and flush it). */
    public interface Listener {
        void onRow(Row row);
    }

    /**
     * One metrics row, reused between calls. {@code rate} is the per-step contraction factor
     * (L(k)/L(k′))^{1/(k−k′)} since the previous row k′: Du et al. predict ≤ 1 − ηλ₀/2.
     */
    public static final class Row {
        public long step;
        public double epoch;
        public double loss;
        public double rate;
        public final double[] model;
        /** The probes' columns, in probe order (NaN where a probe did not run). */
        public final double[] probes;

        public double stepMillis;
        public double elapsedSeconds;

        Row(int modelColumns, int probeColumns) {
            model = new double[modelColumns];
            probes = new double[probeColumns];
        }

        /** All values in column order: {@link #LEADING}, the model's metrics, the probes', {@link #TRAILING}. */
        public double[] values() {
            double[] v = new double[LEADING.size() + model.length + probes.length + TRAILING.size()];
            v[0] = step;
            v[1] = epoch;
            v[2] = loss;
            v[3] = rate;
            System.arraycopy(model, 0, v, 4, model.length);
            System.arraycopy(probes, 0, v, 4 + model.length, probes.length);
            v[v.length - 2] = stepMillis;
            v[v.length - 1] = elapsedSeconds;
            return v;
        }
    }

    private final Kernels kernels;
    private final Network network;
    private final Dataset data;
    private final TrainSettings settings;
    private final Parameter[] trainable;
    private final int n;
    private final int batch;
    private final boolean fullBatch;
    /** The SGD batches (null for full-batch GD). */
    private final MiniBatches batches;

    private long stepsDone;
    private long stepAttempted;
    private final Row row;
    private double prevLoss = Double.NaN;
    private long prevStep;
    private double elapsedBefore;
    private long runStartNanos;
    /** Time spent in the probes: before this session (from a checkpoint), and in this session's loop. */
    private double probeSecondsBefore;

    private long probeNanos;
    private final Probe[] probes;
    private final double[][] probeValues;

    public Trainer(Kernels kernels, Network network, Dataset data, TrainSettings settings) {
        this(kernels, network, data, settings, List.of());
    }

    /** A trainer whose metrics rows also carry the {@code probes}' columns. */
    public Trainer(Kernels kernels, Network network, Dataset data, TrainSettings settings, List<Probe> probes) {
        this.kernels = kernels;
        this.network = network;
        this.data = data;
        this.settings = settings;
        this.n = data.n();
        if (data.d() != network.inputDim()) {
            throw new InputException(
                    "data has d = " + data.d() + " input columns but the network expects " + network.inputDim());
        }
        if (data.k() != network.outputDim()) {
            throw new InputException(
                    "labels have " + data.k() + " column(s) but the network has " + network.outputDim() + " output(s)");
        }
        if (settings.batchSize() > n) {
            throw new InputException(
                    "--batch " + settings.batchSize() + " is larger than the number of samples n = " + n);
        }
        if (network.capacity() < n) {
            throw new IllegalArgumentException("network capacity " + network.capacity() + " < n = " + n);
        }
        List<Parameter> t = new ArrayList<>();
        for (Parameter p : network.parameters()) {
            if (p.trainable()) {
                t.add(p);
            }
        }
        this.trainable = t.toArray(new Parameter[0]);
        this.batch = settings.batchSize();
        this.fullBatch = batch == n;
        this.batches = fullBatch ? null : new MiniBatches(data, batch, settings.shuffleSeed());
        this.probes = probes.toArray(new Probe[0]);
        this.probeValues = new double[this.probes.length][];
        int probeColumns = 0;
        for (int i = 0; i < this.probes.length; i++) {
            probeValues[i] = new double[this.probes[i].names().size()];
            probeColumns += probeValues[i].length;
        }
        this.row = new Row(network.metricNames().size(), probeColumns);
    }

    /** Every column of the metrics table, in order. */
    public List<String> columns() {
        List<String> c = new ArrayList<>(LEADING);
        c.addAll(network.metricNames());
        for (Probe p : probes) {
            c.addAll(p.names());
        }
        c.addAll(TRAILING);
        return c;
    }

    public Network network() {
        return network;
    }

    public Dataset data() {
        return data;
    }

    public TrainSettings settings() {
        return settings;
    }

    public long stepsDone() {
        return stepsDone;
    }

    /**
     * Between two steps: called at step boundary k (W(k) is computed, nothing of step k is done yet: no forward pass,
     * no metrics row k) for every k with start &lt; k &lt; steps, where start is where {@link #run} began. What the
     * trainer is at that moment is {@link #position()}. Returning true stops the run there. Must not allocate on
     * the steps where it does nothing (the training loop is allocation-free).
     */
    public interface Boundary {
        Boundary NONE = step -> false;

        boolean stopAt(long step);
    }

    /**
     * Where a run stands at a step boundary: the steps done, the next mini-batch (epoch, cursor), and the last
     * metrics row written before it (its step and loss, from which the next row's {@code rate} is computed).
     * Together with the network's weights and {@link widenet.model.Network#extraState()} and the initial state the
     * metrics compare against, this is all a run needs to continue bit for bit. {@code elapsedSeconds}: the training
     * loop's wall time over every session so far; {@code probeSeconds}: the part of it spent in the probes.
     */
    public record Position(
            long step,
            long epoch,
            int cursor,
            long lastRowStep,
            double lastRowLoss,
            double elapsedSeconds,
            double probeSeconds) {
        public Position {
            if (step < 0 || epoch < 0 || cursor < 0 || lastRowStep < 0 || lastRowStep > step) {
                throw new IllegalArgumentException("inconsistent trainer position: step " + step + ", epoch " + epoch
                        + ", cursor " + cursor + ", last row at step " + lastRowStep);
            }
        }

        /** A position with no time spent in probes (a run without any). */
        public Position(
                long step, long epoch, int cursor, long lastRowStep, double lastRowLoss, double elapsedSeconds) {
            this(step, epoch, cursor, lastRowStep, lastRowLoss, elapsedSeconds, 0);
        }
    }

    /**
     * Ends a run on its loss: asked with the loss L(W(k)) on the full data set each time the trainer computes it
     * (every step of full-batch GD, every metrics row of SGD), before that step's row is made. Returning true ends
     * the run at step k, with a metrics row there. A non-finite loss is never asked about: it is a divergence. Must
     * not allocate.
     */
    public interface EarlyStop {
        EarlyStop NEVER = (step, loss) -> false;

        boolean stopAt(long step, double loss);
    }

    /** Runs every step (see {@link #run(Listener, Boundary, EarlyStop)}) with nothing between steps. */
    public void run(Listener listener) {
        run(listener, Boundary.NONE, EarlyStop.NEVER);
    }

    /** {@link #run(Listener, Boundary, EarlyStop)} without an early stop. */
    public long run(Listener listener, Boundary boundary) {
        return run(listener, boundary, EarlyStop.NEVER);
    }

    /**
     * Runs from {@link #stepsDone()} (0, or where {@link #resumeAt} put it) to {@code settings.steps()}, reporting
     * rows at step 0, every {@code every} steps and at the end, asking {@code boundary} between steps whether
     * to stop and {@code earlyStop} whether the loss ends the run. Returns the step it stopped at:
     * {@code settings.steps()} when it ran to the end (the caller that gave the hooks knows which one stopped it). Throws
     * {@link DivergenceException} (after reporting the row that shows it) when the loss stops being finite,
     * and (without such a row: there is no loss to report) when the network cannot be evaluated, e.g. an equilibrium
     * network's fixed point does not converge ({@link FixedPointException}).
     */
    public long run(Listener listener, Boundary boundary, EarlyStop earlyStop) {
        try {
            return runSteps(listener, boundary, earlyStop);
        } catch (FixedPointException e) {
            throw new DivergenceException(stepAttempted, e);
        } finally {
            // The loop's clock stops with the loop: what is recorded after it (run.json, the outcome) is one time.
            if (runStartNanos != 0) {
                elapsedBefore = (System.nanoTime() - runStartNanos) / 1e9;
                runStartNanos = 0;
            }
        }
    }

    private long runSteps(Listener listener, Boundary boundary, EarlyStop earlyStop) {
        long steps = settings.steps();
        long first = stepsDone;
        runStartNanos = System.nanoTime() - (long) (elapsedBefore * 1e9);
        double lastStepMillis = 0;
        for (long k = first; ; k++) {
            if (k > first && k < steps && boundary.stopAt(k)) {
                return k;
            }
            stepAttempted = k;
            long t0 = System.nanoTime();
            boolean report = k == 0 || k == steps || k % settings.every() == 0;
            double loss = Double.NaN;
            boolean diverged = false;
            boolean stop = false;
            if (fullBatch || report) {
                loss = network.forward(data.x(), data.y()); // L(W(k)) on all n samples
                if (k == 0) {
                    network.markInitialState();
                }
                // A non-finite loss ends the run at this step, with a row that shows it, whatever the cadence.
                diverged = !Double.isFinite(loss);
                stop = !diverged && earlyStop.stopAt(k, loss);
            }
            if (report || diverged || stop) {
                row.step = k;
                row.epoch = (double) k * batch / n;
                row.loss = loss;
                row.rate = k == 0 ? Double.NaN : Math.pow(loss / prevLoss, 1.0 / (k - prevStep));
                network.measure(row.model);
                String overflow = diverged ? null : DivergenceHints.overflowedWeights(network.metricNames(), row.model);
                if (overflow != null) {
                    // The loss can stay finite while weights overflow (every unit after them dead, the output
                    // constant):
                    // the run has diverged all the same, and the probes' solvers would refuse the non-finite matrices.
                    diverged = true;
                }
                if (diverged) {
                    // The probes' spectra and Grams of non-finite weights mean nothing (and their solvers refuse
                    // them): the row carries NaN there, and the divergence is what the run reports.
                    java.util.Arrays.fill(row.probes, Double.NaN);
                } else {
                    long probeStart = System.nanoTime();
                    measureProbes(k, k == 0 || k == steps || stop);
                    probeNanos += System.nanoTime() - probeStart;
                }
                row.stepMillis = k == 0 ? (System.nanoTime() - t0) / 1e6 : lastStepMillis;
                row.elapsedSeconds = (System.nanoTime() - runStartNanos) / 1e9;
                listener.onRow(row);
                prevLoss = loss;
                prevStep = k;
                if (!Double.isFinite(loss)) {
                    throw new DivergenceException(k, loss, DivergenceHints.forLoss(k));
                }
                if (overflow != null) {
                    throw new DivergenceException(
                            k,
                            loss,
                            "the weights overflowed float32 (" + overflow
                                    + ") while the loss stayed finite; try a smaller step size (--lr)");
                }
            }
            if (k == steps || stop) {
                return k;
            }
            if (fullBatch) {
                network.backward();
            } else {
                double batchLoss = sgdForward();
                if (!Double.isFinite(batchLoss)) {
                    throw new DivergenceException(k, batchLoss, "mini-batch loss; try a smaller step size (--lr)");
                }
                network.backward();
            }
            update();
            stepsDone = k + 1;
            lastStepMillis = (System.nanoTime() - t0) / 1e6;
        }
    }

    /** The trainer's position at the current step boundary (meaningful between steps, e.g. in a {@link Boundary}). */
    public Position position() {
        double elapsed = runStartNanos == 0 ? elapsedBefore : (System.nanoTime() - runStartNanos) / 1e9;
        return new Position(
                stepsDone, epoch(), cursor(), prevStep, prevLoss, elapsed, probeSecondsBefore + probeNanos / 1e9);
    }

    /**
     * Puts a fresh trainer at {@code p}, so that {@link #run} continues there: the caller has restored the network
     * (its initial state, weights and extra state at step {@code p.step()}) and the metrics rows before it.
     */
    public void resumeAt(Position p) {
        if (p.step() > settings.steps()) {
            throw new IllegalArgumentException(
                    "position at step " + p.step() + " is past the run's " + settings.steps() + " steps");
        }
        if (fullBatch ? p.epoch() != 0 || p.cursor() != 0 : p.cursor() > n) {
            throw new IllegalArgumentException("position epoch " + p.epoch() + ", cursor " + p.cursor()
                    + " does not fit " + (fullBatch ? "full-batch GD" : "SGD on n = " + n));
        }
        if (!fullBatch) {
            batches.seek(p.epoch(), p.cursor());
        }
        stepsDone = p.step();
        prevStep = p.lastRowStep();
        prevLoss = p.lastRowLoss();
        elapsedBefore = p.elapsedSeconds();
        probeSecondsBefore = p.probeSeconds();
        probeNanos = 0;
    }

    /**
     * The probes' step-0 measurement again, on the network's current state: a resumed run calls it on the restored
     * initial state (W(0), forward on the full data), so that probes that capture a reference at step 0 (L(0),
     * u(0), λ_min(H(0))…) have it back. The values are discarded.
     */
    public void replayProbesAtStepZero() {
        measureProbes(0, true);
    }

    private void measureProbes(long k, boolean always) {
        int at = 0;
        for (int i = 0; i < probes.length; i++) {
            double[] v = probeValues[i];
            if (always || k % probes[i].every() == 0) {
                probes[i].measure(network, k, v);
            } else {
                java.util.Arrays.fill(v, Double.NaN);
            }
            System.arraycopy(v, 0, row.probes, at, v.length);
            at += v.length;
        }
    }

    /**
     * One training step from the current weights (forward on the batch, backward, update); returns the batch
     * loss before the update. Used by {@link #run} and by benchmarks and allocation tests.
     */
    public double step() {
        double loss = fullBatch ? network.forward(data.x(), data.y()) : sgdForward();
        network.backward();
        update();
        stepsDone++;
        return loss;
    }

    private void update() {
        float eta = (float) settings.learningRate();
        for (int i = 0; i < trainable.length; i++) {
            kernels.axpy(-eta, trainable[i].gradient(), trainable[i].value()); // W −= η ∇W
        }
    }

    /** The next mini-batch, forward. */
    private double sgdForward() {
        batches.next();
        return network.forward(batches.x(), batches.y());
    }

    /** The epoch and position in it of the next mini-batch (0 for full-batch GD). */
    public long epoch() {
        return fullBatch ? 0 : batches.epoch();
    }

    public int cursor() {
        return fullBatch ? 0 : batches.cursor();
    }

    @Override
    public void close() {
        if (!fullBatch) {
            batches.close();
        }
    }
}
