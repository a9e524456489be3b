package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.Gaussian;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;
import widenet.train.internal.Json;

/**
 * Issue 17, findings 6, 7 and 12: a run resumes from any moment (killed before its first checkpoint, before it wrote
 * run.json, with its closing run.json lost, after it), from any working folder, with its data moved, and never
 * against a run.json that is not its own. Real processes where the working folder or a kill matters.
 */
class ResumeFromAnyMomentTest {
    @TempDir
    Path tmp;

    /** Small and quick; no periodic checkpoints unless a test adds them. */
    static final String[] RUN = {
        "--n",
        "40",
        "--d",
        "12",
        "--width",
        "64",
        "--steps",
        "60",
        "--lr",
        "0.3",
        "--seed",
        "3",
        "--kernels",
        "scalar",
        "--threads",
        "1",
        "--quiet"
    };

    static String[] train(String[] base, String... more) {
        return ResilienceTest.args(base, more);
    }

    /** {@code widenet ARGS} in a child JVM whose working folder is {@code cwd}, output in {@code tmp/name.out|err}. */
    Process startIn(Path cwd, String name, String... args) throws IOException {
        String modulePath = System.getProperty("jdk.module.path");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-p",
                modulePath,
                "-m",
                "widenet.cli/widenet.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(ResilienceTest.withDefaultSignals(cmd))
                .directory(cwd.toFile())
                .redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile())
                .start();
    }

    /** The child's stderr without the JVM's own incubator-module line. */
    String err(String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".err"), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /** Runs {@code args} in {@code cwd} to its end: its exit code. */
    int runIn(Path cwd, String name, String... args) throws Exception {
        Process p = startIn(cwd, name, args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not end");
        return p.exitValue();
    }

    /** X (n×d on the unit sphere's neighbourhood) and y written as X.npy, y.npy in {@code dir}. */
    static void writeData(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(seed);
        try (FloatMatrix x = FloatMatrix.allocate(40, 12);
                FloatMatrix y = FloatMatrix.allocate(40, 1)) {
            Gaussian.fill(x, rng, 0.3);
            Gaussian.fill(y, rng, 1.0);
            Npy.write(dir.resolve("X.npy"), x);
            Npy.write(dir.resolve("y.npy"), y);
        }
    }

    /** SIGTERM once a few rows are written: the run checkpoints and says how to resume (exit 143). */
    void stopAfterAFewRows(Process p, Path run, String name) throws Exception {
        ResilienceTest.await(() -> ResilienceTest.rows(run) >= 4, p, "a few metrics rows");
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), err(name));
        assertTrue(ResilienceTest.hasCheckpoint(run), "a checkpoint at the stop");
    }

    /**
     * Finding 6: a run started with relative data paths resumes from another working folder (the spec records them
     * absolute); once the data are moved, resuming names the missing file and how to give it again, and the moved
     * files (the same content, given by any path) are accepted by their CRC32, other content refused; the run ends
     * bit-identical to an uninterrupted one and records where its data are now.
     */
    @Test
    void relativeDataPathsResumeFromAnotherFolderAndMovedDataAreAcceptedByTheirCrc() throws Exception {
        Path home = tmp.resolve("home"), elsewhere = tmp.resolve("elsewhere");
        writeData(home, 1);
        Files.createDirectories(elsewhere);
        Path ref = tmp.resolve("reference");
        assertEquals(
                0,
                Main.run(train(
                        RUN,
                        "--x",
                        home.resolve("X.npy").toString(),
                        "--y",
                        home.resolve("y.npy").toString(),
                        "--out",
                        ref.toString())));

        Path run = home.resolve("run");
        Process first = startIn(
                home, "first", train(RUN, "--x", "X.npy", "--y", "y.npy", "--out", "run", "--checkpoint-every", "1"));
        stopAfterAFewRows(first, run, "first");
        Map<String, Object> data = spec(run, "data");
        assertEquals(home.resolve("X.npy").toString(), data.get("x"), "recorded absolute");

        Process second =
                startIn(elsewhere, "second", "train", "--resume", run.toString(), "--quiet", "--checkpoint-every", "1");
        stopAfterAFewRows(second, run, "second"); // it found X.npy from another working folder

        // The same file by another spelling of its path is the same data (old code: "--x … differs").
        Process third = startIn(
                elsewhere,
                "third",
                "train",
                "--resume",
                run.toString(),
                "--x",
                "../home/./X.npy",
                "--y",
                home.resolve("y.npy").toString(),
                "--quiet",
                "--checkpoint-every",
                "1");
        ResilienceTest.await(
                () -> ResilienceTest.rows(run) >= 8 || !third.isAlive(), null, "the third session to train");
        third.destroy();
        assertTrue(third.waitFor(60, TimeUnit.SECONDS));
        assertTrue(third.exitValue() == 143 || third.exitValue() == 0, err("third"));

        Path moved = tmp.resolve("moved");
        Files.createDirectories(moved);
        Files.move(home.resolve("X.npy"), moved.resolve("X.npy"));
        Files.move(home.resolve("y.npy"), moved.resolve("y.npy"));
        assertEquals(2, runIn(elsewhere, "gone", "train", "--resume", run.toString(), "--quiet"));
        assertEquals(
                "widenet: the run in " + run + " was trained on " + home.resolve("X.npy")
                        + ", which is not there any more;"
                        + " if the data moved, give them again with --resume " + run
                        + " --x X.npy --y Y.npy (their content is"
                        + " checked against the run's CRC32)",
                err("gone").strip());

        writeData(tmp.resolve("other"), 2);
        assertEquals(
                2,
                runIn(
                        elsewhere,
                        "other",
                        "train",
                        "--resume",
                        run.toString(),
                        "--x",
                        "../other/X.npy",
                        "--y",
                        "../other/y.npy",
                        "--quiet"));
        assertTrue(err("other").contains("the training data differ from the checkpoint's"), err("other"));

        assertEquals(
                0,
                runIn(
                        elsewhere,
                        "movedOn",
                        "train",
                        "--resume",
                        run.toString(),
                        "--x",
                        "../moved/X.npy",
                        "--y",
                        "../moved/y.npy",
                        "--quiet"),
                err("movedOn"));
        ResilienceTest.assertSameResults(ref, run);
        assertEquals(
                moved.resolve("X.npy").toString(), spec(run, "data").get("x"), "run.json says where the data are now");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(Path run, String field) throws IOException {
        return (Map<String, Object>)
                ((Map<String, Object>) Json.read(run.resolve("run.json")).get("spec")).get(field);
    }

    /**
     * Finding 7: SIGKILL at moments before any checkpoint exists (checkpoints off: every kill is "before the first
     * checkpoint"): at once, once the folder is locked, once run.json is there, once init/ is written, once rows are
     * written. After each kill the run is continued as a user would: {@code --resume} where there is a run.json
     * (old code: "has no checkpoint"), the original command where the kill came before it (the folder counts as
     * empty). The run ends bit-identical to an uninterrupted one, and its run.json lists the restarts.
     */
    @Test
    void killedBeforeItsFirstCheckpointRestartsBitIdentical() throws Exception {
        String[] longer = ResilienceTest.set(RUN, "--steps", "400"); // long enough not to end before the last kill
        Path ref = tmp.resolve("reference"), run = tmp.resolve("run");
        assertEquals(0, Main.run(train(longer, "--out", ref.toString())));
        List<Predicate<Path>> moments = List.of(
                dir -> true,
                dir -> Files.exists(dir.resolve("lock")),
                dir -> Files.exists(dir.resolve("run.json")),
                dir -> Files.exists(dir.resolve("init").resolve("a.npy")),
                dir -> ResilienceTest.rows(dir) >= 2);
        String[] original = train(longer, "--out", run.toString(), "--checkpoint-every", "0");
        int resumed = 0;
        for (int i = 0; i < moments.size(); i++) {
            boolean hasRun = Files.exists(run.resolve("run.json"));
            Process p = startIn(
                    tmp,
                    "attempt" + i,
                    hasRun
                            ? new String[] {"train", "--resume", run.toString(), "--quiet", "--checkpoint-every", "0"}
                            : original);
            resumed += hasRun ? 1 : 0;
            Predicate<Path> moment = moments.get(i);
            ResilienceTest.await(() -> moment.test(run) || !p.isAlive(), null, "moment " + i);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(p.exitValue() != 0, "attempt " + i + " ran to its end before the kill: " + err("attempt" + i));
            assertFalse(ResilienceTest.hasCheckpoint(run), "no checkpoint with --checkpoint-every 0 and SIGKILL");
        }
        assertTrue(Files.exists(run.resolve("run.json")), "the later moments come after run.json");
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        ResilienceTest.assertSameResults(ref, run);
        List<?> restarts = (List<?>) Json.read(run.resolve("run.json")).get("resumed");
        assertEquals(resumed + 1, restarts.size(), "one entry per restart: " + restarts);
        for (Object e : restarts) {
            assertEquals(0, ((Number) ((Map<?, ?>) e).get("step")).intValue(), "restarted from step 0: " + restarts);
        }
    }

    /**
     * Finding 7: all steps done and final/ written, but the closing run.json lost (a full disk at the very end; the
     * state is made here by putting back the run.json a run has while it trains): {@code --resume} completes it
     * (old code: "has no checkpoint"), bit-identical.
     */
    @Test
    void aRunWhoseClosingRunJsonWasLostIsCompletedByResume() throws Exception {
        Path ref = tmp.resolve("reference"), run = tmp.resolve("run");
        assertEquals(0, Main.run(train(RUN, "--out", ref.toString())));
        assertEquals(0, Main.run(train(RUN, "--out", run.toString())));
        Map<String, Object> json = new LinkedHashMap<>(Json.read(run.resolve("run.json")));
        json.put("status", "running");
        for (String closing :
                List.of("finished", "steps_done", "train_seconds", "probe_seconds", "ms_per_step", "final_loss")) {
            json.remove(closing);
        }
        Json.write(run.resolve("run.json"), json);
        Files.delete(run.resolve("theory.json"));
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        ResilienceTest.assertSameResults(ref, run);
        assertTrue(Files.exists(run.resolve("theory.json")));
    }

    /**
     * Finding 7: killed between its closing run.json and the removal of its checkpoints (made here by putting a
     * checkpoint of the same run back): the next {@code --resume} (exit 0, nothing to resume) removes them; a
     * checkpoint that is not the finished run's is left, with a warning.
     */
    @Test
    void checkpointsLeftBesideAFinishedRunAreRemovedOnTheNextResume() throws Exception {
        Path run = tmp.resolve("run");
        Process p = startIn(tmp, "run", train(RUN, "--out", run.toString(), "--checkpoint-every", "1"));
        stopAfterAFewRows(p, run, "run");
        Path kept = tmp.resolve("kept-checkpoints");
        copyTree(run.resolve("checkpoints"), kept);
        assertEquals(
                0,
                TrainCommandTest.run("train", "--resume", run.toString(), "--quiet")
                        .code());
        assertFalse(Files.exists(run.resolve("checkpoints")));
        copyTree(kept, run.resolve("checkpoints"));
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(run.resolve("checkpoints")), "removed: " + r.err());

        // Another run's checkpoints under a finished run.json: not deleted on that run.json's word.
        copyTree(kept, run.resolve("checkpoints"));
        Map<String, Object> json = new LinkedHashMap<>(Json.read(run.resolve("run.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) json.get("spec"));
        spec.put("seed", 99);
        json.put("spec", spec);
        Json.write(run.resolve("run.json"), json);
        r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(run.resolve("checkpoints")));
        assertTrue(
                r.err()
                        .contains("is left as it is: " + run.resolve("run.json")
                                + ": spec.seed is 99 there, but the checkpoint"),
                r.err());
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    /**
     * Finding 7: {@code --resume} on an empty folder leaves it empty (no lock file); temporary files a killed writer
     * left ({@code .run.json<digits>.tmp} of older versions, {@code .W.npy.<random>.tmp} in init/) neither make a
     * folder "not empty" nor survive the next run there.
     */
    @Test
    void emptyFoldersStayEmptyAndStrayTemporaryFilesAreCleared() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--resume", empty.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of(), list(empty), "nothing left behind");

        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(".run.json4711.tmp"), "{\"status\"");
        Files.writeString(run.resolve("lock"), "pid 1 on nowhere since then\n");
        r = TrainCommandTest.run("train", "--resume", run.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("run its train command again with --out " + run), r.err());
        Files.createDirectories(run.resolve("init"));
        r = TrainCommandTest.run(train(RUN, "--out", run.toString()));
        assertEquals(2, r.code(), "init/ is a run's: " + r.err());
        Files.delete(run.resolve("init"));
        r = TrainCommandTest.run(train(RUN, "--out", run.toString()));
        assertEquals(0, r.code(), "a lock and temporary files do not make a folder used: " + r.err());
        assertFalse(Files.exists(run.resolve(".run.json4711.tmp")));

        // Killed mid-write in init/ and before its first checkpoint: the restart clears init/'s temporary file.
        Map<String, Object> json = new LinkedHashMap<>(Json.read(run.resolve("run.json")));
        json.put("status", "running");
        Json.write(run.resolve("run.json"), json);
        Files.writeString(run.resolve("init").resolve(".W.npy.3k2j9.tmp"), "torn");
        r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("W.npy", "a.npy"), list(run.resolve("init")));
    }

    static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Finding 12: run.json and the checkpoint must describe one run. An edited lr in run.json is refused naming the
     * field (training would follow the checkpoint and run.json would lie); a deep run's checkpoint under a two-layer
     * run.json likewise; with run.json deleted, resuming rebuilds it from the checkpoint and ends bit-identical.
     */
    @Test
    void runJsonThatDisagreesWithTheCheckpointIsRefusedNamingTheField() throws Exception {
        Path ref = tmp.resolve("reference"), run = tmp.resolve("run");
        assertEquals(0, Main.run(train(RUN, "--out", ref.toString())));
        Process p = startIn(tmp, "run", train(RUN, "--out", run.toString(), "--checkpoint-every", "1"));
        stopAfterAFewRows(p, run, "run");
        String original = Files.readString(run.resolve("run.json"));

        Map<String, Object> json = new LinkedHashMap<>(Json.read(run.resolve("run.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) json.get("spec"));
        @SuppressWarnings("unchecked")
        Map<String, Object> opt = new LinkedHashMap<>((Map<String, Object>) spec.get("optimisation"));
        opt.put("lr", 0.2);
        spec.put("optimisation", opt);
        json.put("spec", spec);
        Json.write(run.resolve("run.json"), json);
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .startsWith("widenet: " + run.resolve("run.json")
                                + ": spec.optimisation.lr is 0.2 there, but the checkpoint at step "),
                r.err());
        assertTrue(r.err().contains("was made with 0.3: run.json was edited or belongs to another run"), r.err());

        // A deep run's checkpoints under this two-layer run.json.
        Path deep = tmp.resolve("deep");
        Process q = startIn(
                tmp,
                "deep",
                "train",
                "--model",
                "deep",
                "--n",
                "40",
                "--widths",
                "12,32,1",
                "--steps",
                "60",
                "--lr",
                "0.01",
                "--kernels",
                "scalar",
                "--threads",
                "1",
                "--quiet",
                "--out",
                deep.toString(),
                "--checkpoint-every",
                "1");
        stopAfterAFewRows(q, deep, "deep");
        Files.writeString(deep.resolve("run.json"), original);
        r = TrainCommandTest.run("train", "--resume", deep.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("spec.model.kind is two-layer there, but the checkpoint at step "), r.err());
        assertTrue(r.err().contains("was made with deep"), r.err());

        Files.delete(run.resolve("run.json"));
        r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        ResilienceTest.assertSameResults(ref, run);
    }
}
