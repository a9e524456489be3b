package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.reproduce.MarkdownTable;
import widenet.train.internal.Checkpoints;
import widenet.train.internal.Json;

/**
 * A killed reproduction continues: the same {@code widenet reproduce} command on the same {@code --out} keeps the
 * finished variants, resumes the one that was killed from its checkpoint and ends bit-identical to an uninterrupted
 * reproduction; other options are refused naming the one that differs; SIGTERM stops it with a checkpoint and says
 * how to continue.
 */
class ReproduceResumeTest {
    @TempDir
    Path tmp;

    /** A --quick du2019 cut down to two widths and 40 steps, single-threaded scalar kernels (a few seconds). */
    static final List<String> DU = List.of(
            "reproduce",
            "du2019",
            "--quick",
            "--widths",
            "128,256",
            "--steps",
            "40",
            "--kernels",
            "scalar",
            "--threads",
            "1");

    static String[] du(Path out, String... more) {
        List<String> a = new ArrayList<>(DU);
        a.addAll(List.of("--out", out.toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    /** {@link #du(Path, String...)} with {@code option}'s value replaced. */
    static String[] duWith(Path out, String option, String value) {
        String[] a = du(out);
        assertTrue(Arrays.asList(a).contains(option), option);
        a[Arrays.asList(a).indexOf(option) + 1] = value;
        return a;
    }

    Process start(String name, String... args) throws IOException {
        return ResilienceTest.startCli(tmp, name, args);
    }

    String read(String file) throws IOException {
        return Files.readString(tmp.resolve(file), StandardCharsets.UTF_8);
    }

    static void assertSameReproduction(Path ref, Path run) throws IOException {
        for (String variant : List.of("m128", "m256")) {
            ResilienceTest.assertSameResults(ref.resolve(variant), run.resolve(variant));
        }
        for (String s : List.of("loss", "pattern_change", "w_dist_max_row", "predictions", "final_vs_width")) {
            assertArrayEquals(
                    Files.readAllBytes(ref.resolve("series/" + s + ".csv")),
                    Files.readAllBytes(run.resolve("series/" + s + ".csv")),
                    "series/" + s + ".csv");
        }
        assertEquals(
                List.of("m128", "m256"),
                ((List<?>) Json.read(run.resolve("reproduction.json")).get("runs")).subList(0, 2));
    }

    @Test
    void killedMidVariantAndRerunEndsBitIdentical() throws Exception {
        Path ref = tmp.resolve("ref"), run = tmp.resolve("killed");
        assertEquals(0, Main.run(du(ref)));

        // Every checkpoint write stalls 40 ms (a test-only property), so the ≥ 37 steps left after step 3 take over
        // 1.4 s and the kill below lands mid-variant however fast the disk is.
        Process p = ResilienceTest.startCli(
                tmp, "first", List.of("-D" + Checkpoints.STALL_PROPERTY + "=40"), du(run, "--checkpoint-every", "1"));
        Path second = run.resolve("m256");
        ResilienceTest.await(() -> ResilienceTest.newestCheckpoint(second) >= 3, p, "a checkpoint of the second width");
        Thread.sleep(new Random(42).nextInt(150));
        assertTrue(p.isAlive(), "the reproduction ended before the kill");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("finished", Json.read(run.resolve("m128/run.json")).get("status"));
        assertTrue(
                ResilienceTest.newestCheckpoint(second) >= 3, "killed mid-variant, with a checkpoint to resume from");

        // Other settings are refused, naming the setting; the folder stays resumable.
        TrainCommandTest.Result r = TrainCommandTest.run(duWith(run, "--steps", "30"));
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err().contains("the reproduction in " + run + " was run with --steps 40, not with --steps 30"),
                r.err());
        r = TrainCommandTest.run(duWith(run, "--threads", "2"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("was run with --threads 1, not with --threads 2"), r.err());
        List<String> noQuick = new ArrayList<>(Arrays.asList(du(run)));
        noQuick.remove("--quick");
        r = TrainCommandTest.run(noQuick.toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("was run with --quick, not without --quick"), r.err());

        String log = TheoryCommandTest.stdout(() -> assertEquals(0, Main.run(du(run))));
        assertTrue(log.contains("[1/7] m128: finished earlier, kept"), log);
        assertTrue(log.contains("[2/7] m256: resuming: widenet train"), log);
        assertSameReproduction(ref, run);
        assertSameTimings(run); // m256 resumed after a kill: its seconds span both sessions, reported once
    }

    @Test
    void sigtermStopsWithACheckpointAndSaysHowToContinue() throws Exception {
        Path ref = tmp.resolve("ref"), run = tmp.resolve("stopped");
        assertEquals(0, Main.run(du(ref)));
        Process p = start("run", du(run, "--checkpoint-every", "1"));
        ResilienceTest.await(
                () -> ResilienceTest.newestCheckpoint(run.resolve("m128")) >= 3, p, "a checkpoint of the first width");
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), read("run.err"));
        String err = read("run.err");
        assertTrue(err.contains("widenet: interrupted in m128 at step "), err);
        assertFalse(err.contains("resume with"), "one way to continue is given, the reproduction's: " + err);
        assertTrue(
                err.strip()
                        .endsWith("continue with: widenet reproduce "
                                + String.join(" ", du(run, "--checkpoint-every", "1"))
                                        .substring("reproduce ".length())),
                err);
        assertEquals(0, Main.run(du(run)));
        assertSameReproduction(ref, run);
        assertSameTimings(run);
    }

    /**
     * A resumed reproduction reports each variant's gradient-descent and theory seconds once: summary.md's per-width
     * row shows the numbers reproduction.json's run_details records (both read from the variant's run.json).
     */
    @SuppressWarnings("unchecked")
    private static void assertSameTimings(Path run) throws Exception {
        String all = Files.readString(run.resolve("summary.md"));
        String summary = all.substring(
                all.indexOf("## Per width")); // the per-width table (the figure search has rows per m too)
        List<Map<String, Object>> details = (List<Map<String, Object>>)
                Json.read(run.resolve("reproduction.json")).get("run_details");
        assertEquals(
                7, details.size(), "2 widths, 2 more step sizes of the figure search each, and the mean-loss twin");
        for (Map<String, Object> d : details.subList(0, 2)) {
            String m = ((String) d.get("name")).substring(1);
            String row = summary.lines()
                    .filter(l -> l.startsWith("| " + m + " |"))
                    .findFirst()
                    .orElseThrow();
            String gd = MarkdownTable.num(((Number) d.get("gd_seconds")).doubleValue());
            String theory = MarkdownTable.num(((Number) d.get("theory_seconds")).doubleValue());
            assertTrue(row.endsWith("| " + gd + " | " + theory + " |"), row + " vs gd " + gd + ", theory " + theory);
        }
    }
}
