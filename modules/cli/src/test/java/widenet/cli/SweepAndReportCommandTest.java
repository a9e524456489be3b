package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.train.internal.Json;

/** {@code widenet sweep} and {@code widenet report} as a user runs them: outputs, resumption, exit codes. */
class SweepAndReportCommandTest {
    @TempDir
    Path tmp;

    static final String[] TINY = {
        "sweep",
        "--n",
        "8,16",
        "--d",
        "8",
        "--seeds",
        "2",
        "--steps",
        "100",
        "--target",
        "0.05",
        "--width-min",
        "2",
        "--width-max",
        "64",
        "--per-octave",
        "1",
        "--kernels",
        "scalar",
        "--quiet"
    };

    static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void sweepWritesItsFolderAndReportAndResumes() throws IOException {
        Path out = tmp.resolve("sweep");
        TrainCommandTest.Result r = TrainCommandTest.run(with(TINY, "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"sweep.json", "sweep.csv", "cells.csv", "summary.md", "report.html"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Map<String, Object> json = Json.read(out.resolve("sweep.json"));
        assertEquals("finished", json.get("status"));
        assertEquals("sweep", json.get("command"));
        int computed = ((Number) json.get("cells_computed")).intValue();
        assertTrue(computed > 0);

        r = TrainCommandTest.run(with(TINY, "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        json = Json.read(out.resolve("sweep.json"));
        assertEquals(
                0, ((Number) json.get("cells_computed")).intValue(), "a finished sweep is read back, not recomputed");
        assertEquals(computed, ((Number) json.get("cells_reused")).intValue());

        r = TrainCommandTest.run(with(TINY, "--out", out.toString(), "--lr", "0.05"));
        assertEquals(Main.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("other settings (lr 0.2 → 0.05)"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** One cell of 800 steps on the scalar kernels (≈ 6 s on a 2-core Zen 3), long enough to be stopped inside. */
    static final String[] ONE_LONG_CELL = {
        "sweep",
        "--n",
        "128",
        "--d",
        "16",
        "--seeds",
        "1",
        "--steps",
        "800",
        "--target",
        "1e-12",
        "--width-min",
        "512",
        "--width-max",
        "512",
        "--kernels",
        "scalar",
        "--threads-per-cell",
        "1",
        "--cells-at-once",
        "1",
        "--quiet"
    };

    /**
     * SIGTERM during a cell: the cell checkpoints at its step boundary (not only every 60 s), sweep.json says
     * "interrupted", the process exits 143 saying how to continue, and that command ends with the results of an
     * uninterrupted sweep. While it runs, a second sweep on the folder is refused naming the first.
     */
    @Test
    void sigtermCheckpointsTheRunningCellAndTheSameCommandContinues() throws Exception {
        Path ref = tmp.resolve("ref"), out = tmp.resolve("stopped");
        assertEquals(
                0,
                TrainCommandTest.run(with(ONE_LONG_CELL, "--out", ref.toString()))
                        .code());

        String[] cmd = with(ONE_LONG_CELL, "--out", out.toString());
        Process p = ResilienceTest.startCli(tmp, "sweep", cmd);
        Path cell = out.resolve("cells/128-512-0");
        ResilienceTest.await(() -> Files.isDirectory(cell.resolve("init")), p, "the cell to start");
        Thread.sleep(700); // ≈ 80 steps; the cell takes 800
        assertTrue(p.isAlive() && !Files.exists(cell.resolve("cell.json")), "the cell ended before the signal");

        TrainCommandTest.Result second = TrainCommandTest.run(cmd);
        assertEquals(Main.EXIT_INPUT, second.code(), second.err());
        assertTrue(
                second.err().contains(out + " is in use by another widenet run (pid " + p.pid() + " on "),
                second.err());

        p.destroy();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("sweep.err"));
        assertEquals(143, p.exitValue(), err);
        assertTrue(
                err.strip()
                        .endsWith("continue with: widenet sweep "
                                + String.join(" ", java.util.Arrays.copyOfRange(cmd, 1, cmd.length))),
                err);
        assertEquals("interrupted", Json.read(out.resolve("sweep.json")).get("status"));
        assertFalse(Files.exists(cell.resolve("cell.json")));
        assertTrue(ResilienceTest.newestCheckpoint(cell) > 0, "the stopped cell was checkpointed at its step boundary");

        TrainCommandTest.Result r = TrainCommandTest.run(cmd);
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(ref.resolve("sweep.csv")), Files.readString(out.resolve("sweep.csv")));
        assertEquals(withoutSeconds(ref.resolve("cells.csv")), withoutSeconds(out.resolve("cells.csv")));
        assertEquals("finished", Json.read(out.resolve("sweep.json")).get("status"));
    }

    /** cells.csv without its last column (wall-clock seconds). */
    static java.util.List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream()
                .map(l -> l.substring(0, l.lastIndexOf(',')))
                .toList();
    }

    @Test
    void reportOfARunWritesReportHtmlBesideIt() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(
                0,
                TrainCommandTest.run(TrainCommandTest.with(TrainCommandTest.SMALL, "--out", run.toString()))
                        .code());
        TrainCommandTest.Result r = TrainCommandTest.run("report", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<figure class=\"chart\""));

        Path elsewhere = tmp.resolve("x/page.html");
        assertEquals(
                0,
                TrainCommandTest.run("report", run.toString(), "--out", elsewhere.toString(), "--quiet")
                        .code());
        assertTrue(Files.isRegularFile(elsewhere));
    }

    @Test
    void badReportInputExitsTwoWithOneLine() throws IOException {
        TrainCommandTest.Result r = TrainCommandTest.run("report", tmp.toString());
        assertEquals(Main.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("is not a widenet run, reproduction or sweep folder"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.csv"), "step,loss\n0,1.0\n1,oops\n");
        r = TrainCommandTest.run("report", run.toString());
        assertEquals(Main.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("metrics.csv:3: column loss: 'oops' is not a number"), r.err());
        assertFalse(Files.exists(run.resolve("report.html")));
    }
}
