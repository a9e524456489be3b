package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.Gaussian;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;
import widenet.train.internal.Json;

/**
 * Issue 17, findings 9 and 14: messages that name the file and the real cause, in the user's terms, and the smaller
 * failures (a late SIGTERM, colliding default folders, y checked before X is read, oversubscribed threads, a singular
 * H∞, picocli's help warning, the checkpoint cadence's upper bound, final_loss's JSON type).
 */
class ReliabilityMessagesTest {
    @TempDir
    Path tmp;

    static TrainCommandTest.Result run(String... args) {
        return TrainCommandTest.run(args);
    }

    /** {@code r}'s result, its standard output discarded (the theory command prints its facts there). */
    static TrainCommandTest.Result swallowingStdout(java.util.function.Supplier<TrainCommandTest.Result> r) {
        TrainCommandTest.Result[] out = new TrainCommandTest.Result[1];
        TheoryCommandTest.stdout(() -> out[0] = r.get());
        return out[0];
    }

    /** X (n×d, rows of norm ≈ {@code scale}) and y, as {@code X.npy}/{@code y.npy} in {@code dir}; row n/2 onwards may repeat row 0 onwards. */
    static void data(Path dir, int n, int d, double scale, boolean duplicateHalf) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(4);
        try (FloatMatrix x = FloatMatrix.allocate(n, d);
                FloatMatrix y = FloatMatrix.allocate(n, 1)) {
            Gaussian.fill(x, rng, scale / Math.sqrt(d));
            Gaussian.fill(y, rng, 1.0);
            if (duplicateHalf) {
                for (int i = n / 2; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        x.set(i, j, x.get(i - n / 2, j));
                    }
                }
            }
            Npy.write(dir.resolve("X.npy"), x);
            Npy.write(dir.resolve("y.npy"), y);
        }
    }

    static final String[] SMALL = {"--width", "32", "--steps", "3", "--kernels", "scalar", "--threads", "1", "--quiet"};

    static String[] with(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(b));
        all.addAll(List.of(a));
        return all.toArray(String[]::new);
    }

    /**
     * Inputs of norm 10³⁰ make H∞'s float32 inner products overflow: the message names the file and --theory off
     * (train) or the rescaling (theory), exit 2, not "internal error: … non-finite entry NaN".
     */
    @Test
    void hInfinityOverflowNamesTheFileAndTheoryOff() throws IOException {
        data(tmp, 20, 6, 1e30, false);
        String x = tmp.resolve("X.npy").toString(), y = tmp.resolve("y.npy").toString();
        TrainCommandTest.Result r = run(with(
                SMALL, "train", "--x", x, "--y", y, "--out", tmp.resolve("run").toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err().startsWith("widenet: " + x + ": the inner products xᵢᵀxⱼ overflow float32 (max ‖xᵢ‖ = "),
                r.err());
        assertTrue(r.err().strip().endsWith("or train without the theory columns: --theory off"), r.err());
        r = run("theory", "--x", x, "--y", y, "--kernels", "scalar");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("widenet: " + x + ": the inner products xᵢᵀxⱼ overflow float32"), r.err());
    }

    /** A loss that is not finite at step 0 is not the step size's fault: the message says what overflowed. */
    @Test
    void divergenceAtStepZeroNamesTheInitialScaleNotTheStepSize() {
        TrainCommandTest.Result r = run(with(
                SMALL,
                "train",
                "--n",
                "12",
                "--d",
                "6",
                "--kappa",
                "1e308",
                "--out",
                tmp.resolve("run").toString()));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("training diverged at step 0"), r.err());
        assertFalse(r.err().contains("--lr"), r.err());
        assertTrue(
                r.err().contains("before any gradient step: the initial network's outputs overflow float32")
                        && r.err().contains("--kappa"),
                r.err());
        // Later on it is the step size.
        r = run(with(
                ResilienceTest.set(SMALL, "--steps", "5"),
                "train",
                "--n",
                "12",
                "--d",
                "6",
                "--lr",
                "1e30",
                "--out",
                tmp.resolve("run2").toString()));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("try a smaller step size (--lr)"), r.err());
    }

    /** A malformed run.json, or one whose spec has a wrong type or an unknown field: JSON terms, no Java names. */
    @Test
    void malformedJsonAndSpecsAreDescribedWithoutJavaNames() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(
                0,
                run(with(SMALL, "train", "--n", "12", "--d", "6", "--out", run.toString()))
                        .code());
        String good = Files.readString(run.resolve("run.json"));

        Files.writeString(run.resolve("run.json"), "{\n  \"a\": [1, 2,\n");
        TrainCommandTest.Result r =
                run("rerun", run.toString(), "--out", tmp.resolve("again").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .matches("widenet: "
                                + java.util.regex.Pattern.quote(
                                        run.resolve("run.json").toString())
                                + ": malformed JSON at line \\d+, column \\d+: .*\\s*"),
                r.err());
        assertFalse(r.err().contains("Source") || r.err().contains("REDACTED"), r.err());

        Files.writeString(run.resolve("run.json"), good.replaceFirst("\"width\" : 32", "\"width\" : \"wide\""));
        r = run("rerun", run.toString(), "--out", tmp.resolve("again").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "widenet: " + run.resolve("run.json") + ": not a run spec: spec.model.width: 'wide' is not an integer",
                r.err().strip());

        Files.writeString(
                run.resolve("run.json"), good.replaceFirst("\"width\" : 32", "\"width\" : 32, \"depth\" : 3"));
        r = run("rerun", run.toString(), "--out", tmp.resolve("again").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .startsWith("widenet: " + run.resolve("run.json")
                                + ": not a run spec: spec.model.depth: unknown field 'depth'"),
                r.err());
        for (String javaName : List.of("widenet.", "ModelSpec", "$", "`int`", "Exception")) {
            assertFalse(r.err().contains(javaName), javaName + " in " + r.err());
        }
    }

    /** Duplicate rows make H∞ singular: a warning (stderr and run.json) instead of a silent negative λ₀. */
    @Test
    void singularHInfinityWarnsNamingTheEqualRows() throws IOException {
        data(tmp, 20, 6, 1, true);
        String x = tmp.resolve("X.npy").toString(), y = tmp.resolve("y.npy").toString();
        TrainCommandTest.Result r = swallowingStdout(() -> run("theory", "--x", x, "--y", y, "--kernels", "scalar"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("widenet: warning: H∞ is singular to working precision (λ₀ = "), r.err());
        assertTrue(r.err().contains("rows 0 and 10 of X are equal"), r.err());
        Path run = tmp.resolve("run");
        r = run(with(SMALL, "train", "--x", x, "--y", y, "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: H∞ is singular"), r.err());
        assertTrue(String.valueOf(Json.read(run.resolve("run.json")).get("warnings"))
                .contains("H∞ is singular"));

        // Distinct rows: no warning.
        data(tmp.resolve("fine"), 20, 6, 1, false);
        r = swallowingStdout(() -> run(
                "theory",
                "--x",
                tmp.resolve("fine/X.npy").toString(),
                "--y",
                tmp.resolve("fine/y.npy").toString(),
                "--kernels",
                "scalar"));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("singular"), r.err());
    }

    /**
     * y's row count is checked from the headers before X is read: an X with a NaN in it (found only by reading it
     * whole) and the wrong number of labels is refused for the labels (old code: for the NaN, after reading X).
     */
    @Test
    void labelsRowCountIsCheckedBeforeXIsRead() throws IOException {
        Path x = tmp.resolve("X.npy"), y = tmp.resolve("y.npy");
        try (FloatMatrix xs = FloatMatrix.allocate(40, 6);
                FloatMatrix ys = FloatMatrix.allocate(5, 1)) {
            xs.set(39, 5, Float.NaN);
            Npy.write(x, xs);
            Npy.write(y, ys);
        }
        String expected = y + " has 5 rows but " + x + " has n = 40: one label row per sample of X";
        TrainCommandTest.Result r = run(with(
                SMALL,
                "train",
                "--x",
                x.toString(),
                "--y",
                y.toString(),
                "--out",
                tmp.resolve("run").toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("widenet: " + expected, r.err().strip());
        r = run("theory", "--x", x.toString(), "--y", y.toString(), "--kernels", "scalar");
        assertEquals(2, r.code(), r.err());
        assertEquals("widenet: " + expected, r.err().strip());
    }

    /** More threads than cores: one warning line, the run still made (a child process: the warning is once per process). */
    @Test
    void moreThreadsThanCoresWarnsOnce() throws Exception {
        int many = Runtime.getRuntime().availableProcessors() + 3;
        Process p = ResilienceTest.startCli(
                tmp,
                "threads",
                with(
                        ResilienceTest.set(SMALL, "--threads", Integer.toString(many)),
                        "train",
                        "--n",
                        "12",
                        "--d",
                        "6",
                        "--out",
                        tmp.resolve("run").toString()));
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("threads.err"));
        assertEquals(0, p.exitValue(), err);
        assertEquals(
                1,
                err.lines()
                        .filter(l -> l.startsWith("widenet: warning: --threads " + many + " is more than the"))
                        .count(),
                err);
        assertNull(widenet.train.Runs.oversubscription(1));
    }

    /** No command's help makes picocli warn (an unescaped % in a description did for sweep). */
    @Test
    void everyCommandsHelpIsFreeOfPicocliWarnings() {
        java.io.PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(stderr, true)); // picocli's tracer warns on System.err
        try {
            for (String c :
                    List.of("train", "rerun", "theory", "reproduce", "sweep", "report", "worker", "predict", "serve")) {
                String[] err = new String[1];
                String out =
                        TheoryCommandTest.stdout(() -> err[0] = run(c, "--help").err());
                assertFalse(
                        out.contains("picocli WARN")
                                || err[0].contains("picocli WARN")
                                || stderr.toString().contains("picocli WARN"),
                        c + ": " + out + err[0] + stderr);
            }
        } finally {
            System.setErr(oldErr);
        }
        String sweep = TheoryCommandTest.stdout(() -> run("sweep", "--help"));
        assertTrue(sweep.contains("a 95% CI"), sweep);
    }

    /** The cadence's message allows durations up to 10⁹ s: exactly that is accepted, one more is refused. */
    @Test
    void checkpointCadenceUpToItsStatedLimitIsAccepted() {
        assertEquals(
                0,
                run(with(
                                SMALL,
                                "train",
                                "--n",
                                "12",
                                "--d",
                                "6",
                                "--checkpoint-every",
                                "1000000000s",
                                "--out",
                                tmp.resolve("run").toString()))
                        .code());
        TrainCommandTest.Result r = run(with(
                SMALL,
                "train",
                "--n",
                "12",
                "--d",
                "6",
                "--checkpoint-every",
                "1000000001s",
                "--out",
                tmp.resolve("run2").toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("a duration up to 10⁹ s"), r.err());
    }

    /**
     * {@code report --out} and {@code theory --json} given a folder are refused (they made their temporary file in
     * the folder's parent, e.g. {@code /} for {@code /tmp}); given a file, the temporary file is made beside it and
     * renamed over it, so nothing else appears anywhere.
     */
    @Test
    void reportAndTheoryOutputsGoBesideTheirTargetAndNeverToAFolder() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(
                0,
                run(with(SMALL, "train", "--n", "12", "--d", "6", "--out", run.toString()))
                        .code());
        Path folder = Files.createDirectories(tmp.resolve("pages"));
        List<String> before = ResumeFromAnyMomentTest.list(tmp);
        TrainCommandTest.Result r = run("report", run.toString(), "--out", folder.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(folder + " is a folder; give a file name"), r.err());
        r = swallowingStdout(
                () -> run("theory", "--n", "12", "--d", "6", "--kernels", "scalar", "--json", folder.toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(folder + " is a folder; give a file name"), r.err());
        assertEquals(before, ResumeFromAnyMomentTest.list(tmp), "nothing written beside the folder");
        assertEquals(List.of(), ResumeFromAnyMomentTest.list(folder));
        assertEquals(
                0,
                swallowingStdout(() -> run(
                                "report",
                                run.toString(),
                                "--out",
                                folder.resolve("page.html").toString()))
                        .code());
        assertEquals(
                0,
                swallowingStdout(() -> run(
                                "theory",
                                "--n",
                                "12",
                                "--d",
                                "6",
                                "--kernels",
                                "scalar",
                                "--json",
                                folder.resolve("facts.json").toString()))
                        .code());
        assertEquals(List.of("facts.json", "page.html"), ResumeFromAnyMomentTest.list(folder));
        assertEquals(before, ResumeFromAnyMomentTest.list(tmp));
    }

    /** run.json's final_loss is a number (the last metrics row's loss, exactly), null when not finite. */
    @Test
    void finalLossIsAJsonNumber() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(
                0,
                run(with(SMALL, "train", "--n", "12", "--d", "6", "--out", run.toString()))
                        .code());
        Object loss = Json.read(run.resolve("run.json")).get("final_loss");
        assertInstanceOf(Double.class, loss);
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(Double.parseDouble(rows.get(rows.size() - 1).split(",")[2]), (Double) loss, 0);
        Path diverged = tmp.resolve("diverged");
        assertEquals(
                3,
                run(with(
                                ResilienceTest.set(SMALL, "--steps", "5"),
                                "train",
                                "--n",
                                "12",
                                "--d",
                                "6",
                                "--lr",
                                "1e30",
                                "--out",
                                diverged.toString()))
                        .code());
        Map<String, Object> json = Json.read(diverged.resolve("run.json"));
        assertTrue(
                json.containsKey("final_loss") && json.get("final_loss") == null,
                String.valueOf(json.get("final_loss")));
    }

    /** Two runs started in the same second without --out get two folders (train-<time>, train-<time>-2). */
    @Test
    void defaultFoldersOfTheSameSecondDoNotCollide() throws IOException {
        LocalDateTime t = LocalDateTime.of(2026, 12, 2, 17, 0, 5);
        Path a = TrainCommand.newDefaultFolder(tmp.resolve("runs"), t);
        Path b = TrainCommand.newDefaultFolder(tmp.resolve("runs"), t);
        assertEquals(tmp.resolve("runs/train-20261202-170005"), a);
        assertEquals(tmp.resolve("runs/train-20261202-170005-2"), b);
        assertTrue(Files.isDirectory(a) && Files.isDirectory(b));
    }

    /**
     * SIGTERM after the run said "done:" (here during a test-only stall as the command returns): the finished run
     * exits 0, not 143 (old code: 143, as if it had been stopped).
     */
    @Test
    void sigtermAfterAFinishedRunExitsZero() throws Exception {
        Path run = tmp.resolve("run");
        Process p = ResilienceTest.startCli(
                tmp,
                "late",
                List.of("-D" + TrainCommand.STALL_AFTER_PROPERTY + "=60000"),
                with(SMALL, "train", "--n", "12", "--d", "6", "--out", run.toString()));
        ResilienceTest.await(() -> stderrHas("late", "test stall after the command"), p, "the run to finish");
        assertEquals("finished", Json.read(run.resolve("run.json")).get("status"));
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("late.err")));
    }

    boolean stderrHas(String name, String text) {
        try {
            return Files.readString(tmp.resolve(name + ".err")).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A real full disk while final/ is written (a tmpfs just large enough for init/, run.json and metrics.csv; needs
     * root, skipped otherwise): one line naming final/'s file, exit 2; with room again {@code --resume} completes the
     * run (it had no checkpoint: it is made again from its recorded spec), bit-identical.
     */
    @Test
    void diskFullWhileWritingFinalNamesTheFileAndResumeCompletesTheRun() throws Exception {
        Path mnt = tmp.resolve("small-disk");
        Files.createDirectories(mnt);
        assumeTrue(
                ResilienceTest.sh("mount", "-t", "tmpfs", "-o", "size=200k", "widenet-test", mnt.toString()) == 0,
                "cannot mount a tmpfs here");
        try {
            // W is 2000×16 float32 = 128 KB: init/ fits in 200 KB, init/ and final/ do not.
            String[] big = {
                "train",
                "--n",
                "8",
                "--d",
                "16",
                "--width",
                "2000",
                "--steps",
                "3",
                "--kernels",
                "scalar",
                "--threads",
                "1",
                "--quiet",
                "--theory",
                "off",
                "--checkpoint-every",
                "0"
            };
            Path ref = tmp.resolve("reference"), run = mnt.resolve("run");
            assertEquals(
                    0, run(with(new String[] {"--out", ref.toString()}, big)).code());
            TrainCommandTest.Result r = run(with(new String[] {"--out", run.toString()}, big));
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("widenet: cannot write " + run.resolve("final") + "/"), r.err());
            assertTrue(r.err().contains(": No space left on device"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertEquals(0, ResilienceTest.sh("mount", "-o", "remount,rw,size=64m", mnt.toString()));
            r = run("train", "--resume", run.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            ResilienceTest.assertSameResults(ref, run);
        } finally {
            ResilienceTest.sh("umount", "-l", mnt.toString());
        }
    }
}
