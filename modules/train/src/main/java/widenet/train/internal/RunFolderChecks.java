package widenet.train.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import widenet.files.DurableFiles;
import widenet.files.FileErrors;
import widenet.train.InputException;
import widenet.train.OutputException;
import widenet.train.RunSpecJson;

/**
 * What a run folder must agree on before a run continues in it, and the leftovers a killed process may leave there:
 * run.json against the checkpoint (the same run, its data wherever they are now), temporary files of interrupted
 * writes, and the checkpoints of a run that finished (a kill between its closing run.json and their removal).
 */
public final class RunFolderChecks {
    private RunFolderChecks() {}

    /**
     * Every name widenet writes in a training run's folder. {@code --force} removes these (and only these) before
     * a new run starts, so that nothing of an earlier run (another model's {@code init/} arrays, an old
     * {@code theory.json} or {@code report.html}) is left to be mixed with the new one.
     */
    public static final java.util.Set<String> OWN_FILES = java.util.Set.of(
            RunLock.FILE,
            TrainingRun.RUN_JSON,
            TrainingRun.METRICS,
            "init",
            "final",
            Checkpoints.FOLDER,
            "theory.json",
            "report.html");

    /** Removes an earlier run's files from {@code dir}, or refuses (before removing anything) if foreign files are there. */
    static void clearEarlierRun(Path dir) throws IOException {
        List<String> foreign = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isSymbolicLink(p)) {
                    foreign.add(name + " (a symbolic link)");
                } else if (!OWN_FILES.contains(name) && !DurableFiles.isTemporary(name)) {
                    foreign.add(name);
                }
            }
        }
        if (!foreign.isEmpty()) {
            throw new InputException(
                    "--force: " + dir + " holds " + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                            + (foreign.size() > 5 ? " and " + (foreign.size() - 5) + " more" : "")
                            + ", which widenet did not write; --force only replaces an earlier run's own files: move them away or choose another --out");
        }
        for (String name : OWN_FILES) {
            if (!name.equals(RunLock.FILE)) {
                DurableFiles.deleteRecursively(dir.resolve(name));
            }
        }
        DurableFiles.forceFolder(dir);
    }

    /**
     * Removes what a killed writer left in a run folder (held by its lock): the temporary files of interrupted
     * durable writes in the folder, {@code init/} and {@code final/}, and partial checkpoint folders.
     */
    public static void removeTemporaries(Path dir) throws IOException {
        DurableFiles.removeTemporaries(dir);
        DurableFiles.removeTemporaries(dir.resolve("init"));
        DurableFiles.removeTemporaries(dir.resolve("final"));
        Checkpoints.clearPartials(dir);
    }

    /**
     * Removes the checkpoints a finished run in {@code dir} still has: a process killed between
     * writing its closing run.json and removing them leaves them behind. Only checkpoints of that very run go (their
     * spec is run.json's): anything else (a damaged checkpoint, one of another run under a run.json copied in) is
     * left, and the returned line says why. Null when there was nothing to do or all went; nothing is done while
     * another process holds the folder.
     */
    public static String tidyFinished(Path dir) {
        TrainingRun.Status s = TrainingRun.status(dir);
        // A diverged run keeps its last checkpoints on purpose: the weights before the divergence (predict --step).
        if (s != TrainingRun.Status.FINISHED || !Files.exists(Checkpoints.folder(dir))) {
            return null;
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(dir);
        } catch (RuntimeException e) {
            return null; // in use, or not writable: left for the next time
        }
        try (lock) {
            if (TrainingRun.status(dir) != s) {
                return null;
            }
            for (long step : Checkpoints.steps(Checkpoints.folder(dir))) {
                try {
                    requireRunJsonAgrees(
                            dir, Checkpoints.load(Checkpoints.folder(dir).resolve(Checkpoints.stepName(step))));
                } catch (InputException e) {
                    return "warning: the " + s.name().toLowerCase() + " run's " + Checkpoints.folder(dir)
                            + " is left as it is: " + e.getMessage();
                }
            }
            Checkpoints.deleteAll(dir);
            removeTemporaries(dir);
            DurableFiles.forceFolder(dir);
            return null;
        } catch (IOException e) {
            throw new OutputException(
                    "cannot remove the finished run's checkpoints: " + FileErrors.describe(Checkpoints.folder(dir), e),
                    e);
        }
    }

    /** Whether {@code dir} holds nothing but a lock file and temporary files (a run killed as it began). */
    static boolean holdsOnlyLeftovers(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .allMatch(n -> n.equals(RunLock.FILE) || DurableFiles.isTemporary(n));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Spec fields that may differ between run.json and a checkpoint of the same run: the checkpoint cadence (it only
     * steers the run) and where the data files are (a run resumed with its data moved records the new place; the
     * content is checked by its CRC32, {@link CheckpointState.DataFingerprint}).
     */
    public static final java.util.Set<String> LOCATION_FIELDS =
            java.util.Set.of("checkpoint_every", "data.x", "data.y", "data.test_x", "data.test_y");

    /**
     * Refuses to resume when run.json's spec is not the one the checkpoint recorded (a field edited by hand, or a
     * run.json copied from another run), naming the first field that differs: training would follow the
     * checkpoint, and run.json would describe a run that never happened. An unreadable run.json is rebuilt from
     * the checkpoint instead.
     */
    static void requireRunJsonAgrees(Path dir, Checkpoint cp) {
        Map<String, Object> kept = cp.state().settings();
        Map<String, Object> run;
        try {
            run = Json.read(dir.resolve(TrainingRun.RUN_JSON));
        } catch (IOException | RuntimeException e) {
            return;
        }
        String key = kept.containsKey(RunSpecJson.SCHEMA_VERSION) ? "spec" : "settings";
        Path file = dir.resolve(TrainingRun.RUN_JSON);
        String fix = ": run.json was edited or belongs to another run; put the original back, or delete " + file
                + " (resuming rebuilds it from the checkpoint)";
        if (!(run.get(key) instanceof Map<?, ?> recorded)) {
            throw new InputException(file + " has no \"" + key + "\" object, but the checkpoint at step " + cp.step()
                    + " records one" + fix);
        }
        for (RunSpecJson.Difference d : RunSpecJson.differences(recorded, kept)) {
            if (!LOCATION_FIELDS.contains(d.field())) {
                throw new InputException(file + ": " + key + "." + d.field() + " is " + show(d.was())
                        + " there, but the checkpoint at step " + cp.step() + " (" + cp.dir() + ") was made with "
                        + show(d.now()) + fix);
            }
        }
    }

    private static String show(Object v) {
        return v instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(v);
    }
}
