package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.sweep.LogLogFit;
import widenet.train.internal.Json;

/** {@code widenet ntk-gap}: the gap of a run, its fit against m, the files, and kept runs on a rerun. */
class NtkGapCommandTest {
    @TempDir
    Path tmp;

    @Test
    void gapIsTheLargestDifferenceOverTheFirstMeasuredValue() {
        List<String> lines = List.of("step,loss,pred", "0,4,4", "1,2,1.5", "2,1,0.9", "3,0.5,nan");
        assertEquals(0.5 / 4, NtkGapCommand.gap(lines, 1, 2), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, NtkGapCommand.gap(List.of("s,l,p", "0,1,1", "1,inf,0.5"), 1, 2));
    }

    /** Exact power laws give back their exponent; one width gives no fit. */
    @Test
    void theFitRecoversAnExactExponent() {
        List<NtkGapCommand.Point> p = List.of(
                new NtkGapCommand.Point(100, 0, new double[] {0.1, Double.NaN, 0, 0}, 1),
                new NtkGapCommand.Point(400, 0, new double[] {0.05, Double.NaN, 0, 0}, 1),
                new NtkGapCommand.Point(1600, 0, new double[] {0.025, Double.NaN, 0, 0}, 1));
        LogLogFit f = NtkGapCommand.fit(p, 0);
        assertEquals(-0.5, f.alpha(), 1e-12);
        assertEquals(null, NtkGapCommand.fit(p, 1), "no points");
        assertEquals(null, NtkGapCommand.fit(p, 2), "zero gaps are not on a log scale");
    }

    @Test
    void smallRunWritesTheTableAndFilesAndKeepsFinishedRuns() throws Exception {
        Path out = tmp.resolve("gap");
        String[] args = {
            "ntk-gap",
            "--n",
            "12",
            "--d",
            "5",
            "--test-n",
            "9",
            "--widths-m",
            "40,80,160",
            "--seeds",
            "1",
            "--steps",
            "20",
            "--every",
            "5",
            "--lr",
            "0.2",
            "--kernels",
            "scalar",
            "--threads",
            "1",
            "--quiet",
            "--out",
            out.toString()
        };
        String shown = TheoryCommandTest.stdout(() -> assertEquals(0, Main.run(args)));
        assertTrue(shown.contains("gap_ntk0") && shown.contains("α ="), shown);
        assertEquals(4, Files.readAllLines(out.resolve("gap.csv")).size());
        Map<String, Object> json = Json.read(out.resolve("gap.json"));
        Map<?, ?> fits = (Map<?, ?>) json.get("fits");
        assertTrue(
                fits.keySet().containsAll(List.of("gap_ntk0", "gap_inf", "test_gap_ntk0", "test_gap_inf")),
                fits.toString());
        long before = Files.getLastModifiedTime(out.resolve("m000040-seed0/metrics.csv"))
                .toMillis();
        String again = TheoryCommandTest.stdout(() -> assertEquals(0, Main.run(args)));
        assertEquals(shown, again, "the same runs give the same gaps");
        assertEquals(
                before,
                Files.getLastModifiedTime(out.resolve("m000040-seed0/metrics.csv"))
                        .toMillis(),
                "a finished run is kept");
        TrainCommandTest.Result r = TrainCommandTest.run(
                "ntk-gap", "--width", "10", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("drop --width"), r.err());
    }
}
