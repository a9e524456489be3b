package widenet.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.LongConsumer;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.train.CheckpointException;
import widenet.train.Dataset;
import widenet.train.DivergenceException;
import widenet.train.InputException;
import widenet.train.TrainSettings;
import widenet.train.Trainer;
import widenet.train.internal.Checkpoint;
import widenet.train.internal.CheckpointManifest;
import widenet.train.internal.CheckpointPolicy;
import widenet.train.internal.CheckpointState;
import widenet.train.internal.Checkpoints;
import widenet.train.internal.TrainingRun;

/**
 * Trains one cell: the two-layer network of Du et al. (W trained, a fixed) by full-batch GD on its own kernels,
 * stopping at the first step k ≤ K with L(k)/L(0) ≤ ρ (then the run has reached the target: with a stable step
 * the loss decreases, so this is the same verdict as L(K)/L(0) ≤ ρ, for fewer steps).
 *
 * <p>Given its cell folder, a long cell checkpoints there ({@code checkpoints/step-<k>/}, the train module's format:
 * weights, initial weights in {@code init/}, and the position with L(0) as exact bits) every
 * {@link #CHECKPOINT_EVERY} of wall time and when it is cancelled, so a cell interrupted mid-run (a killed or
 * cancelled sweep) resumes from its last checkpoint, bit-identical to an uninterrupted run. The checkpoints are
 * removed when the cell ends: then the sweep writes its {@code cell.json}, and a finished cell is never recomputed.
 */
final class CellRun {
    /** Wall time between a cell's checkpoints: a cell shorter than this never writes one. */
    static final String CHECKPOINT_EVERY = CheckpointPolicy.DEFAULT;
    /** The cell's initial weights W(0), a(0), which every checkpoint copies (the train module's {@code init/}). */
    private static final String INIT = "init";

    private CellRun() {}

    /** The cell without checkpoints (nowhere to put them). */
    static CellResult run(SweepSettings s, Cell cell) {
        return run(s, cell, null, CheckpointPolicy.never(), step -> {});
    }

    /** The cell, checkpointed in (and resumed from) {@code cellDir} every {@link #CHECKPOINT_EVERY}. */
    static CellResult run(SweepSettings s, Cell cell, Path cellDir) {
        return run(s, cell, cellDir, CheckpointPolicy.parse(CHECKPOINT_EVERY), step -> {});
    }

