package widenet.cli;

import picocli.CommandLine.Option;
import widenet.train.InputException;

/** {@code --threads}: the kernels' worker threads, as {@code train}, {@code theory} and {@code reproduce} take it. */
final class ThreadOptions {
    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    /** The number of threads: --threads, or all cores. */
    int count() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Refuses --threads below 1. */
    void validate() {
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be at least 1, got " + threads);
        }
    }
}
