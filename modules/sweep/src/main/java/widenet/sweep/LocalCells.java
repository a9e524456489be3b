package widenet.sweep;

import java.nio.file.Path;

/** {@link CellExecutor#local()}: trains cells on this JVM, checkpointing in the cell's folder when it has one. */
final class LocalCells implements CellExecutor {
    static final LocalCells INSTANCE = new LocalCells();

    private LocalCells() {}

    @Override
    public CellResult run(SweepSettings settings, Cell cell) {
        return CellRun.run(settings, cell);
    }

    @Override
    public CellResult run(SweepSettings settings, Cell cell, Path cellDir) {
        return CellRun.run(settings, cell, cellDir);
    }
}
