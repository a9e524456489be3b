package widenet.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.LossKind;
import widenet.train.InputException;
import widenet.train.internal.Json;

/** Tiny real sweeps on the scalar kernels: outputs, the fit, resumption after a stop, determinism. */
class SweepTest {
    @TempDir
    Path tmp;

    /** n = 8, 16, 32 in d = 8 (well inside the degree-2 harmonics, so the NTK is well conditioned), 2 seeds. */
    static SweepSettings tiny() {
        return new SweepSettings(
                List.of(8, 16, 32), 8, 0, 2, 0, 0.3, 200, 0.01, 2, 256, 2, 1.0, LossKind.SUM, "scalar", 1);
    }

    static Sweep sweep(Path dir, int atOnce, Sweep.Listener listener) {
        return new Sweep(dir, tiny(), atOnce, listener, Map.of());
    }

    @Test
    void writesEveryOutputAndAConsistentFit() throws IOException {
        Path dir = tmp.resolve("s");
        Sweep.Outcome o = sweep(dir, 2, null).run();
        for (String f : List.of("sweep.json", "sweep.csv", "cells.csv", "summary.md")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(6, o.chains().size());
        assertEquals(o.cellsComputed(), countCellFiles(dir));
        assertEquals(0, o.cellsReused());
        Map<String, Object> json = Json.read(dir.resolve("sweep.json"));
        assertEquals("finished", json.get("status"));
        assertEquals(Sweep.KIND, json.get("kind"));

        // every chain's verdicts bracket its m_min: the cell at m_min reached ρ, every narrower cell tried did not
        WidthGrid grid = new WidthGrid(2, 256, 2);
        for (WidthSearch.Result c : o.chains()) {
            for (CellResult r : c.cells()) {
                assertEquals(r.cell().width() >= c.mMin(), r.reached(), "chain " + c + " cell " + r);
                assertEquals(r.reached(), r.ratio() <= 0.01);
                assertTrue(r.reached() ? r.stepsRun() <= 200 : r.stepsRun() == 200);
            }
            if (c.status() == WidthSearch.Status.FOUND) {
                int i = java.util.Arrays.binarySearch(grid.widths(), c.mMin());
                int below = grid.width(i - 1);
                assertTrue(
                        c.cells().stream().anyMatch(r -> r.cell().width() == below && !r.reached()),
                        "the width just below m_min was tried and failed: " + c);
            }
        }
        // the fit is the least-squares line through the FOUND chains (recomputed here from sweep.csv)
        List<String> rows = Files.readAllLines(dir.resolve("sweep.csv"));
        assertEquals("n,d,seed,m_min,status,cells", rows.get(0));
        assertEquals(7, rows.size());
        List<double[]> pts = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            if (f[4].equals("found")) {
                pts.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[3])});
            }
        }
        LogLogFit expected = LogLogFit.of(
                pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray());
        assertNotNull(o.fit(), "the tiny sweep has enough in-grid chains for a fit");
        assertEquals(expected.alpha(), o.fit().alpha(), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Object> fit = (Map<String, Object>) json.get("fit");
        assertEquals(o.fit().alpha(), ((Number) fit.get("alpha")).doubleValue(), 1e-12);
        assertTrue(
                o.fit().ciLow() <= o.fit().alpha() && o.fit().alpha() <= o.fit().ciHigh());
        assertTrue(
                o.fit().alpha() > 0,
                "wider networks are needed for more samples: α = " + o.fit().alpha());
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| α |") && md.contains("n⁶"), md);
    }

    /**
     * Stopped after three new cells (the listener throws, as a kill would stop the process), then resumed: the
     * finished cells are read back, not recomputed (same file times, counted as reused), and the result is
     * identical to an uninterrupted sweep run with a different number of cells at once.
     */
    @Test
    void resumesWithoutRecomputingAndMatchesAnUninterruptedSweep() throws Exception {
        Path dir = tmp.resolve("resumed");
        int[] made = {0};
        RuntimeException stop = new RuntimeException("stop");
        RuntimeException thrown = assertThrows(
                RuntimeException.class,
                () -> sweep(dir, 2, (r, reused) -> {
                            if (++made[0] == 3) {
                                throw stop;
                            }
                        })
                        .run());
        assertEquals(stop, thrown);
        Map<String, Object> running = Json.read(dir.resolve("sweep.json"));
        assertEquals("running", running.get("status"));
        Map<Path, FileTime> before = cellTimes(dir);
        assertTrue(before.size() >= 3, before.size() + " cells survived the stop");
        Thread.sleep(20); // file times would differ if a cell were rewritten

        Sweep.Outcome resumed = sweep(dir, 2, null).run();
        assertEquals(before.size(), resumed.cellsReused());
        Map<Path, FileTime> after = cellTimes(dir);
        for (Map.Entry<Path, FileTime> e : before.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), "cell rewritten: " + e.getKey());
        }
        assertEquals(after.size(), resumed.cellsComputed() + resumed.cellsReused());

        Path fresh = tmp.resolve("fresh");
        Sweep.Outcome straight = sweep(fresh, 1, null).run();
        assertEquals(0, straight.cellsReused());
        assertEquals(Files.readString(fresh.resolve("sweep.csv")), Files.readString(dir.resolve("sweep.csv")));
        assertEquals(withoutSeconds(fresh.resolve("cells.csv")), withoutSeconds(dir.resolve("cells.csv")));
        for (Path cell : after.keySet()) {
            Map<String, Object> a = Json.read(dir.resolve(cell)), b = Json.read(fresh.resolve(cell));
            a.remove("seconds");
            b.remove("seconds");
            assertEquals(b, a, "cell " + cell + " is bit-identical whatever ran beside it");
        }
        assertEquals(straight.fit().alpha(), resumed.fit().alpha());

        // a third run reads everything back
        Sweep.Outcome again = sweep(dir, 2, null).run();
        assertEquals(0, again.cellsComputed());
    }

    @Test
    void refusesToResumeWithOtherSettingsOrIntoAForeignFolder() throws IOException {
        Path dir = tmp.resolve("s");
        SweepSettings small =
                new SweepSettings(List.of(8, 16), 8, 0, 1, 0, 0.3, 50, 0.2, 2, 32, 1, 1.0, LossKind.SUM, "scalar", 1);
        new Sweep(dir, small, 1, null, Map.of()).run();
        SweepSettings other =
                new SweepSettings(List.of(8, 16), 8, 0, 1, 0, 0.25, 50, 0.2, 2, 32, 1, 1.0, LossKind.SUM, "scalar", 1);
        InputException e = assertThrows(InputException.class, () -> new Sweep(dir, other, 1, null, Map.of()).run());
        assertTrue(e.getMessage().contains("lr 0.3 → 0.25"), e.getMessage());

        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        e = assertThrows(InputException.class, () -> new Sweep(foreign, small, 1, null, Map.of()).run());
        assertTrue(e.getMessage().contains("no sweep.json"), e.getMessage());

        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken.resolve("cells/8-2-0"));
        Files.writeString(
                broken.resolve("sweep.json"), Json.toString(Map.of("kind", Sweep.KIND, "settings", small.toMap())));
        Files.writeString(broken.resolve("cells/8-2-0/cell.json"), "{\n  \"n\": 8,\n  oops\n}\n");
        e = assertThrows(InputException.class, () -> new Sweep(broken, small, 1, null, Map.of()).run());
        assertTrue(e.getMessage().contains("cell.json") && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void badSettingsAreInputErrors() {
        assertThrows(
                InputException.class,
                () -> new SweepSettings(
                        List.of(16, 8), 8, 0, 1, 0, 0.3, 50, 0.2, 2, 32, 1, 1.0, LossKind.SUM, "scalar", 1));
        assertThrows(
                InputException.class,
                () -> new SweepSettings(
                        List.of(8), 8, 0, 1, 0, 0.3, 50, 1.5, 2, 32, 1, 1.0, LossKind.SUM, "scalar", 1));
        assertThrows(
                InputException.class,
                () -> new SweepSettings(
                        List.of(8), 8, 0, 1, 0, 0.3, 50, 0.5, 64, 32, 1, 1.0, LossKind.SUM, "scalar", 1));
        assertEquals(
                24,
                new SweepSettings(List.of(8), 8, 0.75, 1, 0, 0.3, 50, 0.5, 2, 32, 1, 1.0, LossKind.SUM, "scalar", 1)
                        .dFor(32));
    }

    private static long countCellFiles(Path dir) throws IOException {
        return cellTimes(dir).size();
    }

    private static Map<Path, FileTime> cellTimes(Path dir) throws IOException {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir.resolve("cells"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals("cell.json"))
                    .toList()) {
                m.put(dir.relativize(p), Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream()
                .map(l -> l.substring(0, l.lastIndexOf(',')))
                .toList();
    }
}