    /**
     * The cell with checkpoints in {@code cellDir} (null: none) as {@code policy} says; {@code resumedAt} is told
     * the step it resumed from, if it did.
     */
    static CellResult run(SweepSettings s, Cell cell, Path cellDir, CheckpointPolicy policy, LongConsumer resumedAt) {
        try {
            return train(s, cell, cellDir, policy, resumedAt);
        } catch (UncheckedIOException | CheckpointException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Interrupted inside file I/O (a checkpoint read or write: ClosedByInterruptException); what is on
                // disk is still a consistent set of complete checkpoints.
                CancellationException c = new CancellationException("sweep cancelled during cell " + cell.dirName());
                c.initCause(e);
                throw c;
            }
            throw e;
        }
    }

    private static CellResult train(
            SweepSettings s, Cell cell, Path cellDir, CheckpointPolicy policy, LongConsumer resumedAt) {
        long t0 = System.nanoTime();
        int n = cell.n(), d = s.dFor(n);
        // Metrics rows only at step 0 and where the cell ends: the early stop sees the loss of every step.
        try (Kernels k = KernelProviders.open(s.kernels(), s.threadsPerCell());
                Dataset data = Dataset.unitSphere(n, d, new SplittableRandom(cell.dataSeed()));
                TwoLayerNetwork net = new TwoLayerNetwork(
                        k,
                        new TwoLayerNetwork.Config(d, cell.width(), n, s.kappa(), false, s.loss(), true),
                        new SplittableRandom(cell.initSeed()));
                Trainer trainer =
                        new Trainer(k, net, data, new TrainSettings(s.lr(), s.steps(), n, Math.max(1, s.steps()), 0))) {
            Map<String, Object> settings = settings(s, cell, d);
            Checkpointer checkpoints = cellDir == null ? null : new Checkpointer(cellDir, net, data, settings);
            double secondsBefore = 0;
            if (checkpoints != null) {
                Checkpoint cp = checkpoints.resume();
                if (cp != null) {
                    secondsBefore = cp.state().position().elapsedSeconds();
                    trainer.resumeAt(cp.state().position()); // its last row is step 0's: L(0) comes back with it
                    resumedAt.accept(cp.step());
                }
                policy.start(System.nanoTime());
            }
            Target target = new Target(s.target(), trainer.position().lastRowLoss());
            boolean[] cancelled = {false};
            Trainer.Boundary boundary = step -> {
                if (Thread.interrupted()) {
                    cancelled[0] = true;
                } else if (checkpoints == null || !policy.due(step, System.nanoTime())) {
                    return false;
                }
                if (checkpoints != null) {
                    checkpoints.write(trainer.position());
                    policy.written(System.nanoTime());
                }
                return cancelled[0];
            };
            long last;
            double lossFinal;
            String status;
            try {
                last = trainer.run(row -> {}, boundary, target);
                // Cancelled between steps (checkpointed), or during the last step (the cell resumes from its last
                // checkpoint): the interrupt is taken, as a cancelled cell's contract says.
                if (cancelled[0] || Thread.interrupted()) {
                    throw new CancellationException("sweep cancelled during cell " + cell.dirName());
                }
                lossFinal = target.last;
                status = target.reached ? CellResult.REACHED : CellResult.NOT_REACHED;
            } catch (DivergenceException e) {
                if (e.step() == 0) {
                    target.loss0 = e.loss(); // L(0) itself is not finite
                }
                last = e.step();
                lossFinal = e.loss();
                status = CellResult.DIVERGED;
            }
            if (checkpoints != null) {
                checkpoints.clear();
            }
            return new CellResult(
                    cell,
                    d,
                    target.loss0,
                    lossFinal,
                    target.reached ? last : -1,
                    last,
                    status,
                    secondsBefore + (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * The cell's early stop: L(k)/L(0) ≤ ρ. L(0) is the loss of step 0, seen here or (resumed) brought back by the
     * checkpoint; {@code last} is the latest loss, which is the cell's final loss when it ends.
     */
    private static final class Target implements Trainer.EarlyStop {
        private final double rho;
        double loss0;
        double last = Double.NaN;
        boolean reached;

        Target(double rho, double loss0) {
            this.rho = rho;
            this.loss0 = loss0;
        }

        @Override
        public boolean stopAt(long step, double loss) {
            if (step == 0) {
                loss0 = loss;
            }
            last = loss;
            reached = loss <= rho * loss0;
            return reached;
        }
    }

    /** Everything a cell's result depends on; a checkpoint written under other settings is refused. */
    private static Map<String, Object> settings(SweepSettings s, Cell cell, int d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", cell.n());
        m.put("d", d);
        m.put("width", cell.width());
        m.put("seed", cell.seed());
        m.put("lr", s.lr());
        m.put("steps", s.steps());
        m.put("kappa", s.kappa());
        m.put("loss", s.loss().toString());
        m.put("kernels", s.kernels());
        m.put("threads_per_cell", s.threadsPerCell());
        return m;
    }

    /** A cell's checkpoints: the train module's format, with the initial weights in {@code cellDir/init/}. */
    private static final class Checkpointer {
        private final Path dir;
        private final TwoLayerNetwork net;
        private final Dataset data;
        private final Map<String, Object> settings;
        private Map<String, CheckpointManifest.Entry> initFiles;

        Checkpointer(Path dir, TwoLayerNetwork net, Dataset data, Map<String, Object> settings) {
            this.dir = dir;
            this.net = net;
            this.data = data;
            this.settings = settings;
        }

        /**
         * Restores the newest good checkpoint into the network and returns it, or returns null (a fresh start, the
         * initial weights saved) when there is none or none usable: a cell is cheaper to recompute than to trust
         * damaged files. Settings that differ from the checkpoint's are an {@link InputException}.
         */
        Checkpoint resume() {
            try {
                Checkpoint cp = null;
                if (TrainingRun.status(dir) == TrainingRun.Status.RESUMABLE) {
                    try {
                        cp = Checkpoints.latest(dir).checkpoint();
                    } catch (CheckpointException e) {
                        cp = null;
                    }
                }
                if (cp != null) {
                    for (Map.Entry<String, Object> e : settings.entrySet()) {
                        Object was = cp.state().settings().get(e.getKey());
                        if (!String.valueOf(e.getValue()).equals(String.valueOf(was))) {
                            throw new InputException(cp.dir() + ": the cell was checkpointed with " + e.getKey() + " = "
                                    + was + ", the sweep now has " + e.getValue());
                        }
                    }
                    cp.restore(net, data);
                    initFiles = Checkpoints.describeFiles(dir.resolve(INIT), net.parameters());
                    return cp;
                }
                clear();
                Files.createDirectories(dir);
                TrainingRun.saveParameters(net.parameters(), dir.resolve(INIT));
                initFiles = Checkpoints.describeFiles(dir.resolve(INIT), net.parameters());
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cell " + dir + ": " + widenet.files.FileErrors.describe(e), e);
            }
        }

        /** The checkpoint at the trainer's step boundary {@code at}: its last row is step 0's, so L(0) is kept as exact bits. */
        void write(Trainer.Position at) {
            try {
                Checkpoints.write(
                        dir,
                        net,
                        dir.resolve(INIT),
                        initFiles,
                        new CheckpointState(
                                at,
                                net.kind(),
                                names(net.parameters()),
                                names(net.extraState()),
                                CheckpointState.DataFingerprint.of(data),
                                settings));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cell " + dir + ": cannot write a checkpoint: " + widenet.files.FileErrors.describe(e), e);
            }
        }

        /** Removes the checkpoints and initial weights (the cell ended, or starts afresh). */
        void clear() {
            try {
                deleteAll();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cell " + dir + ": cannot remove its checkpoints: " + widenet.files.FileErrors.describe(e), e);
            }
        }

        private void deleteAll() throws IOException {
            Checkpoints.deleteAll(dir);
            Path init = dir.resolve(INIT);
            if (Files.isDirectory(init)) {
                try (var files = Files.list(init)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(init);
            }
        }

        private static List<String> names(List<Parameter> params) {
            return params.stream().map(Parameter::name).toList();
        }
    }
}
