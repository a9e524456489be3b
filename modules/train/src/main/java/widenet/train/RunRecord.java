package widenet.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import widenet.train.internal.Json;
import widenet.train.internal.TrainingRun;

/**
 * What a run did, as its {@code run.json} records it: status ({@code finished}, {@code interrupted},
 * {@code diverged}), steps done, final loss, and its time, each defined once here:
 * <ul>
 * <li>{@code train_seconds}: wall time of the training loop, over every session of the run;</li>
 * <li>{@code probe_seconds}: the part of it spent in the theory probes (every probe, every session);</li>
 * <li>{@code gd_seconds} = train − probe: gradient descent itself;</li>
 * <li>{@code theory_setup_seconds}: theory outside the loop in the last session (H∞ and its eigenvectors);</li>
 * <li>{@code theory_seconds} = setup + probe.</li>
 * </ul>
 */
public record RunRecord(
        Path folder,
        String status,
        long steps,
        double trainSeconds,
        double probeSeconds,
        double theorySetupSeconds,
        String finalLoss) {
    public static final String FINISHED = "finished";
    public static final String INTERRUPTED = "interrupted";

    public double gdSeconds() {
        return trainSeconds - probeSeconds;
    }

    public double theorySeconds() {
        return theorySetupSeconds + probeSeconds;
    }

    public boolean finished() {
        return status.equals(FINISHED);
    }

    public boolean interrupted() {
        return status.equals(INTERRUPTED);
    }

    /** Puts the timings into run.json's map. */
    void putTimings(Map<String, Object> run) {
        run.put("train_seconds", trainSeconds);
        run.put("probe_seconds", probeSeconds);
        run.put("gd_seconds", gdSeconds());
        run.put("theory_setup_seconds", theorySetupSeconds);
        run.put("theory_seconds", theorySeconds());
    }

    /** The record of the run in {@code dir}, from its run.json. */
    public static RunRecord read(Path dir) throws IOException {
        Map<String, Object> run = Json.read(dir.resolve(TrainingRun.RUN_JSON));
        double train = number(run, "train_seconds");
        // probe_seconds covers every probe over every session; runs written before it was recorded have only the
        // two-layer theory probes' time of their last session
        double probe =
                run.containsKey("probe_seconds") ? number(run, "probe_seconds") : number(run, "theory_probe_seconds");
        double setup = run.containsKey("theory_setup_seconds")
                ? number(run, "theory_setup_seconds")
                : Math.max(0, number(run, "theory_seconds") - number(run, "theory_probe_seconds"));
        Object loss = run.get("final_loss");
        Object steps = run.get("steps_done");
        return new RunRecord(
                dir,
                String.valueOf(run.get("status")),
                steps instanceof Number s ? s.longValue() : 0,
                train,
                probe,
                setup,
                loss instanceof Number x
                        ? widenet.files.Csv.format(x.doubleValue())
                        : loss == null ? null : loss.toString()); // older run.json files hold it as a string
    }

    private static double number(Map<String, Object> run, String key) {
        return run.get(key) instanceof Number x ? x.doubleValue() : 0;
    }
}
