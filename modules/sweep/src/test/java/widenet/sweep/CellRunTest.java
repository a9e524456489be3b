package widenet.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.LossKind;
import widenet.train.InputException;
import widenet.train.internal.CheckpointPolicy;

/**
 * A sweep cell interrupted mid-run (cancelled, as a stopped sweep cancels its cells) resumes from the checkpoint in
 * its folder and ends with exactly the result of an uninterrupted run; its checkpoints are gone once it has ended.
 */
class CellRunTest {
    @TempDir
    Path tmp;

    /** One cell of 3000 steps at a target it never reaches: runs every step (about a second). */
    static final SweepSettings SETTINGS =
            new SweepSettings(List.of(16), 8, 0, 1, 0, 0.05, 3000, 1e-9, 2, 64, 1, 1.0, LossKind.SUM, "scalar", 1);

    static final Cell CELL = new Cell(16, 24, 3);

    /** The newest checkpoint's step, 0 if none. */
    static long newestCheckpoint(Path cellDir) {
        try (Stream<Path> s = Files.list(cellDir.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("step-"))
                    .mapToLong(n -> Long.parseLong(n.substring(5)))
                    .max()
                    .orElse(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    static void assertSameResult(CellResult expected, CellResult actual) {
        assertEquals(expected.status(), actual.status());
        assertEquals(
                Double.doubleToRawLongBits(expected.lossInitial()), Double.doubleToRawLongBits(actual.lossInitial()));
        assertEquals(Double.doubleToRawLongBits(expected.lossFinal()), Double.doubleToRawLongBits(actual.lossFinal()));
        assertEquals(expected.stepReached(), actual.stepReached());
        assertEquals(expected.stepsRun(), actual.stepsRun());
        assertEquals(expected.toMap().keySet(), actual.toMap().keySet());
    }

    /** Runs the cell in a thread, interrupts it once it has written a new checkpoint; what it threw. */
    static Throwable runAndInterrupt(SweepSettings s, Path dir, AtomicLong resumed) throws InterruptedException {
        long after = newestCheckpoint(dir);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                CellRun.run(s, CELL, dir, CheckpointPolicy.everySteps(97), resumed::set);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (newestCheckpoint(dir) <= after && t.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for a checkpoint");
            Thread.sleep(2);
        }
        t.interrupt();
        t.join(60_000);
        assertFalse(t.isAlive());
        return thrown.get();
    }

    @Test
    void cancelledCellResumesFromItsCheckpointBitIdentical() throws Exception {
        CellResult reference = CellRun.run(SETTINGS, CELL);
        assertEquals(CellResult.NOT_REACHED, reference.status());
        Path dir = tmp.resolve("cells").resolve(CELL.dirName());
        for (int cut = 0; cut < 3; cut++) { // interrupted three times, each after a new checkpoint
            AtomicLong resumed = new AtomicLong(-1);
            Throwable e = runAndInterrupt(SETTINGS, dir, resumed);
            assertInstanceOf(CancellationException.class, e, () -> "still running when interrupted: " + e);
            assertEquals(cut > 0, resumed.get() > 0, "resumed from the previous cut's checkpoint");
        }
        assertTrue(newestCheckpoint(dir) > 0);
        AtomicLong resumed = new AtomicLong(-1);
        CellResult r = CellRun.run(SETTINGS, CELL, dir, CheckpointPolicy.everySteps(97), resumed::set);
        assertTrue(resumed.get() > 0, "the last run resumed");
        assertSameResult(reference, r);
        assertFalse(Files.exists(dir.resolve("checkpoints")), "checkpoints removed when the cell ends");
        assertFalse(Files.exists(dir.resolve("init")));
    }

    @Test
    void aCheckpointFromOtherSettingsIsRefusedNamingTheSetting() throws Exception {
        Path dir = tmp.resolve("cell");
        assertInstanceOf(CancellationException.class, runAndInterrupt(SETTINGS, dir, new AtomicLong()));
        SweepSettings other =
                new SweepSettings(List.of(16), 8, 0, 1, 0, 0.04, 3000, 1e-9, 2, 64, 1, 1.0, LossKind.SUM, "scalar", 1);
        InputException e = assertThrows(
                InputException.class, () -> CellRun.run(other, CELL, dir, CheckpointPolicy.never(), s -> {}));
        assertTrue(e.getMessage().contains("checkpointed with lr = 0.05, the sweep now has 0.04"), e.getMessage());
    }
}
