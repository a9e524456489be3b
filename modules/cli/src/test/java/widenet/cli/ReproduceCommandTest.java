package widenet.cli;

import widenet.reproduce.Arora2019;
import widenet.reproduce.Checks;
import widenet.reproduce.MarkdownTable;
import widenet.reproduce.MetricsTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.train.Json;

/**
 * {@code widenet reproduce}: the folder layout shared with {@code widenet report}, and checks in the summary that are
 * computed from the run folders (recomputed here from each run's metrics.csv), not written in.
 */
class ReproduceCommandTest {
    @TempDir
    Path tmp;

    static void assertRunFolder(Path run) {
        for (String f : List.of("run.json", "metrics.csv", "theory.json", "init/W.npy", "init/a.npy", "final/W.npy", "final/a.npy")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), run + "/" + f);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void du2019Quick() throws IOException {
        Path out = tmp.resolve("du");
        String log = TheoryCommandTest.stdout(() -> assertEquals(0,
                TrainCommandTest.run("reproduce", "du2019", "--quick", "--kernels", "scalar", "--threads", "1", "--out", out.toString()).code()));
        assertTrue(log.contains("expected ≈"), "the expected duration is printed first: " + log);
        Map<String, Object> rec = Json.read(out.resolve("reproduction.json"));
        assertEquals("du2019", rec.get("name"));
        assertEquals(true, rec.get("quick"));
        List<String> runs = (List<String>) rec.get("runs");
        assertEquals(List.of("m128", "m256", "m512", "m1024"), runs);
        double[] dist = new double[runs.size()], pattern = new double[runs.size()];
        boolean falls = true;
        for (int i = 0; i < runs.size(); i++) {
            assertRunFolder(out.resolve(runs.get(i)));
            MetricsTable t = MetricsTable.read(out.resolve(runs.get(i)).resolve("metrics.csv"));
            assertEquals(101, t.size());
            dist[i] = t.last("w_dist_max_row");
            pattern[i] = t.last("pattern_change");
            falls &= Checks.falls(t.column("loss"));
        }
        Map<String, Object> checks = (Map<String, Object>) rec.get("checks");
        assertEquals(falls, checks.get("loss_falls_every_width"));
        assertEquals(Checks.strictlyDecreasing(dist), checks.get("wider_moves_less"));
        assertEquals(Checks.strictlyDecreasing(pattern), checks.get("wider_flips_fewer"));
        assertEquals(null, checks.get("within_30_percent_of_paper"), "no paper comparison at quick sizes");
        // The columns of series/final_vs_width.csv are the runs' last rows.
        MetricsTable fin = MetricsTable.read(out.resolve("series/final_vs_width.csv"));
        for (int i = 0; i < runs.size(); i++) {
            assertEquals(dist[i], fin.column("w_dist_max_row")[i], 0);
            assertEquals(pattern[i], fin.column("pattern_change")[i], 0);
        }
        for (String s : List.of("loss", "pattern_change", "w_dist_max_row", "predictions")) {
            assertEquals("step", Files.readAllLines(out.resolve("series/" + s + ".csv")).get(0).split(",")[0]);
        }
        Map<String, Object> theory = Json.read(out.resolve("theory.json"));
        assertTrue(((Number) theory.get("lambda_0")).doubleValue() > 0);
        assertEquals(64, ((List<?>) theory.get("spectrum")).size());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| quantity | paper | widenet | ratio |"), md);
        assertTrue(md.contains(MarkdownTable.list(dist)) && md.contains(MarkdownTable.list(pattern)), "the summary shows the measured values");
    }

    /** A tiny IDX pair: 3 classes of 6×6 images, each class a bright pattern plus noise, 60 images per class. */
    static Path tinyIdx(Path dir) throws IOException {
        Files.createDirectories(dir);
        int perClass = 60, classes = 3, side = 6, count = perClass * classes;
        SplittableRandom rng = new SplittableRandom(1);
        ByteArrayOutputStream img = new ByteArrayOutputStream(), lab = new ByteArrayOutputStream();
        try (DataOutputStream i = new DataOutputStream(img); DataOutputStream l = new DataOutputStream(lab)) {
            i.writeInt(0x00000803);
            i.writeInt(count);
            i.writeInt(side);
            i.writeInt(side);
            l.writeInt(0x00000801);
            l.writeInt(count);
            for (int k = 0; k < count; k++) {
                int c = k % classes;
                l.writeByte(c);
                for (int p = 0; p < side * side; p++) {
                    boolean on = (p * (c + 2)) % 5 < 2;
                    i.writeByte((on ? 150 : 20) + rng.nextInt(60));
                }
            }
        }
        Files.write(dir.resolve("train-images-idx3-ubyte"), img.toByteArray());
        Files.write(dir.resolve("train-labels-idx1-ubyte"), lab.toByteArray());
        return dir;
    }

