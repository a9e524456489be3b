package widenet.train.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.files.FileErrors;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.Npy;
import widenet.train.DivergenceException;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;
import widenet.train.MetricsCsv;
import widenet.train.OutputException;
import widenet.train.RunFolder;
import widenet.train.RunSpecJson;
import widenet.train.Trainer;

/**
 * The life of one training run in its folder, fresh or resumed: exclusive use of the folder ({@link RunLock}),
 * {@code run.json}, {@code init/}, {@code metrics.csv}, checkpoints while it runs ({@link CheckpointPolicy}),
 * a clean stop on SIGINT/SIGTERM ({@link GracefulShutdown}), {@code final/} and the closing {@code run.json}.
 *
 * <pre>
 * try (TrainingRun run = TrainingRun.create(dir, force)) {          // or TrainingRun.resume(dir)
 *     // build kernels, data, network and trainer from the settings (run.settings() when resuming)
 *     TrainingRun.Outcome o = run.train(trainer, runJson, policy, progress, GracefulShutdown.jvm());
 * }
 * </pre>
 *
 * <p>A resumed run continues bit for bit: the network is restored by {@link Checkpoint#restore}, the trainer by
 * {@link Trainer#resumeAt}, and {@code metrics.csv} is cut back to the rows before the checkpoint's step. For many
 * runs in one process (a sweep, a reproduction), give each its own folder and use {@link #status} and
 * {@link #open}: a finished run is never recomputed, an unfinished one resumes from its last checkpoint.
 */
public final class TrainingRun implements AutoCloseable {
    public static final String RUN_JSON = "run.json";
    public static final String METRICS = "metrics.csv";

    /** Where a run folder stands, judged without locking it. */
    public enum Status {
        /** No run there yet (missing or empty folder, or no {@code run.json}). */
        NONE,
        /** Finished: {@code final/} and {@code run.json} are complete; nothing to recompute. */
        FINISHED,
        /** Stopped because the loss diverged: a result, not to be retried. */
        DIVERGED,
        /** Unfinished, with a checkpoint to resume from. */
        RESUMABLE,
        /** Unfinished and no checkpoint yet: start it again. */
        STARTED
    }

    /** How {@link #train} ended: all steps done, or stopped (by a shutdown request) at {@code step}, checkpointed. */
    public record Outcome(boolean finished, long step, double seconds, double probeSeconds, String finalLoss) {}

    /**
     * What the caller adds when the run ends (finished or diverged), before {@code run.json} is written for the last
     * time: e.g. theory summaries into {@code run}, or files of its own into the run folder.
     */
    @FunctionalInterface
    public interface Finisher {
        Finisher NONE = (run, status) -> {};

        void beforeFinish(Map<String, Object> run, String status) throws IOException;
    }

    private final RunFolder folder;
    private final RunLock lock;
    private final Checkpoints.Latest latest;
    /** A run restarted from step 0 (stopped before its first checkpoint): its earlier run.json, else null. */
    private final Map<String, Object> restarted;

    private long lastCheckpoint = -1;

    private TrainingRun(RunFolder folder, RunLock lock, Checkpoints.Latest latest, Map<String, Object> restarted) {
        this.folder = folder;
        this.lock = lock;
        this.latest = latest;
        this.restarted = restarted;
        if (latest != null) {
            lastCheckpoint = latest.checkpoint().step();
        }
    }

