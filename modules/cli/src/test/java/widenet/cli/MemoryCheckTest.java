package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 2: a run far beyond the machine is refused before anything is allocated, in one line with the
 * size asked, the estimate and what is available; --max-memory overrides what the machine says.
 */
class MemoryCheckTest {
    @TempDir
    Path tmp;

    private void refusedQuickly(String... args) {
        long t0 = System.nanoTime();
        TrainCommandTest.Result r = TrainCommandTest.run(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("needs about") && r.err().contains("is available"), r.err());
        assertFalse(r.err().contains("OutOfMemoryError") || r.err().contains("\tat "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(seconds < 5, "refused before allocating, in " + seconds + " s"); // < 1 s on a quiet machine
    }

    @Test
    void hugeRunsAreRefusedBeforeAllocating() {
        Path out = tmp.resolve("run");
        // 48 GB of weights, gradients, activations: more than any CI machine has; --max-memory makes it certain.
        refusedQuickly("train", "--width", "2000000", "--d", "1000", "--kernels", "scalar", "--out", out.toString());
        refusedQuickly(
                "train",
                "--width",
                "2000000",
                "--d",
                "1000",
                "--max-memory",
                "16g",
                "--kernels",
                "scalar",
                "--out",
                out.toString());
        refusedQuickly(
                "train", "--n", "100000000", "--max-memory", "16g", "--kernels", "scalar", "--out", out.toString());
        refusedQuickly(
                "train",
                "--model",
                "deep",
                "--n",
                "10",
                "--widths",
                "10,2000000000,1",
                "--max-memory",
                "16g",
                "--kernels",
                "scalar",
                "--out",
                out.toString());
        refusedQuickly(
                "train",
                "--model",
                "implicit",
                "--width",
                "100000",
                "--max-memory",
                "16g",
                "--kernels",
                "scalar",
                "--out",
                out.toString());
        assertFalse(Files.exists(out), "nothing was made");
    }

    /**
     * A sweep whose largest cell (widest grid width at the largest n), times the cells trained at once, does not fit
     * is refused before its folder or any cell exists (old code: OutOfMemoryError with a stack trace in a cell).
     */
    @Test
    void aSweepIsCheckedForItsLargestCellBeforeItStarts() {
        Path out = tmp.resolve("sweep");
        refusedQuickly(
                "sweep",
                "--n",
                "16",
                "--width-min",
                "2147483600",
                "--width-max",
                "2147483647",
                "--out",
                out.toString());
        TrainCommandTest.Result r = TrainCommandTest.run(
                "sweep",
                "--n",
                "16,64",
                "--d",
                "8",
                "--width-min",
                "4",
                "--width-max",
                "4096",
                "--cells-at-once",
                "3",
                "--max-memory",
                "1m",
                "--out",
                out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .startsWith(
                                "widenet: this sweep's largest cell (n = 64, d = 8, m = 4096) × 3 cells at once needs about"),
                r.err());
        assertFalse(Files.exists(out), "nothing was made");
    }

    @Test
    void maxMemoryOverridesTheMachinesFigure() {
        String[] small = TrainCommandTest.with(
                TrainCommandTest.SMALL, "--out", tmp.resolve("a").toString(), "--max-memory", "1k");
        TrainCommandTest.Result r = TrainCommandTest.run(small);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("but 1.0 KB is available (--max-memory)"), r.err());
        assertEquals(
                0,
                TrainCommandTest.run(TrainCommandTest.with(
                                TrainCommandTest.SMALL,
                                "--out",
                                tmp.resolve("b").toString(),
                                "--max-memory",
                                "1g"))
                        .code());
        TrainCommandTest.Result bad =
                TrainCommandTest.run(TrainCommandTest.with(TrainCommandTest.SMALL, "--max-memory", "lots"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--max-memory 'lots' is not a size"), bad.err());
    }
}
