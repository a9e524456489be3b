package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;

/**
 * Issue 17's findings about files, as a user meets them: widenet never writes through a symbolic link or over an
 * input, --force leaves nothing of an earlier run, result files get ordinary permissions, and every refusal is one
 * line with exit code 2.
 */
class FileSafetyTest {
    @TempDir
    Path tmp;

    static final String[] SMALL = TrainCommandTest.SMALL;

    static TrainCommandTest.Result run(String... args) {
        return TrainCommandTest.run(args);
    }

    static void assertRefused(TrainCommandTest.Result r, String needle) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(needle), r.err());
        assertFalse(
                r.err().contains("\tat ") || r.err().contains("Exception"),
                "no stack trace, no class name: " + r.err());
    }

    /** Finding 3: a symbolic link named lock (or metrics.csv) is refused; the file it points at is untouched. */
    @Test
    void aSymlinkedLockOrMetricsFileIsRefusedAndItsTargetUntouched() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        Path out = Files.createDirectory(tmp.resolve("run"));
        Files.createSymbolicLink(out.resolve("lock"), victim);
        assertRefused(run(TrainCommandTest.with(SMALL, "--out", out.toString())), "symbolic link");
        assertEquals("precious\n", Files.readString(victim));

        Path forced = Files.createDirectory(tmp.resolve("forced"));
        Files.createSymbolicLink(forced.resolve("metrics.csv"), victim);
        assertRefused(run(TrainCommandTest.with(SMALL, "--out", forced.toString(), "--force")), "symbolic link");
        assertEquals("precious\n", Files.readString(victim));
    }

    /** Finding 4: --force over another model's run leaves none of its files; foreign files make --force refuse. */
    @Test
    void forceRemovesTheEarlierRunsFilesAndRefusesForeignOnes() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(
                0, run(TrainCommandTest.with(SMALL, "--out", out.toString())).code());
        assertEquals(0, run("report", out.toString(), "--quiet").code());
        assertTrue(Files.isRegularFile(out.resolve("init/W.npy")) && Files.isRegularFile(out.resolve("report.html")));
        TrainCommandTest.Result deep = run(
                "train",
                "--model",
                "deep",
                "--n",
                "12",
                "--widths",
                "5,16,1",
                "--steps",
                "3",
                "--lr",
                "0.01",
                "--theory",
                "off",
                "--kernels",
                "scalar",
                "--quiet",
                "--out",
                out.toString(),
                "--force");
        assertEquals(0, deep.code(), deep.err());
        try (Stream<Path> s = Files.list(out.resolve("init"))) {
            assertEquals(
                    List.of("W1.npy", "W2.npy"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertFalse(Files.exists(out.resolve("report.html")), "the two-layer run's report is gone");
        assertFalse(Files.exists(out.resolve("theory.json")), "the two-layer run's theory is gone");

        Files.writeString(out.resolve("notes.txt"), "mine");
        assertRefused(run(TrainCommandTest.with(SMALL, "--out", out.toString(), "--force")), "notes.txt");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertTrue(Files.isRegularFile(out.resolve("init/W1.npy")), "nothing removed when refused");
    }

    /** Finding 5: report --out and theory --json never replace an input. */
    @Test
    void reportAndTheoryRefuseToOverwriteInputs() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(
                0, run(TrainCommandTest.with(SMALL, "--out", out.toString())).code());
        String metrics = Files.readString(out.resolve("metrics.csv"));
        assertRefused(
                run(
                        "report",
                        out.toString(),
                        "--out",
                        out.resolve("metrics.csv").toString()),
                "metrics.csv");
        assertEquals(metrics, Files.readString(out.resolve("metrics.csv")));
        Path other = tmp.resolve("other");
        assertEquals(
                0, run(TrainCommandTest.with(SMALL, "--out", other.toString())).code());
        assertRefused(
                run(
                        "report",
                        out.toString(),
                        "--out",
                        other.resolve("report.html").toString()),
                "inside");
        Path notes = Files.writeString(tmp.resolve("notes.html.bak"), "my notes");
        assertRefused(run("report", out.toString(), "--out", notes.toString()), "is not an HTML page");
        assertEquals("my notes", Files.readString(notes));
        assertRefused(run("report", out.toString(), "--out", tmp.toString()), "is a folder");
        Path page = tmp.resolve("page.html");
        assertEquals(
                0,
                run("report", out.toString(), "--out", page.toString(), "--quiet")
                        .code());
        assertEquals(
                0,
                run("report", out.toString(), "--out", page.toString(), "--quiet")
                        .code(),
                "its own earlier page is replaced");

        String[] theory = {"theory", "--n", "8", "--d", "4", "--kernels", "scalar"};
        assertRefused(run(concat(theory, "--json", out.resolve("run.json").toString())), "inside");
        assertRefused(run(concat(theory, "--json", notes.toString())), "is not a JSON document");
        assertEquals(
                0,
                run(concat(theory, "--json", tmp.resolve("t.json").toString())).code());
    }

    /** Finding 8 (and theory validating like train): 0 rows, a bad --lr, --n with --x are refused in the options' terms. */
    @Test
    void theoryValidatesLikeTrain() throws IOException {
        Path x0 = tmp.resolve("X0.npy");
        try (FloatMatrix m = FloatMatrix.allocate(0, 3)) {
            Npy.write(x0, m);
        }
        assertRefused(run("theory", "--x", x0.toString(), "--kernels", "scalar"), "X0.npy: 0×3 inputs");
        for (String lr : List.of("NaN", "0", "-1", "Infinity")) {
            assertRefused(
                    run("theory", "--n", "8", "--d", "4", "--lr", lr, "--kernels", "scalar"), "--lr must be positive");
        }
        Path x = tmp.resolve("X.npy");
        try (FloatMatrix m = FloatMatrix.allocate(4, 3)) {
            m.set(0, 0, 1);
            m.set(1, 1, 1);
            m.set(2, 2, 1);
            m.set(3, 0, -1);
            Npy.write(x, m);
        }
        assertRefused(run("theory", "--x", x.toString(), "--n", "10", "--kernels", "scalar"), "--n");
    }

    /** Finding 11: run.json, theory.json, report.html, metrics.csv and the arrays all get the umask's permissions. */
    @Test
    void resultFilesGetOrdinaryPermissions() throws IOException {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path probe = Files.createFile(tmp.resolve("probe")); // what the umask gives a new file here
        String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(probe));
        Path out = tmp.resolve("run");
        assertEquals(
                0, run(TrainCommandTest.with(SMALL, "--out", out.toString())).code());
        assertEquals(0, run("report", out.toString(), "--quiet").code());
        for (String f : List.of("run.json", "theory.json", "report.html", "metrics.csv", "init/W.npy", "final/a.npy")) {
            assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f))), f);
        }
    }

    /** Finding 10: an argument that is not valid text (bytes → U+FFFD) is refused, never turned into another folder. */
    @Test
    void aPathThatIsNotValidTextIsRefused() {
        Path out = tmp.resolve("caf\uFFFD");
        assertRefused(run(TrainCommandTest.with(SMALL, "--out", out.toString())), "not valid");
        assertFalse(Files.exists(out));
    }

    /** Findings 9 and 14: a folder or a FIFO given as data, or a device as an argument file, is refused at once. */
    @Test
    void foldersFifosAndDevicesAreRefusedNotReadOrWaitedOn() throws Exception {
        Path y = tmp.resolve("y.npy");
        try (FloatMatrix m = FloatMatrix.allocate(4, 1)) {
            Npy.write(y, m);
        }
        Path folder = Files.createDirectory(tmp.resolve("X.npy"));
        assertRefused(
                run(TrainCommandTest.with(SMALL, "--x", folder.toString(), "--y", y.toString())), "X.npy: is a folder");
        Path nope = tmp.resolve("nope.npy");
        assertRefused(
                run(TrainCommandTest.with(SMALL, "--x", nope.toString(), "--y", y.toString())),
                "nope.npy: no such file or folder");
        Path fifo = tmp.resolve("fifo.npy");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        assertRefused(
                run(TrainCommandTest.with(SMALL, "--x", fifo.toString(), "--y", y.toString())), "not a regular file");
        assertRefused(run("train", "@" + fifo), "not a regular file");
        if (Files.exists(Path.of("/dev/zero"))) {
            assertRefused(run("train", "@/dev/zero"), "not a regular file");
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
