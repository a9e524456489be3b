package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import widenet.train.internal.Checkpoints;
import widenet.train.internal.Json;

/**
 * The {@code train} command as a preempted machine treats it: real training processes killed with SIGKILL at random
 * moments (also in the middle of writing a checkpoint), stopped with SIGTERM/SIGINT, started twice on one folder,
 * given a full or read-only disk; each time resumed with {@code --resume} to a result bit-identical to an
 * uninterrupted run (metrics.csv without the wall-clock columns, final/*.npy byte for byte).
 */
class ResilienceTest {
    @TempDir
    Path tmp;

    /** Small but with enough steps to be killed several times; a checkpoint costs far more than a step here. */
    static final String[] GD = {
        "--n",
        "48",
        "--d",
        "16",
        "--width",
        "96",
        "--steps",
        "80",
        "--lr",
        "0.3",
        "--seed",
        "7",
        "--kernels",
        "scalar",
        "--threads",
        "1",
        "--quiet"
    };

    static final String[] SGD = {
        "--n",
        "48",
        "--d",
        "16",
        "--width",
        "96",
        "--steps",
        "80",
        "--lr",
        "0.1",
        "--seed",
        "8",
        "--batch",
        "10",
        "--every",
        "3",
        "--kernels",
        "scalar",
        "--threads",
        "1",
        "--quiet"
    };
    /** The deep model with its theory probe (λ_min of the Gram matrices every 4 steps). */
    static final String[] DEEP = {
        "--model",
        "deep",
        "--n",
        "40",
        "--widths",
        "16,64,24,1",
        "--steps",
        "80",
        "--lr",
        "0.01",
        "--seed",
        "9",
        "--theory-every",
        "4",
        "--kernels",
        "scalar",
        "--threads",
        "1",
        "--quiet"
    };
    /**
     * The implicit model, whose warm starts (Z*, the adjoint, the power-iteration vector of ‖Ã‖₂) and contraction
     * check counter are model state; with its theory probe and the contraction check every 5 steps.
     */
    static final String[] IMPLICIT = {
        "--model",
        "implicit",
        "--n",
        "40",
        "--d",
        "12",
        "--width",
        "64",
        "--steps",
        "80",
        "--lr",
        "0.004",
        "--seed",
        "10",
        "--theory-every",
        "4",
        "--require-contraction",
        "--kernels",
        "scalar",
        "--threads",
        "1",
        "--quiet"
    };

    static String[] args(String[] base, String... more) {
        String[] all = new String[base.length + more.length + 1];
        all[0] = "train";
        System.arraycopy(base, 0, all, 1, base.length);
        System.arraycopy(more, 0, all, 1 + base.length, more.length);
        return all;
    }

    /** {@code base} with {@code option}'s value replaced. */
    static String[] set(String[] base, String option, String value) {
        String[] out = base.clone();
        int i = Arrays.asList(out).indexOf(option);
        assertTrue(i >= 0, option);
        out[i + 1] = value;
        return out;
    }

