package widenet.sweep;

import java.nio.file.Path;

/**
 * How a sweep trains one cell: here, on this JVM ({@link #local()}), or handed to something else (a cluster
 * member) that trains it with {@link #local()} and hands the result back. A cell's result depends only on the
 * settings and the cell, so every executor returns the same numbers (its {@code seconds} aside).
 */
@FunctionalInterface
public interface CellExecutor {

    /**
     * Trains {@code cell} and returns its result; called from the sweep's chain threads, several at once.
     * Throws {@link java.util.concurrent.CancellationException} when the calling thread is interrupted.
     */
    CellResult run(SweepSettings settings, Cell cell);

    /**
     * Trains {@code cell} given its folder on this machine, {@code cells/<n>-<m>-<seed>/}: an executor that trains
     * here keeps the cell's checkpoints there, so an interrupted cell resumes; one that hands the cell elsewhere
     * has no use for it.
     */
    default CellResult run(SweepSettings settings, Cell cell, Path cellDir) {
        return run(settings, cell);
    }

    /** Trains the cell on this JVM, on its own kernels with {@code settings.threadsPerCell()} threads. */
    static CellExecutor local() {
        return LocalCells.INSTANCE;
    }
}
