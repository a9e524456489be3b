package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 1: a smooth-leaky-relu deep run gives the same bits in every fresh JVM, whatever the JIT
 * compiles when. Before the fix the vector EXP/LOG of the SIMD activation gave other bits interpreted, C1- and
 * C2-compiled, so 8 identical runs gave 7 different final weights. Child JVMs on this test's module path:
 * <ul>
 *   <li>the run (100 steps) with default tiered compilation and, fresh, with C2 only
 *       ({@code -XX:-TieredCompilation}: interpreter then C2, no C1): identical final weights;</li>
 *   <li>its first 20 steps with default tiers and with C1 only ({@code -XX:TieredStopAtLevel=1}, never C2):
 *       identical final weights, and their metrics (loss, rate, distances) equal to the 100-step run's
 *       first 21 rows.</li>
 * </ul>
 */
class SmoothActivationDeterminismTest {
    @TempDir
    Path tmp;

    private static final String[] RUN = {
        "train",
        "--model",
        "deep",
        "--n",
        "256",
        "--widths",
        "64,256,64,1",
        "--activation",
        "smooth-leaky-relu:0.1:10",
        "--lr",
        "0.002",
        "--seed",
        "5",
        "--kernels",
        "simd",
        "--threads",
        "1",
        "--quiet"
    };

    @Test
    void bitIdenticalAcrossFreshJvmsAndCompilers() throws Exception {
        Path tiered = tmp.resolve("tiered"),
                c2 = tmp.resolve("c2"),
                short1 = tmp.resolve("short"),
                c1 = tmp.resolve("c1");
        // Two at a time: the machine has two cores and each run uses one thread.
        runBoth(start(tiered, List.of(), "100"), start(c2, List.of("-XX:-TieredCompilation"), "100"));
        runBoth(start(short1, List.of(), "20"), start(c1, List.of("-XX:TieredStopAtLevel=1"), "20"));
        for (String w : List.of("W1", "W2", "W3")) {
            assertArrayEquals(
                    Files.readAllBytes(tiered.resolve("final/" + w + ".npy")),
                    Files.readAllBytes(c2.resolve("final/" + w + ".npy")),
                    w + ": tiered vs C2-only, 100 steps");
            assertArrayEquals(
                    Files.readAllBytes(short1.resolve("final/" + w + ".npy")),
                    Files.readAllBytes(c1.resolve("final/" + w + ".npy")),
                    w + ": tiered vs C1-only, 20 steps");
        }
        List<String> full = metrics(tiered), first = metrics(short1), onlyC1 = metrics(c1);
        assertEquals(21, first.size());
        assertEquals(first, onlyC1, "metrics, tiered vs C1-only");
        assertEquals(first, full.subList(0, 21), "the 20-step run's metrics are the 100-step run's first rows");
    }

    private Process start(Path out, List<String> jvm, String steps) throws IOException {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "tests run on the module path");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-p", modulePath, "-m", "widenet.cli/widenet.cli.Main"));
        cmd.addAll(Arrays.asList(RUN));
        cmd.addAll(List.of("--steps", steps, "--out", out.toString()));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(out.getFileName() + ".log").toFile())
                .start();
    }

    private void runBoth(Process a, Process b) throws Exception {
        for (Process p : List.of(a, b)) {
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), () -> {
                try (var logs = Files.list(tmp)) {
                    return logs.filter(f -> f.toString().endsWith(".log"))
                            .map(f -> {
                                try {
                                    return f + ":\n" + Files.readString(f);
                                } catch (IOException e) {
                                    return f + ": " + e;
                                }
                            })
                            .reduce("", String::concat);
                } catch (IOException e) {
                    return e.toString();
                }
            });
        }
    }

    /**
     * metrics.csv rows, first 10 columns (step, epoch, loss, rate, the distances): not the timings, nor the theory
     * columns, which a run fills on its own last row.
     */
    private static List<String> metrics(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(lines.get(0).startsWith("step,epoch,loss,rate,w1_dist,w2_dist,w3_dist,"), lines.get(0));
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(String.join(",", Arrays.copyOf(line.split(","), 10)));
        }
        return rows;
    }
}
