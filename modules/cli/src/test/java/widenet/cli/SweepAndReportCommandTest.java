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
import widenet.train.Json;

/** {@code widenet sweep} and {@code widenet report} as a user runs them: outputs, resumption, exit codes. */
class SweepAndReportCommandTest {
    @TempDir
    Path tmp;

    static final String[] TINY = {"sweep", "--n", "8,16", "--d", "8", "--seeds", "2", "--steps", "100", "--target", "0.05",
            "--width-min", "2", "--width-max", "64", "--per-octave", "1", "--kernels", "scalar", "--quiet"};

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
        assertEquals(0, ((Number) json.get("cells_computed")).intValue(), "a finished sweep is read back, not recomputed");
        assertEquals(computed, ((Number) json.get("cells_reused")).intValue());

        r = TrainCommandTest.run(with(TINY, "--out", out.toString(), "--lr", "0.05"));
        assertEquals(Main.EXIT_INPUT, r.code());
        assertTrue(r.err().contains("other settings (lr 0.2 → 0.05)"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void reportOfARunWritesReportHtmlBesideIt() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(TrainCommandTest.with(TrainCommandTest.SMALL, "--out", run.toString())).code());
        TrainCommandTest.Result r = TrainCommandTest.run("report", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<figure class=\"chart\""));

        Path elsewhere = tmp.resolve("x/page.html");
        assertEquals(0, TrainCommandTest.run("report", run.toString(), "--out", elsewhere.toString(), "--quiet").code());
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
