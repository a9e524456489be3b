package widenet.train.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import widenet.train.CheckpointException;
import widenet.train.Dataset;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;
import widenet.train.OutputException;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * Checkpoint and resume in-process: a run stopped at a step boundary and resumed (possibly several times) ends
 * bit-identical to an uninterrupted one; damaged checkpoints are detected and passed over; a failing write keeps
 * the last good checkpoint; a folder is used by one run at a time.
 */
class TrainingRunTest {
    @TempDir
    Path tmp;

    @AfterEach
    void noFaults() {
        Checkpoints.faults = path -> {};
    }

    static Stream<Arguments> setups() {
        return Stream.of(
                Arguments.of("GD", RunFixture.gd()),
                Arguments.of("SGD (batch 7 of 30, rows every 3)", RunFixture.sgd()),
                Arguments.of("GD with extra model state", RunFixture.gd().withStateful(true)),
                Arguments.of("SGD with extra model state", RunFixture.sgd().withStateful(true)));
    }

    private void assertSameResults(Path expected, Path actual) throws IOException {
        List<String> a = RunFixture.metricsWithoutTime(expected), b = RunFixture.metricsWithoutTime(actual);
        assertEquals(a.size(), b.size(), "metrics rows");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), "metrics.csv line " + (i + 1));
        }
        Map<String, byte[]> wa = RunFixture.finalWeights(expected), wb = RunFixture.finalWeights(actual);
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) {
            assertArrayEquals(wa.get(k), wb.get(k), "final/" + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void stoppedAndResumedRunsAreBitIdenticalToAnUninterruptedOne(String name, RunFixture f) throws IOException {
        Path ref = tmp.resolve("ref"), cut = tmp.resolve("cut");
        assertTrue(f.run(ref, false, CheckpointPolicy.never(), -1).finished());
        assertFalse(Files.exists(Checkpoints.folder(ref)), "a finished run drops its checkpoints");

        // Stop three times at awkward places (right after a row, mid-epoch, near the end), resuming each time.
        TrainingRun.Outcome o = f.run(cut, false, CheckpointPolicy.everySteps(4), 5);
        assertFalse(o.finished());
        assertEquals(
                boundaryAfterRow(f, 5), o.step(), "stops at the first boundary after the first row at or after step 5");
        assertEquals("interrupted", Json.read(cut.resolve("run.json")).get("status"));
        o = f.run(cut, true, CheckpointPolicy.everySteps(4), 13);
        assertEquals(boundaryAfterRow(f, 13), o.step());
        o = f.run(cut, true, CheckpointPolicy.never(), f.steps() - 5);
        assertEquals(boundaryAfterRow(f, f.steps() - 5), o.step());
        assertTrue(f.run(cut, true, CheckpointPolicy.never(), -1).finished());
        assertSameResults(ref, cut);
        Map<String, Object> run = Json.read(cut.resolve("run.json"));
        assertEquals("finished", run.get("status"));
        assertEquals(3, ((List<?>) run.get("resumed")).size());
    }

    /** The step after the first metrics row at or after {@code step}. */
    private static long boundaryAfterRow(RunFixture f, long step) {
        return (step + f.every() - 1) / f.every() * f.every() + 1;
    }

    @Test
    void modelStateThatIsNotDeclaredBreaksTheResumeSoTheCheckWouldCatchIt() throws IOException {
        RunFixture f = RunFixture.gd().withStateful(false);
        Path ref = tmp.resolve("ref"), cut = tmp.resolve("cut");
        f.run(ref, false, CheckpointPolicy.never(), -1);
        f.run(cut, false, CheckpointPolicy.never(), 10);
        f.run(cut, true, CheckpointPolicy.never(), -1);
        assertNotEquals(RunFixture.metricsWithoutTime(ref), RunFixture.metricsWithoutTime(cut));
    }

    @Test
    void rowsWrittenAfterTheCheckpointAreReplacedNotDuplicated() throws IOException {
        RunFixture f = RunFixture.gd();
        Path ref = tmp.resolve("ref"), cut = tmp.resolve("cut");
        f.run(ref, false, CheckpointPolicy.never(), -1);
        f.run(cut, false, CheckpointPolicy.everySteps(5), 12); // checkpoints at 5, 10 and 13 (the stop)
        // Simulate a crash after the checkpoint at 10: drop the newest checkpoint, leave rows 10..12 and a torn row.
        Checkpoints.deleteRecursively(Checkpoints.folder(cut).resolve(Checkpoints.stepName(13)));
        Files.writeString(cut.resolve("metrics.csv"), "13,0.5,0.12", java.nio.file.StandardOpenOption.APPEND);
        f.run(cut, true, CheckpointPolicy.never(), -1);
        assertSameResults(ref, cut);
    }

    @Test
    void damagedCheckpointsArePassedOverForThePreviousOne() throws IOException {
        RunFixture f = RunFixture.sgd();
        Path ref = tmp.resolve("ref"), cut = tmp.resolve("cut");
        f.run(ref, false, CheckpointPolicy.never(), -1);
        f.run(cut, false, CheckpointPolicy.everySteps(4), 10); // rows every 3: stops at 13; checkpoints 4, 8, 12, 13
        Path root = Checkpoints.folder(cut);
        assertEquals(List.of(13L, 12L), Checkpoints.steps(root), "the newest two are kept");
        Path w = root.resolve(Checkpoints.stepName(13)).resolve("params/W.npy");
        byte[] bytes = Files.readAllBytes(w);
        bytes[bytes.length - 3] ^= 0x10; // one flipped bit in the weights
        Files.write(w, bytes);
        Files.createDirectories(root.resolve(".partial-14/params")); // a write torn by a crash
        Checkpoints.Latest latest = Checkpoints.latest(cut);
        assertEquals(12, latest.checkpoint().step());
        assertEquals(1, latest.skipped().size());
        assertTrue(
                latest.skipped().get(0).contains("W.npy")
                        && latest.skipped().get(0).contains("corrupted"),
                latest.skipped().toString());
        f.run(cut, true, CheckpointPolicy.never(), -1);
        assertSameResults(ref, cut);
    }

    @Test
    void everyKindOfDamageIsDetected() throws IOException {
        RunFixture f = RunFixture.gd();
        Path cut = tmp.resolve("cut");
        f.run(cut, false, CheckpointPolicy.never(), 3);
        Path cp = Checkpoints.folder(cut).resolve(Checkpoints.stepName(4));
        Checkpoints.load(cp); // intact
        byte[] manifest = Files.readAllBytes(cp.resolve("manifest"));
        String[][] cases = {
            {"manifest", "torn"}, // truncated manifest
            {"manifest-flip", "checksum"}, // a changed byte in the manifest
            {"checkpoint.json", "corrupted"},
            {"init/a.npy", "missing"},
        };
        for (String[] c : cases) {
            Path copy = tmp.resolve("copy-" + c[0].replace('/', '_')).resolve(Checkpoints.stepName(4));
            copyTree(cp, copy);
            switch (c[0]) {
                case "manifest" ->
                    Files.write(copy.resolve("manifest"), java.util.Arrays.copyOf(manifest, manifest.length - 5));
                case "manifest-flip" -> {
                    byte[] b = manifest.clone();
                    b[30] = (byte) (b[30] == '1' ? '2' : '1');
                    Files.write(copy.resolve("manifest"), b);
                }
                case "checkpoint.json" -> Files.writeString(copy.resolve("checkpoint.json"), "{}");
                default -> Files.delete(copy.resolve(c[0]));
            }
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(copy));
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    /** A write failing midway (a full disk, an I/O error): a one-line error, no partial folder, the last checkpoint intact. */
    @Test
    void aFailingCheckpointWriteKeepsTheLastGoodOne() throws IOException {
        RunFixture f = RunFixture.gd();
        Path ref = tmp.resolve("ref"), cut = tmp.resolve("cut");
        f.run(ref, false, CheckpointPolicy.never(), -1);
        int[] writes = {0};
        Checkpoints.faults = path -> {
            if (path.equals("params/a.npy") && ++writes[0] == 3) {
                throw new java.nio.file.FileSystemException(path, null, "No space left on device");
            }
        };
        OutputException e =
                assertThrows(OutputException.class, () -> f.run(cut, false, CheckpointPolicy.everySteps(4), -1));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("the checkpoint at step 8 is kept"), e.getMessage());
        assertTrue(e.getMessage().contains("--resume " + cut), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(List.of(8L, 4L), Checkpoints.steps(Checkpoints.folder(cut)));
        try (Stream<Path> s = Files.list(Checkpoints.folder(cut))) {
            assertEquals(2, s.count(), "no partial checkpoint left behind");
        }
        Checkpoints.faults = path -> {};
        assertTrue(f.run(cut, true, CheckpointPolicy.everySteps(4), -1).finished());
        assertSameResults(ref, cut);
    }

    @Test
    void aFolderIsUsedByOneRunAtATime() throws IOException {
        Path dir = tmp.resolve("run");
        try (TrainingRun first = TrainingRun.create(dir, false)) {
            InputException e = assertThrows(InputException.class, () -> TrainingRun.create(dir, true));
            assertTrue(
                    e.getMessage()
                            .contains("in use by another widenet run (pid "
                                    + ProcessHandle.current().pid()),
                    e.getMessage());
        }
        TrainingRun.create(dir, true).close(); // released
    }

    @Test
    void resumingWithOtherDataOrAnotherModelIsRefused() throws IOException {
        Path cut = tmp.resolve("cut");
        RunFixture.gd().run(cut, false, CheckpointPolicy.never(), 3);
        CheckpointException e = assertThrows(
                CheckpointException.class,
                () -> RunFixture.gd().withData(99).run(cut, true, CheckpointPolicy.never(), -1));
        assertTrue(e.getMessage().contains("training data differ"), e.getMessage());
        e = assertThrows(
                CheckpointException.class,
                () -> RunFixture.gd().withStateful(true).run(cut, true, CheckpointPolicy.never(), -1));
        assertTrue(e.getMessage().contains("not by this stateful-two-layer network"), e.getMessage());
    }

    @Test
    void statusTellsASweepWhatToDo() throws IOException {
        RunFixture f = RunFixture.gd();
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        assertEquals(TrainingRun.Status.NONE, TrainingRun.status(a));
        f.run(a, false, CheckpointPolicy.never(), -1);
        assertEquals(TrainingRun.Status.FINISHED, TrainingRun.status(a));
        f.run(b, false, CheckpointPolicy.never(), 3);
        assertEquals(TrainingRun.Status.RESUMABLE, TrainingRun.status(b));
        InputException e = assertThrows(InputException.class, () -> TrainingRun.resume(a));
        assertTrue(e.getMessage().contains("finished; nothing to resume"), e.getMessage());
        Files.createDirectories(c);
        Files.writeString(c.resolve("run.json"), "{\"status\": \"running\"}");
        assertEquals(TrainingRun.Status.STARTED, TrainingRun.status(c));
        try (TrainingRun r = TrainingRun.open(c)) {
            assertFalse(r.resuming());
        }
        try (TrainingRun r = TrainingRun.open(b)) {
            assertTrue(r.resuming());
            assertEquals(4, r.checkpoint().step());
        }
    }

    /**
     * The loop {@link TrainingRun} drives (a boundary that polls the stop flag and the checkpoint policy every step)
     * allocates nothing between checkpoints: measured with the thread's allocation counter from inside the boundary,
     * over 3000 steps of full-batch GD and SGD, after 1000 steps of warm-up. Same bound as TrainerTest's.
     */
    @Test
    void theLoopBetweenCheckpointsAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int batch : new int[] {24, 5}) {
            java.util.SplittableRandom root = new java.util.SplittableRandom(2);
            try (widenet.kernel.Kernels k = widenet.kernel.KernelProviders.open("scalar", 1);
                    Dataset data = Dataset.unitSphere(24, 8, root.split());
                    widenet.model.TwoLayerNetwork net = new widenet.model.TwoLayerNetwork(
                            k,
                            new widenet.model.TwoLayerNetwork.Config(
                                    8, 16, 24, 1.0, true, widenet.model.LossKind.MEAN, true),
                            root.split());
                    Trainer t = new Trainer(k, net, data, new TrainSettings(0.01, 5000, batch, 1_000_000, 3))) {
                GracefulShutdown shutdown = GracefulShutdown.manual();
                CheckpointPolicy policy = CheckpointPolicy.parse("1h");
                policy.start(System.nanoTime());
                long[] bytes = new long[2];
                t.run(row -> {}, step -> {
                    if (step == 1000) {
                        bytes[0] = mx.getCurrentThreadAllocatedBytes();
                    } else if (step == 4000) {
                        bytes[1] = mx.getCurrentThreadAllocatedBytes();
                    }
                    if (policy.due(step, System.nanoTime())) {
                        throw new AssertionError("no checkpoint is due within an hour");
                    }
                    return shutdown.requested();
                });
                long allocated = bytes[1] - bytes[0];
                assertTrue(allocated < 2048, "batch " + batch + ": 3000 steps allocated " + allocated + " bytes");
            }
        }
    }

    @Test
    void manifestRoundTripsAndRejectsUnsafePaths() {
        var m = new CheckpointManifest(
                12,
                List.of(
                        new CheckpointManifest.Entry("checkpoint.json", 10, 0xdeadbeefL),
                        new CheckpointManifest.Entry("params/W.npy", 4096, 1)));
        assertEquals(m, CheckpointManifest.parse(m.format(), "m"));
        for (String bad : new String[] {"../x", "/etc/passwd", "a/../../b", "a//b", ".", "a b", ""}) {
            assertFalse(CheckpointManifest.isValidPath(bad), bad);
        }
        String text = "widenet-checkpoint 1\nstep 3\nfile ../../etc/passwd 1 00000000\n";
        byte[] body = text.getBytes();
        byte[] withEnd =
                (text + "end " + CheckpointManifest.hex(CheckpointManifest.crc32(body, body.length)) + "\n").getBytes();
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointManifest.parse(withEnd, "m"));
        assertTrue(e.getMessage().contains("unsafe"), e.getMessage());
    }

    @Test
    void checkpointPolicyParsesStepsAndDurations() {
        assertEquals("every 100 steps", CheckpointPolicy.parse("100").toString());
        assertEquals("off", CheckpointPolicy.parse("0").toString());
        assertEquals("every 5m", CheckpointPolicy.parse("5m").toString());
        CheckpointPolicy p = CheckpointPolicy.parse("1.5s");
        p.start(0);
        assertFalse(p.due(7, 1_499_999_999L));
        assertTrue(p.due(7, 1_500_000_000L));
        for (String bad : new String[] {"", "-1", "5x", "1e3", "0s", "2 m", "99999999999h"}) {
            InputException e = assertThrows(InputException.class, () -> CheckpointPolicy.parse(bad));
            assertTrue(e.getMessage().startsWith("--checkpoint-every '"), e.getMessage());
        }
    }
}
