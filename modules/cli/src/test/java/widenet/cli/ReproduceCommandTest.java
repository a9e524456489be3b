package widenet.cli;

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
import widenet.reproduce.Arora2019;
import widenet.reproduce.Checks;
import widenet.reproduce.MarkdownTable;
import widenet.reproduce.MetricsTable;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Npy;
import widenet.train.internal.Json;

/**
 * {@code widenet reproduce}: the folder layout shared with {@code widenet report}, and checks in the summary that are
 * computed from the run folders (recomputed here from each run's metrics.csv), not written in.
 */
class ReproduceCommandTest {
    @TempDir
    Path tmp;

    static void assertRunFolder(Path run) {
        for (String f : List.of(
                "run.json", "metrics.csv", "theory.json", "init/W.npy", "init/a.npy", "final/W.npy", "final/a.npy")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), run + "/" + f);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void du2019Quick() throws IOException {
        Path out = tmp.resolve("du");
        String log = TheoryCommandTest.stdout(() -> assertEquals(
                0,
                TrainCommandTest.run(
                                "reproduce",
                                "du2019",
                                "--quick",
                                "--kernels",
                                "scalar",
                                "--threads",
                                "1",
                                "--out",
                                out.toString())
                        .code()));
        assertTrue(log.contains("expected ≈"), "the expected duration is printed first: " + log);
        Map<String, Object> rec = Json.read(out.resolve("reproduction.json"));
        assertEquals("du2019", rec.get("name"));
        assertEquals(true, rec.get("quick"));
        List<String> all = (List<String>) rec.get("runs");
        List<String> runs = all.subList(0, 4);
        assertEquals(List.of("m128", "m256", "m512", "m1024"), runs);
        assertFigureFit(out, rec, all);
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
        assertTrue(checks.containsKey("panels_bc_within_30_percent_of_figure"));
        assertEquals(null, checks.get("panels_bc_within_30_percent_of_figure"), "no paper comparison at quick sizes");
        assertEquals(null, checks.get("figure_fit_found"));
        // The columns of series/final_vs_width.csv are the runs' last rows.
        MetricsTable fin = MetricsTable.read(out.resolve("series/final_vs_width.csv"));
        for (int i = 0; i < runs.size(); i++) {
            assertEquals(dist[i], fin.column("w_dist_max_row")[i], 0);
            assertEquals(pattern[i], fin.column("pattern_change")[i], 0);
        }
        for (String s : List.of("loss", "pattern_change", "w_dist_max_row", "predictions")) {
            assertEquals(
                    "step",
                    Files.readAllLines(out.resolve("series/" + s + ".csv"))
                            .get(0)
                            .split(",")[0]);
        }
        Map<String, Object> theory = Json.read(out.resolve("theory.json"));
        assertTrue(((Number) theory.get("lambda_0")).doubleValue() > 0);
        assertEquals(64, ((List<?>) theory.get("spectrum")).size());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("| quantity | paper (Figure 1, paired by rank) | widenet |"), md);
        assertTrue(
                md.contains(MarkdownTable.list(dist)) && md.contains(MarkdownTable.list(pattern)),
                "the summary shows the measured values");
    }

    /**
     * du2019's search for the figure's setting: one run per width and grid step (0.03 and 0.3 beside the main 0.1), a
     * best fit that is the grid's smallest score, its panel (b) distance recomputed from the runs' pattern_change
     * against the figure's values paired by rank, and the mean-loss twin's gap recomputed from its metrics.
     */
    @SuppressWarnings("unchecked")
    static void assertFigureFit(Path out, Map<String, Object> rec, List<String> runs) throws IOException {
        int[] widths = {128, 256, 512, 1024};
        double[] figureB = {0.0185, 0.015, 0.0115, 0.0097
        }; // Du et al.'s Figure 1b, m = 500 … 4000, read from the figure
        for (String eta : List.of("0.03000", "0.3000")) {
            for (int m : widths) {
                assertTrue(runs.contains("fit_eta" + eta + "_m" + m), runs.toString());
                assertRunFolder(out.resolve("fit_eta" + eta + "_m" + m));
            }
        }
        Map<String, Object> fit = (Map<String, Object>) rec.get("figure_fit");
        assertEquals(true, fit.get("paired_by_rank"));
        List<Map<String, Object>> grid = (List<Map<String, Object>>) fit.get("grid");
        assertEquals(3, grid.size());
        Map<String, Object> best = (Map<String, Object>) fit.get("best");
        double min = grid.stream()
                .mapToDouble(g -> ((Number) g.get("score")).doubleValue())
                .min()
                .orElseThrow();
        assertEquals(min, ((Number) best.get("score")).doubleValue(), 0);
        double eta = ((Number) best.get("eta_sum")).doubleValue();
        double s = 0;
        for (int i = 0; i < widths.length; i++) {
            String run = eta == 0.1
                    ? "m" + widths[i]
                    : "fit_eta" + String.format(java.util.Locale.ROOT, "%.4g", eta) + "_m" + widths[i];
            double b =
                    (MetricsTable.read(out.resolve(run).resolve("metrics.csv")).last("pattern_change") - figureB[i])
                            / figureB[i];
            s += b * b;
        }
        assertEquals(Math.sqrt(s / widths.length), ((Number) best.get("distance_b")).doubleValue(), 1e-12);
        String twin = runs.get(runs.size() - 1);
        assertTrue(twin.startsWith("fit_mean_eta") && twin.endsWith("_m128"), twin);
        String sumRun = eta == 0.1 ? "m128" : "fit_eta" + String.format(java.util.Locale.ROOT, "%.4g", eta) + "_m128";
        double sum = 2
                * MetricsTable.read(out.resolve(sumRun).resolve("metrics.csv")).last("loss");
        double mean = 2
                * 64
                * MetricsTable.read(out.resolve(twin).resolve("metrics.csv")).last("loss");
        assertEquals(Math.abs(mean - sum) / sum, ((Number) rec.get("mean_loss_twin_gap")).doubleValue(), 1e-12);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("## Fitting the figure"));
    }

    /** A tiny IDX pair: 3 classes of 6×6 images, each class a bright pattern plus noise, 60 images per class. */
    static Path tinyIdx(Path dir) throws IOException {
        Files.createDirectories(dir);
        int perClass = 60, classes = 3, side = 6, count = perClass * classes;
        SplittableRandom rng = new SplittableRandom(1);
        ByteArrayOutputStream img = new ByteArrayOutputStream(), lab = new ByteArrayOutputStream();
        try (DataOutputStream i = new DataOutputStream(img);
                DataOutputStream l = new DataOutputStream(lab)) {
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
        TheoryCommandTest.stdout(() -> assertEquals(
                0,
                TrainCommandTest.run(
                                "reproduce",
                                "arora2019",
                                "--quick",
                                "--data",
                                data.toString(),
                                "--n",
                                "60",
                                "--width",
                                "300",
                                "--steps",
                                "60",
                                "--kernels",
                                "scalar",
                                "--threads",
                                "1",
                                "--out",
                                out.toString())
                        .code()));
        Map<String, Object> rec = Json.read(out.resolve("reproduction.json"));
        List<String> runs = (List<String>) rec.get("runs");
        assertEquals(List.of("random0", "random50", "random100", "worst"), runs);
        double[] ratio = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            for (String file :
                    List.of("run.json", "metrics.csv", "init/W.npy", "init/a.npy", "final/W.npy", "final/a.npy")) {
                assertTrue(
                        Files.isRegularFile(out.resolve(runs.get(i)).resolve(file)),
                        runs.get(i) + "/" + file); // theory off: H∞ is the reproduction's
            }
            MetricsTable t = MetricsTable.read(out.resolve(runs.get(i)).resolve("metrics.csv"));
            ratio[i] = t.last("loss") / t.first("loss");
        }
        Map<String, Object> checks = (Map<String, Object>) rec.get("checks");
        assertEquals(ratio[1] > ratio[0] && ratio[2] > ratio[0], checks.get("random_labels_converge_slower"));
        assertTrue(
                (Boolean) checks.get("random_labels_converge_slower"),
                "true labels of separable classes are learnt faster");
        MetricsTable m = MetricsTable.read(out.resolve("series/measure_vs_fraction.csv"));
        assertEquals(
                List.of(0.0, 0.5, 1.0),
                List.of(
                        m.column("random_fraction")[0],
                        m.column("random_fraction")[1],
                        m.column("random_fraction")[2]));
        double[] measure = m.column("generalisation_measure");
        assertEquals(
                measure[1] > measure[0] && measure[2] > measure[0], checks.get("measure_smallest_for_true_labels"));
        double[] gaps = m.column("trajectory_gap_max");
        double worst = Math.max(gaps[0], Math.max(gaps[1], gaps[2]));
        assertEquals(worst, ((Number) rec.get("trajectory_gap_max")).doubleValue(), 0);
        assertEquals(worst <= 0.1, checks.get("trajectory_tracks_within_10_percent"));
        assertEquals(60, Files.readAllLines(out.resolve("series/spectrum.csv")).size() - 1);
        assertTrue(Files.isRegularFile(out.resolve("data/X.npy"))
                && Files.isRegularFile(out.resolve("data/y_random50.npy")));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| random labels |"));
        assertEquals(
                ratio[3] > Math.max(ratio[0], Math.max(ratio[1], ratio[2])),
                checks.get("worst_case_labels_converge_slowest"));
        // Figure 2: the held-out error recomputed in double from each run's final weights, X_test and y_test
        double[] testError = m.column("test_error");
        try (FloatMatrix xt = Npy.readMatrix(out.resolve("data/X_test.npy"));
                FloatVec yt = Npy.readVector(out.resolve("data/y_test.npy"))) {
            assertEquals(12, xt.rows(), "n/5 held-out images");
            for (int i = 0; i < 3; i++) {
                try (FloatMatrix w = Npy.readMatrix(out.resolve(runs.get(i)).resolve("final/W.npy"));
                        FloatVec a = Npy.readVector(out.resolve(runs.get(i)).resolve("final/a.npy"))) {
                    int wrong = 0;
                    for (int s = 0; s < xt.rows(); s++) {
                        double f = 0;
                        for (int r = 0; r < w.rows(); r++) {
                            double z = 0;
                            for (int j = 0; j < w.cols(); j++) {
                                z += (double) w.get(r, j) * xt.get(s, j);
                            }
                            f += a.get(r) * Math.max(0, z);
                        }
                        wrong += f / Math.sqrt(w.rows()) * yt.get(s) > 0 ? 0 : 1;
                    }
                    assertEquals(wrong / 12.0, testError[i], 0, runs.get(i));
                    // the run's own held-out column (train --test-x/--test-y) agrees on the last row
                    assertEquals(
                            testError[i],
                            MetricsTable.read(out.resolve(runs.get(i)).resolve("metrics.csv"))
                                    .last("test_error"),
                            0,
                            runs.get(i));
                }
            }
        }
        assertEquals(
                testError[1] > testError[0] && testError[2] > testError[0],
                checks.get("test_error_smallest_for_true_labels"));
        // the worst-case labels are √n times H∞'s eigenvector of λ_min: ‖y‖² = n
        try (FloatVec yw = Npy.readVector(out.resolve("data/y_worst.npy"))) {
            double s2 = 0;
            for (int i = 0; i < yw.length(); i++) {
                s2 += (double) yw.get(i) * yw.get(i);
            }
            assertEquals(60, s2, 60 * 1e-5);
        }
    }

    /** Runs a --quick reproduction with the scalar kernels on one thread; returns its reproduction.json. */
    private Map<String, Object> quick(String name, Path out) throws IOException {
        return quick(name, out, "series/loss.csv", "series/final_vs_width.csv");
    }

    /** Runs {@code name --quick} into {@code out}: its files (summary, theory, the given series), and the report draws every series. */
    private Map<String, Object> quick(String name, Path out, String... series) throws IOException {
        String log = TheoryCommandTest.stdout(() -> assertEquals(
                0,
                TrainCommandTest.run(
                                "reproduce",
                                name,
                                "--quick",
                                "--kernels",
                                "scalar",
                                "--threads",
                                "1",
                                "--out",
                                out.toString())
                        .code()));
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
                assertTrue(html.contains((String) panel.get("title")), "the figure panel " + panel.get("title"));
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
        for (String f : List.of(
                "run.json", "metrics.csv", "init/W1.npy", "init/W" + layers + ".npy", "final/W" + layers + ".npy")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), run + "/" + f);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void nguyenMondelli2020Quick() throws IOException {
        Path out = tmp.resolve("nm");
        Map<String, Object> rec = quick("nguyen-mondelli2020", out);
        List<String> runs = (List<String>) rec.get("runs");
        assertEquals(List.of("n1_64", "n1_128", "n1_256", "w2zero_n1_64", "smooth_n1_64", "extra_ntk_n1_64"), runs);
        try (widenet.tensor.FloatMatrix w2 = widenet.tensor.Npy.readMatrix(out.resolve("w2zero_n1_64/init/W2.npy"))) {
            for (float v : w2.toArray()) {
                assertEquals(0f, v, "the width-N construction starts at W₂ = 0");
            }
        }
        assertTrue(
                Files.readString(out.resolve("n1_64/run.json")).contains("lecun"),
                "standard parameterisation by default");
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
        assertEquals(11, runs.size() + stopped.size());
        assertTrue(stopped.containsKey("lecun_zero_last_w32") || runs.contains("lecun_zero_last_w32"));
        assertTrue(stopped.containsKey("extra_ntk_w32") || runs.contains("extra_ntk_w32"));
        boolean gramPositive = true;
        for (String init : List.of("lecun", "he", "lecun_small_last")) {
            for (int w : new int[] {64, 128}) {
                Path run = out.resolve(init + "_w" + w);
                assertDeepRunFolder(run, 4);
                double g0 = MetricsTable.read(run.resolve("metrics.csv")).first("flast_gram_lmin");
                gramPositive &= g0 > 0;
            }
        }
        assertEquals(gramPositive, ((Map<String, Object>) rec.get("checks")).get("gram_positive_at_init_from_2N"));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| lecun (lecun) | standard (the paper's) |"));
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
        List<String> runs =
                List.of("mnist_m32", "mnist_m64", "mnist_m128", "fashion_m32", "fashion_m64", "fashion_m128");
        assertEquals(runs, rec.get("runs"), "the stopped runs are listed under stopped_runs");
        for (String run : runs) {
            for (String f : List.of(
                    "run.json",
                    "metrics.csv",
                    "theory.json",
                    "init/A.npy",
                    "init/W.npy",
                    "init/u.npy",
                    "init/v.npy",
                    "final/A.npy")) {
                assertTrue(Files.isRegularFile(out.resolve(run).resolve(f)), run + "/" + f);
            }
            MetricsTable t = MetricsTable.read(out.resolve(run).resolve("metrics.csv"));
            assertEquals(61, t.size());
            for (String c : List.of(
                    "test_loss",
                    "test_error",
                    "a_tilde_norm",
                    "lambda_0",
                    "lambda_min_G",
                    "lambda_min_H",
                    "loss_bound")) {
                assertTrue(t.has(c), run + ": column " + c);
            }
            assertTrue(t.last("loss") < t.first("loss"), run + ": the training loss falls");
        }
        Map<String, Object> checks = (Map<String, Object>) rec.get("checks");
        for (String set : List.of("mnist", "fashion")) {
            for (String c : List.of(
                    "_wider_converges_faster",
                    "_wider_lower_test_loss",
                    "_a_tilde_norm_stays",
                    "_gram_above_half_lambda0")) {
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
        TrainCommandTest.Result r = TrainCommandTest.run(
                "reproduce",
                "arora2019",
                "--data",
                empty.toString(),
                "--kernels",
                "scalar",
                "--out",
                tmp.resolve("a").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
        assertTrue(Arora2019.missingData(null, Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
                .contains("apt-get install dataset-fashion-mnist"));
        r = TrainCommandTest.run(
                "reproduce",
                "du2019",
                "--classes",
                "0,1",
                "--kernels",
                "scalar",
                "--out",
                tmp.resolve("b").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not use --classes"), r.err());
        r = TrainCommandTest.run("reproduce", "lecun1998", "--kernels", "scalar");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("available: du2019, arora2019, nguyen-mondelli2020, nguyen2021, gao2022"), r.err());
        assertFalse(r.err().contains("\tat "));
    }
}