    /** The newest checkpoint's step, or −1. */
    static long newestCheckpoint(Path run) {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("step-"))
                    .mapToLong(n -> Long.parseLong(n.substring(5)))
                    .max()
                    .orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code java -m widenet.cli/widenet.cli.Main ARGS} on this test's module path, output to files. */
    Process start(String name, String... args) throws IOException {
        return startCli(tmp, name, args);
    }

    /** {@code widenet ARGS} in a child JVM on this test's module path, its output in {@code dir/name.out|err}. */
    static Process startCli(Path dir, String name, String... args) throws IOException {
        return startCli(dir, name, List.of(), args);
    }

    /** As {@link #startCli(Path, String, String...)}, with extra JVM options (system properties) before the module. */
    static Process startCli(Path dir, String name, List<String> jvmOptions, String... args) throws IOException {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "tests run on the module path");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-p", modulePath, "-m", "widenet.cli/widenet.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(withDefaultSignals(cmd))
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
    }

    /**
     * {@code cmd} started with SIGINT and SIGTERM at their default disposition. A build started in the background
     * ({@code ./mvnw verify &}, nohup, some CI runners) inherits SIGINT ignored, and a JVM keeps an ignored SIGINT
     * ignored (it installs no handler), so the SIGINT test would see no signal at all. coreutils' {@code env
     * --default-signal} (9.x, Debian 12) resets the disposition before exec; without it the command is unchanged.
     */
    static List<String> withDefaultSignals(List<String> cmd) {
        if (!ENV_RESETS_SIGNALS) {
            return cmd;
        }
        List<String> all = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT,TERM"));
        all.addAll(cmd);
        return all;
    }

    private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

    private static boolean envResetsSignals() {
        try {
            return Files.isExecutable(Path.of("/usr/bin/env"))
                    && new ProcessBuilder("/usr/bin/env", "--default-signal=INT,TERM", "true")
                                    .redirectErrorStream(true)
                                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                    .start()
                                    .waitFor()
                            == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String err(String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".err"), StandardCharsets.UTF_8);
    }

    static void await(BooleanSupplier condition, Process p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(p == null || p.isAlive() || condition.getAsBoolean(), "process ended before " + what);
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    static boolean hasCheckpoint(Path run) {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean hasPartialCheckpoint(Path run) {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".partial-"));
        } catch (IOException e) {
            return false;
        }
    }

    static int rows(Path run) {
        try {
            return Files.readAllLines(run.resolve("metrics.csv")).size() - 1;
        } catch (IOException e) {
            return -1;
        }
    }

    static void assertSameResults(Path expected, Path actual) throws IOException {
        List<String> a = withoutTime(expected), b = withoutTime(actual);
        assertEquals(a.size(), b.size(), "rows of metrics.csv");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), "metrics.csv line " + (i + 1));
        }
        List<String> weights;
        try (Stream<Path> s = Files.list(expected.resolve("final"))) {
            weights = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".npy"))
                    .sorted()
                    .toList();
        }
        assertFalse(weights.isEmpty(), "final weights");
        for (String f : weights) {
            assertArrayEquals(
                    Files.readAllBytes(expected.resolve("final").resolve(f)),
                    Files.readAllBytes(actual.resolve("final").resolve(f)),
                    "final/" + f);
        }
        assertEquals("finished", Json.read(actual.resolve("run.json")).get("status"));
    }

    static List<String> withoutTime(Path run) throws IOException {
        List<String> header = Arrays.asList(
                Files.readAllLines(run.resolve("metrics.csv")).get(0).split(","));
        assertEquals(List.of("step_ms", "time_s"), header.subList(header.size() - 2, header.size()));
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] f = l.split(",", -1);
            out.add(String.join(",", Arrays.copyOf(f, f.length - 2)));
        }
        return out;
    }

    Path reference(String[] base) {
        Path ref = tmp.resolve("reference");
        assertEquals(0, Main.run(args(base, "--out", ref.toString(), "--checkpoint-every", "0")));
        return ref;
    }

    /**
     * SIGKILL once certainly in the middle of a checkpoint write: a process whose checkpoint writes stall before the
     * manifest (a test-only system property, {@link Checkpoints#STALL_PROPERTY}) is killed during the stall, leaving a
     * partial checkpoint folder with an empty manifest behind; then at up to three random moments, each time resuming
     * in a new process; then resumed to the end.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GD", "SGD", "DEEP", "IMPLICIT"})
    void killedAtRandomMomentsAndResumedEndsBitIdentical(String mode) throws Exception {
        String[] base = switch (mode) {
            case "GD" -> GD;
            case "SGD" -> SGD;
            case "DEEP" -> DEEP;
            default -> IMPLICIT;
        };
        Path ref = reference(base), run = tmp.resolve("killed");
        Random random = new Random(mode.hashCode());
        int kills = 0, torn = 0;
        Process p = start("first", args(base, "--out", run.toString(), "--checkpoint-every", "1"));
        // The certain kill mid-write first (a complete checkpoint exists before it), then the random ones.
        await(() -> newestCheckpoint(run) >= 0, p, "the first checkpoint");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Process stalled = startCli(
                tmp,
                "stalled",
                List.of("-D" + Checkpoints.STALL_PROPERTY + "=600000"),
                "train",
                "--resume",
                run.toString(),
                "--quiet",
                "--checkpoint-every",
                "1");
        await(() -> errContains("stalled", "checkpoint write stalled"), stalled, "a stalled checkpoint write");
        stalled.destroyForcibly();
        assertTrue(stalled.waitFor(30, TimeUnit.SECONDS));
        assertTrue(hasPartialCheckpoint(run), "the stalled write left its partial folder");
        kills += 2;
        torn++;
        p = start("resume", "train", "--resume", run.toString(), "--quiet", "--checkpoint-every", "1");
        for (int segment = 0; segment < 3; segment++) {
            Process q = p;
            long before = newestCheckpoint(run);
            await(() -> newestCheckpoint(run) > before || !q.isAlive(), null, "a new checkpoint");
            Thread.sleep(random.nextInt(400));
            if (!p.isAlive()) { // ran to the end before the kill
                assertEquals(0, p.exitValue(), err(segment == 0 ? "resume" : "resume" + (segment - 1)));
                break;
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            kills++;
            if (hasPartialCheckpoint(run)) {
                torn++;
            }
            p = start("resume" + segment, "train", "--resume", run.toString(), "--quiet", "--checkpoint-every", "1");
        }
        // The last segment: let it finish without periodic checkpoints (an option that does not change results).
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, Main.run("train", "--resume", run.toString(), "--quiet", "--checkpoint-every", "0"));
        assertSameResults(ref, run);
        System.out.printf("%s: %d SIGKILLs, %d during a checkpoint write%n", mode, kills, torn);
    }

    /** Whether {@code name}'s stderr so far holds {@code text} (false while the file is not there yet). */
    boolean errContains(String name, String text) {
        try {
            return err(name).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * SIGTERM and SIGINT: finish the step, checkpoint, flush the metrics, say how to resume, exit 143/130; the resumed
     * run ends bit-identical. (That a stop writes a checkpoint even with periodic ones off is checked in-process by
     * TrainingRunTest; here checkpoints every step keep the process busy long enough to be signalled mid-run.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void signalStopsCleanlyWithACheckpointAndResumeContinues(String signal) throws Exception {
        Path ref = reference(SGD), run = tmp.resolve("signalled");
        Process p = start("run", args(SGD, "--out", run.toString(), "--checkpoint-every", "1"));
        await(() -> rows(run) >= 5, p, "a few metrics rows");
        if (signal.equals("TERM")) {
            p.destroy();
        } else {
            assertEquals(
                    0,
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                            .start()
                            .waitFor());
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(signal.equals("TERM") ? 143 : 130, p.exitValue(), err("run"));
        String message = err("run").strip();
        assertTrue(
                message.matches(
                        "(?s).*widenet: interrupted at step (\\d+); resume with: widenet train --resume " + run),
                message);
        long step = Long.parseLong(message.replaceAll("(?s).*interrupted at step (\\d+);.*", "$1"));
        assertEquals(step, newestCheckpoint(run), "the checkpoint is at the step reported");
        assertEquals("interrupted", Json.read(run.resolve("run.json")).get("status"));
        List<String> rows = withoutTime(run);
        long lastRow = Long.parseLong(rows.get(rows.size() - 1).split(",")[0]);
        assertEquals((step - 1) / 3 * 3, lastRow, "metrics flushed up to the last row before step " + step);
        assertEquals(0, Main.run("train", "--resume", run.toString(), "--quiet", "--checkpoint-every", "0"));
        assertSameResults(ref, run);
    }

    @Test
    void resumeRefusesDifferentSettingsAndContinuesWithTheRecordedOnes() throws Exception {
        Path ref = reference(GD), run = tmp.resolve("run");
        Process p = start("run", args(GD, "--out", run.toString(), "--checkpoint-every", "0"));
        await(() -> rows(run) >= 3, p, "a few metrics rows");
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), err("run"));

        TrainCommandTest.Result r = TrainCommandTest.run("train", "--resume", run.toString(), "--lr", "0.2");
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "widenet: --lr 0.2 differs from the checkpoint's 0.3", r.err().strip());
        r = TrainCommandTest.run("train", "--resume", run.toString(), "--train-output-layer");
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err().contains("--train-output-layer differs from the checkpoint's --train-output-layer false"),
                r.err());
        r = TrainCommandTest.run(
                "train", "--resume", run.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out cannot be combined with --resume"), r.err());
        r = TrainCommandTest.run("train", "--resume", tmp.resolve("nothing").toString());
        assertEquals(2, r.code(), r.err());

        // Same values given explicitly (0.30 is 0.3) are fine; the rest comes from the checkpoint.
        r = TrainCommandTest.run("train", "--resume", run.toString(), "--lr", "0.30", "--width", "96", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertSameResults(ref, run);
        r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
        assertEquals(0, r.code(), "resuming a finished run is a no-op: " + r.err());
        assertSameResults(ref, run);
    }

    /** A second process on the same folder is refused naming the first; a killed holder leaves no stale lock. */
    @Test
    void oneProcessPerFolder() throws Exception {
        Path run = tmp.resolve("shared");
        Process p =
                start("holder", args(set(GD, "--steps", "100000"), "--out", run.toString(), "--checkpoint-every", "1"));
        await(() -> hasCheckpoint(run), p, "the first process to start training");
        for (String[] second :
                new String[][] {args(GD, "--out", run.toString(), "--force"), {"train", "--resume", run.toString()}}) {
            TrainCommandTest.Result r = TrainCommandTest.run(second);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(run + " is in use by another widenet run (pid " + p.pid() + " on "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Process again = start("again", "train", "--resume", run.toString(), "--quiet");
        await(
                () -> rows(run) > 0 && !again.isAlive() || hasLockBy(run, again.pid()),
                again,
                "the lock to be taken again");
        again.destroyForcibly();
        again.waitFor(30, TimeUnit.SECONDS);
    }

    static boolean hasLockBy(Path run, long pid) {
        try {
            return Files.readString(run.resolve("lock")).startsWith("pid " + pid + " ");
        } catch (IOException e) {
            return false;
        }
    }

    /** Without root a read-only folder is refused in one line (as root, permissions do not bind: see the tmpfs test). */
    @Test
    void readOnlyOutputFolderIsRefusedInOneLine() throws IOException {
        Path ro = tmp.resolve("ro");
        Files.createDirectories(ro);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(ro), "running as root: permissions do not stop writes");
            TrainCommandTest.Result r =
                    TrainCommandTest.run(args(GD, "--out", ro.resolve("run").toString()));
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /**
     * A real full disk and a real read-only file system: a small tmpfs (needs root, which this machine's CI has;
     * skipped elsewhere). The run fails with one line and exit 2; the last checkpoint stays valid; once there is room
     * the run resumes to the uninterrupted result.
     */
    @Test
    void fullThenReadOnlyDiskKeepsTheLastCheckpoint() throws Exception {
        Path mnt = tmp.resolve("small-disk");
        Files.createDirectories(mnt);
        assumeTrue(
                sh("mount", "-t", "tmpfs", "-o", "size=100k", "widenet-test", mnt.toString()) == 0,
                "cannot mount a tmpfs here");
        try {
            Path ref = reference(GD), run = mnt.resolve("run");
            TrainCommandTest.Result r =
                    TrainCommandTest.run(args(GD, "--out", run.toString(), "--checkpoint-every", "1"));
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(
                    r.err().matches("widenet: cannot write " + run + "/\\S+: No space left on device; .*\\s*"),
                    r.err());
            assertTrue(
                    r.err().contains("is kept: fix the folder and resume with: widenet train --resume " + run),
                    r.err());

            assertEquals(0, sh("mount", "-o", "remount,ro", mnt.toString()));
            r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
            assertEquals(2, r.code(), r.err());
            assertEquals(
                    "widenet: " + run + " is not writable: cannot open " + run.resolve("lock")
                            + " (Read-only file system)",
                    r.err().strip());

            assertEquals(0, sh("mount", "-o", "remount,rw,size=64m", mnt.toString()));
            r = TrainCommandTest.run("train", "--resume", run.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            assertSameResults(ref, run);
        } finally {
            sh("umount", "-l", mnt.toString());
        }
    }

    static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
