package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --data-parallel}'s checks, made before any engine starts, and the message on the module path, where the
 * Spark adapter cannot be (bin/widenet starts it on the class path; widenet-spark's tests run it).
 */
class DataParallelOptionsTest {
    @TempDir
    Path dir;

    private String fails(String... args) {
        StringWriter sw = new StringWriter();
        int code = Main.run(new PrintWriter(sw, true), args);
        String err = sw.toString().strip();
        assertEquals(Main.EXIT_INPUT, code, err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertFalse(err.contains("Exception"), err);
        return err;
    }

    private String[] train(String... more) {
        String[] base = {
            "train",
            "--n",
            "8",
            "--d",
            "4",
            "--width",
            "8",
            "--steps",
            "1",
            "--quiet",
            "--out",
            dir.resolve("r").toString()
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void badCombinationsAreOneLineInputErrors() {
        assertEquals(
                "widenet: unknown --data-parallel 'flink'; available: none, spark",
                fails(train("--data-parallel", "flink")));
        assertTrue(fails(train("--master", "local[2]")).contains("--master applies only with --data-parallel spark"));
        assertTrue(fails(train("--partitions", "2")).contains("--partitions applies only with --data-parallel spark"));
        assertTrue(fails(train("--data-parallel", "spark", "--partitions", "0"))
                .contains("--partitions must be at least 1, got 0"));
        assertTrue(fails(train("--data-parallel", "spark", "--theory", "on"))
                .contains("with --data-parallel use --theory off"));
        assertTrue(fails(train("--data-parallel", "spark", "--batch", "4"))
                .contains("runs full-batch GD; --batch 4 is not the n = 8 samples"));
        assertTrue(fails(train("--data-parallel", "spark", "--partitions", "9"))
                .contains("--partitions 9 is more than the n = 8 samples"));
        assertTrue(fails("train", "--model", "deep", "--widths", "4,8,1", "--data-parallel", "spark")
                .contains("--data-parallel spark trains --model two-layer, not deep"));
    }

    @Test
    void withoutTheAdapterTheMessageSaysHowToStartIt() {
        String err = fails(train("--data-parallel", "spark", "--master", "local[2]"));
        assertTrue(
                err.contains("the spark adapter (widenet-spark) is not on the class path")
                        && err.contains("bin/widenet"),
                err);
        assertFalse(Files.exists(dir.resolve("r/metrics.csv")), "nothing trained");
    }
}
