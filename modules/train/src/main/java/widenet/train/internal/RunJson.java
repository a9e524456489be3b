package widenet.train.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.files.FileErrors;
import widenet.train.CheckpointException;
import widenet.train.InputException;
import widenet.train.RunFolder;
import widenet.train.RunSpecJson;
import widenet.train.Trainer;

/**
 * What a {@link TrainingRun} records of itself in its folder besides the checkpoints: {@code run.json} (read back on a
 * restart or resume, its list of resumptions, its closing record with the final loss), the settings checkpoints keep
 * of it and the check that a restarted run trains on the same data.
 */
final class RunJson {
    private RunJson() {}

    /** The run.json a run stopped before its first checkpoint recorded, to restart it by. */
    static Map<String, Object> readRecorded(Path dir) {
        Path file = dir.resolve(TrainingRun.RUN_JSON);
        try {
            return Json.read(file);
        } catch (IOException e) {
            throw new InputException("cannot restart the run in " + dir + ": " + FileErrors.describe(file, e), e);
        }
    }

    /** A restarted run must train on the data its first start recorded (the same content, wherever it is now). */
    static void requireSameData(RunFolder folder, Map<String, Object> before, CheckpointState.DataFingerprint now) {
        if (before.get(TrainingRun.DATA_FINGERPRINT) instanceof Map<?, ?> m) {
            CheckpointState.DataFingerprint was = CheckpointState.DataFingerprint.fromMap(
                    m, folder.resolve(TrainingRun.RUN_JSON).toString());
            if (!was.equals(now)) {
                throw new CheckpointException(
                        folder.resolve(TrainingRun.RUN_JSON) + ": the training data differ from the run's (now "
                                + now.describe() + "; the run's " + was.describe() + "): was an --x/--y file changed?");
            }
        }
    }

    /** {@code run}'s list of resumptions with one more, at {@code step}. */
    @SuppressWarnings("unchecked")
    static List<Object> resumedWith(Map<String, Object> run, long step) {
        List<Object> resumed =
                run.get("resumed") instanceof List<?> l ? new ArrayList<>((List<Object>) l) : new ArrayList<>();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("step", step);
        entry.put("at", Instant.now().toString());
        resumed.add(entry);
        return resumed;
    }

    /** What checkpoints keep of the run's description: its {@code "spec"} if it has one, else its {@code "settings"}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> settingsOf(Map<String, Object> run) {
        if (run.get("spec") instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        if (run.get("settings") instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("run description has neither a \"spec\" nor a \"settings\" object");
    }

    /**
     * A resumed run's run.json as it is in {@code folder}, or (unreadable) {@code fallback} with the settings the
     * checkpoint {@code cp} kept.
     */
    static Map<String, Object> readRunJson(RunFolder folder, Map<String, Object> fallback, Checkpoint cp) {
        try {
            return new LinkedHashMap<>(Json.read(folder.resolve(TrainingRun.RUN_JSON)));
        } catch (IOException | InputException e) {
            Map<String, Object> run = new LinkedHashMap<>(fallback);
            Map<String, Object> kept = cp.state().settings();
            run.put(kept.containsKey(RunSpecJson.SCHEMA_VERSION) ? "spec" : "settings", kept);
            return run;
        }
    }

    /**
     * Writes the closing run.json in {@code folder}: {@code status}, the message (if any), the times and the final
     * loss; returns that loss as the last metrics row wrote it (null before the first row).
     */
    static String finish(RunFolder folder, Map<String, Object> run, String status, Trainer trainer, String message)
            throws IOException {
        double seconds = trainer.position().elapsedSeconds();
        run.put("status", status);
        if (message != null) {
            run.put("message", message);
        }
        run.remove("resume_with");
        run.put("finished", Instant.now().toString());
        run.put("steps_done", trainer.stepsDone());
        run.put("train_seconds", seconds);
        run.put("probe_seconds", trainer.position().probeSeconds()); // of train_seconds, over every session
        run.put("ms_per_step", trainer.stepsDone() == 0 ? null : 1e3 * seconds / trainer.stepsDone());
        String loss = lastLoss(folder);
        // A number (the exact double: JSON's shortest form round-trips), or null when the loss is not finite (a
        // diverged run: JSON has no NaN or ∞; the message and the last metrics row say which).
        double value = loss == null ? Double.NaN : widenet.files.Csv.parse(loss);
        run.put("final_loss", Double.isFinite(value) ? (Object) value : null);
        Json.write(folder.resolve(TrainingRun.RUN_JSON), run);
        return loss;
    }

    /** The loss of the last metrics row, as written. */
    private static String lastLoss(RunFolder folder) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve(TrainingRun.METRICS));
        return lines.size() < 2 ? null : lines.get(lines.size() - 1).split(",")[2];
    }
}