    public static Status status(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RUN_JSON))) {
            return hasCheckpoint(dir) ? Status.RESUMABLE : Status.NONE;
        }
        String s = null;
        try {
            s = String.valueOf(Json.read(dir.resolve(RUN_JSON)).get("status"));
        } catch (IOException | RuntimeException e) {
            // unreadable run.json (a crash while it was replaced cannot do this, but a disk error can): judge by
            // checkpoints
        }
        if ("finished".equals(s)) {
            return Status.FINISHED;
        }
        if ("diverged".equals(s)) {
            return Status.DIVERGED;
        }
        return hasCheckpoint(dir) ? Status.RESUMABLE : Status.STARTED;
    }

    private static boolean hasCheckpoint(Path dir) {
        try {
            return !Checkpoints.steps(Checkpoints.folder(dir)).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A new run in {@code dir} (created; a non-empty folder is refused unless {@code force}), locked. With
     * {@code force}, once the folder is locked, the files of an earlier run ({@link RunFolderChecks#OWN_FILES}) are removed first;
     * a folder that also holds anything else (a file widenet did not write, or a symbolic link) is refused, so
     * --force never deletes what is not widenet's. Temporary files a killed writer left are removed in any case.
     */
    public static TrainingRun create(Path dir, boolean force) {
        RunFolder f = RunFolder.create(dir, force);
        RunLock lock = RunLock.acquire(f.root());
        try {
            if (force) {
                RunFolderChecks.clearEarlierRun(f.root());
            }
            RunFolderChecks.removeTemporaries(f.root());
        } catch (IOException e) {
            lock.close();
            throw new OutputException("cannot clear " + FileErrors.describe(f.root(), e), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return new TrainingRun(f, lock, null, null);
    }

    /**
     * The unfinished run in {@code dir}, locked, with its newest good checkpoint, or (a run stopped before its first
     * checkpoint: {@link Status#STARTED}) to be {@linkplain #restarting() restarted} from step 0 by the spec its
     * run.json recorded. Refused (an {@link InputException}) when the folder holds no run, a finished or diverged
     * one, damaged checkpoints only, or a run.json that disagrees with the checkpoint (edited, or another run's).
     */
    public static TrainingRun resume(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("--resume " + dir + " is not a folder");
        }
        if (status(dir) == Status.NONE) { // refused before the lock file is made: an empty folder stays empty
            throw new InputException("--resume " + dir + " holds no run (no " + RUN_JSON + ", no checkpoint)"
                    + (RunFolderChecks.holdsOnlyLeftovers(dir)
                            ? ": a run killed before it wrote " + RUN_JSON
                                    + " has nothing to continue; run its train command again with --out " + dir
                                    + " (the folder counts as empty)"
                            : ""));
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            RunFolderChecks.removeTemporaries(dir);
            Status s = status(dir);
            if (s == Status.FINISHED || s == Status.DIVERGED) {
                throw new InputException(
                        "--resume " + dir + ": the run has " + s.name().toLowerCase() + "; nothing to resume");
            }
            if (s == Status.STARTED) {
                return new TrainingRun(RunFolder.existing(dir), lock, null, RunJson.readRecorded(dir));
            }
            Checkpoints.Latest latest = Checkpoints.latest(dir);
            RunFolderChecks.requireRunJsonAgrees(dir, latest.checkpoint());
            return new TrainingRun(RunFolder.existing(dir), lock, latest, null);
        } catch (IOException e) {
            lock.close();
            throw new OutputException("cannot clear " + FileErrors.describe(dir, e), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * For sweeps: resumes the run in {@code dir} if it has a checkpoint, otherwise starts it afresh (clearing a
     * start that crashed before its first checkpoint). Check {@link #status} first and skip FINISHED/DIVERGED.
     */
    public static TrainingRun open(Path dir) {
        return status(dir) == Status.RESUMABLE ? resume(dir) : create(dir, true);
    }

    public RunFolder folder() {
        return folder;
    }

    public boolean resuming() {
        return latest != null;
    }
    /** A run stopped before its first checkpoint, to be made again from step 0 by its recorded spec. */
    public boolean restarting() {
        return restarted != null;
    }
    /** The run.json of a {@linkplain #restarting() restarted} run, as it was found. */
    public Map<String, Object> restartedRun() {
        return restarted;
    }
    /** The checkpoint a resumed run continues from (null for a new run). */
    public Checkpoint checkpoint() {
        return latest == null ? null : latest.checkpoint();
    }
    /** Why newer checkpoints than {@link #checkpoint()} were passed over (damaged), for the log. */
    public List<String> skippedCheckpoints() {
        return latest == null ? List.of() : latest.skipped();
    }

    /**
     * What the run was started with, as its checkpoint keeps it (resumed runs only): run.json's {@code spec} (a
     * {@link RunSpecJson} map) for runs made by {@link Runs}, its {@code settings} for others.
     */
    public Map<String, Object> settings() {
        if (latest == null) {
            throw new IllegalStateException("a new run has no recorded settings");
        }
        return latest.checkpoint().state().settings();
    }

    /** The command that continues this run. */
    public String resumeCommand() {
        return "widenet train --resume " + folder.root();
    }

    /**
     * Trains to the end or to a stop request. {@code description} is the {@code run.json} content for a new run
     * (with a {@code "settings"} object, which checkpoints keep); a resumed run keeps its {@code run.json} and
     * settings and only records the resumption. Failures to write the folder are {@link OutputException}s that
     * leave the last checkpoint intact; divergence is a {@link DivergenceException} after {@code run.json} says so.
     */
    public Outcome train(
            Trainer trainer,
            Map<String, Object> description,
            CheckpointPolicy policy,
            Trainer.Listener progress,
            GracefulShutdown shutdown) {
        return train(trainer, description, policy, progress, shutdown, Finisher.NONE);
    }

    /** As {@link #train(Trainer, Map, CheckpointPolicy, Trainer.Listener, GracefulShutdown)}, with {@code finisher}. */
    public Outcome train(
            Trainer trainer,
            Map<String, Object> description,
            CheckpointPolicy policy,
            Trainer.Listener progress,
            GracefulShutdown shutdown,
            Finisher finisher) {
        try (GracefulShutdown.Section guard = shutdown.protect()) {
            return trainProtected(trainer, description, policy, progress, shutdown, finisher);
        }
    }

    private Outcome trainProtected(
            Trainer trainer,
            Map<String, Object> description,
            CheckpointPolicy policy,
            Trainer.Listener progress,
            GracefulShutdown shutdown,
            Finisher finisher) {
        Network net = trainer.network();
        Path initDir = folder.folder("init");
        Map<String, Object> run;
        Map<String, Object> settings;
        Map<String, CheckpointManifest.Entry> initFiles;
        MetricsCsv csv;
        try {
            CheckpointState.DataFingerprint data = CheckpointState.DataFingerprint.of(trainer.data());
            if (latest == null) {
                if (restarted != null) {
                    RunJson.requireSameData(folder, restarted, data);
                }
                Checkpoints.deleteAll(folder.root());
                Checkpoints.deleteRecursively(folder.resolve("final"));
                run = new LinkedHashMap<>(description);
                settings = RunJson.settingsOf(run);
                run.put(DATA_FINGERPRINT, data.toMap());
                if (restarted != null) { // the same run, made again from step 0: its history stays
                    if (restarted.get("started") != null) {
                        run.put("started", restarted.get("started"));
                    }
                    run.put("resumed", RunJson.resumedWith(restarted, 0));
                }
                run.put("status", "running");
                Json.write(folder.resolve(RUN_JSON), run);
                saveParameters(net.parameters(), initDir);
                initFiles = Checkpoints.describeFiles(initDir, net.parameters());
                csv = new MetricsCsv(folder.resolve(METRICS), trainer.columns());
            } else {
                Checkpoint cp = latest.checkpoint();
                cp.restore(net, trainer.data(), trainer::replayProbesAtStepZero);
                trainer.resumeAt(cp.state().position());
                // The run continues as described (the checkpoint's spec, with the data where they are now): run.json
                // and the next checkpoints record that, so a later resume finds the data again.
                settings = RunJson.settingsOf(description);
                initFiles = Checkpoints.restoreInitFolder(cp, net, initDir);
                csv = MetricsCsv.resume(
                        folder.resolve(METRICS),
                        trainer.columns(),
                        cp.step(),
                        cp.state().position().lastRowStep());
                run = RunJson.readRunJson(folder, description, latest.checkpoint());
                for (String key : List.of("spec", "settings", "data")) {
                    if (description.containsKey(key)) {
                        run.put(key, description.get(key));
                    }
                }
                run.put(DATA_FINGERPRINT, data.toMap());
                run.put("status", "running");
                run.remove("message");
                run.remove("finished");
                run.put("resumed", RunJson.resumedWith(run, cp.step()));
                Json.write(folder.resolve(RUN_JSON), run);
            }
        } catch (IOException e) {
            throw outputFailure(e);
        }
        Trainer.Listener rows = row -> {
            csv.onRow(row);
            progress.onRow(row);
        };
        policy.start(System.nanoTime());
        Trainer.Boundary boundary = step -> {
            boolean stop = shutdown.requested();
            if (stop || policy.due(step, System.nanoTime())) {
                checkpoint(trainer, csv, initDir, initFiles, settings);
                policy.written(System.nanoTime());
            }
            return stop;
        };
        long at;
        try (csv) {
            try {
                at = trainer.run(rows, boundary);
            } catch (DivergenceException e) {
                finisher.beforeFinish(run, "diverged");
                RunJson.finish(folder, run, "diverged", trainer, e.getMessage());
                throw e;
            } catch (UncheckedIOException e) { // metrics.csv: its message names the file
                throw outputFailure(e.getMessage(), e.getCause());
            }
            if (at < trainer.settings().steps()) {
                csv.sync();
                run.put("status", "interrupted");
                run.put("steps_done", at);
                run.put("resume_with", resumeCommand());
                Json.write(folder.resolve(RUN_JSON), run);
                return new Outcome(
                        false,
                        at,
                        trainer.position().elapsedSeconds(),
                        trainer.position().probeSeconds(),
                        null);
            }
            saveParameters(net.parameters(), folder.folder("final"));
            csv.sync();
            finisher.beforeFinish(run, "finished");
            String loss = RunJson.finish(folder, run, "finished", trainer, null);
            Checkpoints.deleteAll(folder.root());
            return new Outcome(
                    true,
                    at,
                    trainer.position().elapsedSeconds(),
                    trainer.position().probeSeconds(),
                    loss);
        } catch (IOException e) {
            throw outputFailure(e);
        }
    }

    /** run.json's record of the training data ({@link CheckpointState.DataFingerprint}), checked on a restart. */
    public static final String DATA_FINGERPRINT = "data_fingerprint";

    private void checkpoint(
            Trainer trainer,
            MetricsCsv csv,
            Path initDir,
            Map<String, CheckpointManifest.Entry> initFiles,
            Map<String, Object> settings) {
        try {
            csv.sync(); // the rows the checkpoint follows are on disk before it
            Network net = trainer.network();
            CheckpointState state = new CheckpointState(
                    trainer.position(),
                    net.kind(),
                    names(net.parameters()),
                    names(net.extraState()),
                    CheckpointState.DataFingerprint.of(trainer.data()),
                    settings);
            Checkpoints.write(folder.root(), net, initDir, initFiles, state);
            lastCheckpoint = state.position().step();
        } catch (IOException e) {
            throw outputFailure(e);
        }
    }

    private OutputException outputFailure(IOException e) {
        String what = e instanceof java.nio.file.FileSystemException f && f.getFile() != null
                ? f.getFile()
                : folder.root().toString();
        return outputFailure("cannot write " + what + ": " + RunLock.reason(e), e);
    }

    private OutputException outputFailure(String problem, IOException e) {
        return new OutputException(
                problem + "; "
                        + (lastCheckpoint >= 0
                                ? "the checkpoint at step " + lastCheckpoint
                                        + " is kept: fix the folder and resume with: " + resumeCommand()
                                : "no checkpoint was written yet"),
                e);
    }

    private static List<String> names(List<Parameter> ps) {
        return ps.stream().map(Parameter::name).toList();
    }

    /** Writes every parameter as {@code dir/<name>.npy} (vectors as 1-D arrays). */
    public static void saveParameters(List<Parameter> params, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Parameter p : params) {
            Path file = dir.resolve(p.name() + ".npy");
            if (p.vector()) {
                Npy.write(file, p.value().asVector());
            } else {
                Npy.write(file, p.value());
            }
        }
    }

    /** Releases the folder. */
    @Override
    public void close() {
        lock.close();
    }
}
