package widenet.train.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import widenet.train.InputException;

/**
 * When a run writes a checkpoint, decided at step boundaries: every K steps, or when a wall-clock interval has
 * passed since the last one (the default, 60 s: cheap for long runs, never more often than the steps allow), or
 * never. A stop request (SIGINT/SIGTERM) writes one regardless.
 */
public final class CheckpointPolicy {
    public static final String DEFAULT = "60s";
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,10}(?:\\.[0-9]{1,9})?)(s|m|h)");
    private static final Pattern STEPS = Pattern.compile("[0-9]{1,18}");

    private final long everySteps; // > 0: by steps
    private final long everyNanos; // > 0: by time
    private final String text;
    private long lastNanos;

    private CheckpointPolicy(long everySteps, long everyNanos, String text) {
        this.everySteps = everySteps;
        this.everyNanos = everyNanos;
        this.text = text;
    }

    public static CheckpointPolicy everySteps(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("negative checkpoint interval " + k);
        }
        return k == 0 ? never() : new CheckpointPolicy(k, 0, Long.toString(k));
    }

    public static CheckpointPolicy everySeconds(double s) {
        if (!(s > 0) || s > 1e9) {
            throw new IllegalArgumentException("checkpoint interval must be positive seconds, got " + s);
        }
        return new CheckpointPolicy(0, (long) (s * 1e9), s + "s");
    }

    public static CheckpointPolicy never() {
        return new CheckpointPolicy(0, 0, "0");
    }

    /**
     * {@code K} (steps; 0 disables periodic checkpoints) or a duration {@code 30s}, {@code 5m}, {@code 1.5h}.
     * Anything else is an {@link InputException} quoting the value.
     */
    public static CheckpointPolicy parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (STEPS.matcher(v).matches()) {
            return everySteps(Long.parseLong(v));
        }
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            double x = Double.parseDouble(m.group(1))
                    * switch (m.group(2)) {
                        case "s" -> 1;
                        case "m" -> 60;
                        default -> 3600;
                    };
            if (x > 0 && x <= 1e9) {
                return new CheckpointPolicy(0, (long) (x * 1e9), v);
            }
        }
        String shown = value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
        throw new InputException("--checkpoint-every '" + shown.replaceAll("[^\\p{Print}]", "?")
                + "': expected a step count (e.g. 100; 0 disables) or a duration up to 10⁹ s (30s, 5m, 1.5h)");
    }

    public boolean enabled() {
        return everySteps > 0 || everyNanos > 0;
    }

    /** Starts the clock of a time-based policy. */
    public void start(long nowNanos) {
        lastNanos = nowNanos;
    }

    /** Whether a checkpoint is due at boundary {@code step}. Allocation-free. */
    public boolean due(long step, long nowNanos) {
        return everySteps > 0 ? step % everySteps == 0 : everyNanos > 0 && nowNanos - lastNanos >= everyNanos;
    }

    /** Records that a checkpoint was written at {@code nowNanos}. */
    public void written(long nowNanos) {
        lastNanos = nowNanos;
    }

    @Override
    public String toString() {
        return !enabled() ? "off" : everySteps > 0 ? "every " + everySteps + " steps" : "every " + text;
    }
}
