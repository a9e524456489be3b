package widenet.train;

import java.util.List;

/**
 * What a caller of {@link Runs} hears while a run goes: log lines, warnings, and the metrics rows between
 * {@link #started} and {@link #stopped} (e.g. to drive a progress bar). Every method does nothing by default.
 */
public interface RunListener extends Trainer.Listener {
    RunListener SILENT = new RunListener() {};

    /** A line of the run's log (settings, theory facts, the result). */
    default void log(String line) {}

    /** Something the user should know that does not stop the run (e.g. a damaged checkpoint passed over). */
    default void warning(String message) {}

    /** The trainer is about to run: its columns and its step count. */
    default void started(List<String> columns, long steps) {}

    @Override
    default void onRow(Trainer.Row row) {}

    /** The training loop ended (finished, stopped or failed); no more rows. */
    default void stopped() {}
}
