package widenet.cli;

import picocli.CommandLine.Option;
import widenet.train.MemoryEstimate;

/** {@code --max-memory}: the memory a run may use, instead of what the machine has available now. */
final class MemoryOptions {
    @Option(
            names = "--max-memory",
            paramLabel = "SIZE",
            description = "Memory the run may use (e.g. 512m, 16g), checked against its estimate before anything is"
                    + " allocated (default: the memory available now).")
    String maxMemory;

    /** Refuses {@code estimate} (an input error naming {@code what}) when it does not fit. */
    void check(String what, MemoryEstimate estimate) {
        estimate.check(what, maxMemory == null ? null : MemoryEstimate.parseSize(maxMemory));
    }
}