    @SuppressWarnings("unchecked")
    @Test
    void arora2019QuickOnATinyIdxPair() throws IOException {
        Path data = tinyIdx(tmp.resolve("idx")), out = tmp.resolve("arora");
        TheoryCommandTest.stdout(() -> assertEquals(0, TrainCommandTest.run("reproduce", "arora2019", "--quick", "--data", data.toString(),
                "--n", "60", "--width", "300", "--steps", "60", "--kernels", "scalar", "--threads", "1", "--out", out.toString()).code()));
        Map<String, Object> rec = Json.read(out.resolve("reproduction.json"));
        List<String> runs = (List<String>) rec.get("runs");
        assertEquals(List.of("random0", "random50", "random100"), runs);
        double[] ratio = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            assertRunFolder(out.resolve(runs.get(i)));
            MetricsTable t = MetricsTable.read(out.resolve(runs.get(i)).resolve("metrics.csv"));
            ratio[i] = t.last("loss") / t.first("loss");
        }
        Map<String, Object> checks = (Map<String, Object>) rec.get("checks");
        assertEquals(ratio[1] > ratio[0] && ratio[2] > ratio[0], checks.get("random_labels_converge_slower"));
        assertTrue((Boolean) checks.get("random_labels_converge_slower"), "true labels of separable classes are learnt faster");
        MetricsTable m = MetricsTable.read(out.resolve("series/measure_vs_fraction.csv"));
        assertEquals(List.of(0.0, 0.5, 1.0), List.of(m.column("random_fraction")[0], m.column("random_fraction")[1], m.column("random_fraction")[2]));
        double[] measure = m.column("generalisation_measure");
        assertEquals(measure[1] > measure[0] && measure[2] > measure[0], checks.get("measure_smallest_for_true_labels"));
        double[] gaps = m.column("trajectory_gap_max");
        double worst = Math.max(gaps[0], Math.max(gaps[1], gaps[2]));
        assertEquals(worst, ((Number) rec.get("trajectory_gap_max")).doubleValue(), 0);
        assertEquals(worst <= 0.1, checks.get("trajectory_tracks_within_10_percent"));
        assertEquals(60, Files.readAllLines(out.resolve("series/spectrum.csv")).size() - 1);
        assertTrue(Files.isRegularFile(out.resolve("data/X.npy")) && Files.isRegularFile(out.resolve("data/y_random50.npy")));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| random labels |"));
    }

    /** Runs a --quick reproduction with the scalar kernels on one thread; returns its reproduction.json. */
    private Map<String, Object> quick(String name, Path out) throws IOException {
        return quick(name, out, "series/loss.csv", "series/final_vs_width.csv");
    }

    /** Runs {@code name --quick} into {@code out}: its files (summary, theory, the given series), and the report draws every series. */
    private Map<String, Object> quick(String name, Path out, String... series) throws IOException {
        String log = TheoryCommandTest.stdout(() -> assertEquals(0,
                TrainCommandTest.run("reproduce", name, "--quick", "--kernels", "scalar", "--threads", "1", "--out", out.toString()).code()));
        assertTrue(log.contains("expected ≈"), "the expected duration is printed first: " + log);
        Map<String, Object> rec = Json.read(out.resolve("reproduction.json"));
        assertEquals(name, rec.get("name"));
        assertEquals(true, rec.get("quick"));
        List<String> expected = new java.util.ArrayList<>(List.of("summary.md", "theory.json"));
        expected.addAll(List.of(series));
        for (String f : expected) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("## Checks (computed from the run folders)"));
        // widenet report renders it, one chart at least per series file
        TrainCommandTest.Result r = TrainCommandTest.run("report", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out.resolve("report.html"));
        // the figure's panels at the top under their titles, every other series file as a chart of its own
        java.util.Set<String> panels = new java.util.HashSet<>();
        if (rec.get("figure") instanceof Map<?, ?> figure) {
            for (Object p : (List<?>) figure.get("panels")) {
                Map<?, ?> panel = (Map<?, ?>) p;
                panels.add((String) panel.get("file"));
                assertTrue(html.contains((String) panel.get("title")),
                        "the figure panel " + panel.get("title"));
            }
        }
        try (var files = Files.list(out.resolve("series"))) {
            for (Path f : files.toList()) {
                if (!panels.contains("series/" + f.getFileName())) {
                    assertTrue(html.contains("From series/" + f.getFileName()), "a chart of " + f);
                }
            }
        }
        return rec;
    }

    private static void assertDeepRunFolder(Path run, int layers) {
        for (String f : List.of("run.json", "metrics.csv", "init/W1.npy", "init/W" + layers + ".npy", "final/W" + layers + ".npy")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), run + "/" + f);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void nguyenMondelli2020Quick() throws IOException {
        Path out = tmp.resolve("nm");
        Map<String, Object> rec = quick("nguyen-mondelli2020", out);
        List<String> runs = (List<String>) rec.get("runs");
        assertEquals(List.of("n1_64", "n1_128", "n1_256", "smooth_n1_64"), runs);
        boolean f1Positive = true;
        double[] move = new double[3];
        for (int i = 0; i < runs.size(); i++) {
            assertDeepRunFolder(out.resolve(runs.get(i)), 4);
            MetricsTable t = MetricsTable.read(out.resolve(runs.get(i)).resolve("metrics.csv"));
            assertEquals(81, t.size());
            for (double v : t.column("f1_smin")) {
                f1Positive &= Double.isNaN(v) || v > 0;
            }
            if (i < 3) {
                move[i] = t.last("w1_dist_scaled");
            }
        }
        Map<String, Object> checks = (Map<String, Object>) rec.get("checks");
        assertEquals(f1Positive, checks.get("f1_sigma_min_positive"));
        assertEquals(Checks.strictlyDecreasing(move), checks.get("wider_first_layer_moves_less"));
        assertEquals(true, checks.get("pyramid_topology"));
        // the step size came from a 0-step run of the same network
        assertTrue(Files.isRegularFile(out.resolve("calibration/n1_64/run.json")));
    }

    @SuppressWarnings("unchecked")
    @Test
    void nguyen2021Quick() throws IOException {
        Path out = tmp.resolve("ng");
        Map<String, Object> rec = quick("nguyen2021", out);
        List<String> runs = (List<String>) rec.get("runs");
        Map<String, Object> stopped = (Map<String, Object>) rec.get("stopped_runs");
        assertEquals(9, runs.size() + stopped.size());
        boolean gramPositive = true;
        for (String init : List.of("lecun", "he", "ntk")) {
            for (int w : new int[] {64, 128}) {
                Path run = out.resolve(init + "_w" + w);
                assertDeepRunFolder(run, 4);
                double g0 = MetricsTable.read(run.resolve("metrics.csv")).first("flast_gram_lmin");
                gramPositive &= g0 > 0;
            }
        }
        assertEquals(gramPositive, ((Map<String, Object>) rec.get("checks")).get("gram_positive_at_init_from_2N"));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| lecun |"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void gao2022Quick() throws IOException {
        Path out = tmp.resolve("gao");
        List<String> panels = new java.util.ArrayList<>();
        for (String set : List.of("mnist", "fashion")) {
            for (String p : List.of("fig1a_train_loss_", "fig1b_test_loss_", "fig1c_a_tilde_norm_")) {
                panels.add("series/" + p + set + ".csv");
            }
        }
        Map<String, Object> rec = quick("gao2022", out, panels.toArray(new String[0]));
        List<String> runs = List.of("mnist_m32", "mnist_m64", "mnist_m128", "fashion_m32", "fashion_m64", "fashion_m128");
        assertEquals(runs, rec.get("runs"), "the stopped runs are listed under stopped_runs");
        for (String run : runs) {
            for (String f : List.of("run.json", "metrics.csv", "theory.json", "init/A.npy", "init/W.npy", "init/u.npy", "init/v.npy",
                    "final/A.npy")) {
                assertTrue(Files.isRegularFile(out.resolve(run).resolve(f)), run + "/" + f);
            }
            MetricsTable t = MetricsTable.read(out.resolve(run).resolve("metrics.csv"));
            assertEquals(61, t.size());
            for (String c : List.of("test_loss", "test_error", "a_tilde_norm", "lambda_0", "lambda_min_G", "lambda_min_H", "loss_bound")) {
                assertTrue(t.has(c), run + ": column " + c);
            }
            assertTrue(t.last("loss") < t.first("loss"), run + ": the training loss falls");
        }
        Map<String, Object> checks = (Map<String, Object>) rec.get("checks");
        for (String set : List.of("mnist", "fashion")) {
            for (String c : List.of("_wider_converges_faster", "_wider_lower_test_loss", "_a_tilde_norm_stays", "_gram_above_half_lambda0")) {
                assertTrue(checks.containsKey(set + c), set + c);
            }
        }
        assertEquals(6, ((List<?>) ((Map<String, Object>) rec.get("figure")).get("panels")).size());
        // γ too large: both runs stop with the messages that name γ (deterministic, whatever the machine)
        assertEquals(true, checks.get("gamma_too_large_stops"));
        Map<String, Object> stopped = (Map<String, Object>) rec.get("stopped_runs");
        assertTrue(((String) stopped.get("gamma0.7_required")).contains("contraction is required"), stopped.toString());
        assertTrue(((String) stopped.get("gamma2.0")).contains("not a contraction"), stopped.toString());
        assertEquals("diverged", Json.read(out.resolve("gamma2.0/run.json")).get("status"));
    }

    @Test
    void refusalsExitWith2AndWriteNothing() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        TrainCommandTest.Result r = TrainCommandTest.run("reproduce", "arora2019", "--data", empty.toString(), "--kernels", "scalar",
                "--out", tmp.resolve("a").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
        assertTrue(Arora2019.missingData(null, Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
                .contains("apt-get install dataset-fashion-mnist"));
        r = TrainCommandTest.run("reproduce", "du2019", "--classes", "0,1", "--kernels", "scalar", "--out", tmp.resolve("b").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not use --classes"), r.err());
        r = TrainCommandTest.run("reproduce", "lecun1998", "--kernels", "scalar");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("available: du2019, arora2019, nguyen-mondelli2020, nguyen2021, gao2022"), r.err());
        assertFalse(r.err().contains("\tat "));
    }
}
