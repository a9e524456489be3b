package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.Gaussian;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;
import widenet.train.internal.Json;

/** {@code widenet train --model deep} as a user runs it: output files, the numbers in them, warnings and errors. */
class DeepTrainCommandTest {
    @TempDir
    Path tmp;

    static final String[] SMALL = {
        "train",
        "--model",
        "deep",
        "--n",
        "24",
        "--widths",
        "10,30,12,1",
        "--steps",
        "6",
        "--lr",
        "0.01",
        "--kernels",
        "scalar",
        "--quiet"
    };

    static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesEveryOutputFile() throws IOException {
        Path out = tmp.resolve("run");
        TrainCommandTest.Result r = TrainCommandTest.run(with(SMALL, "--biases", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no warning: 30 ≥ n = 24 and the widths do not increase");
        for (String dir : List.of("init", "final")) {
            for (String p : List.of("W1", "W2", "W3", "b1", "b2", "b3")) {
                assertTrue(Files.isRegularFile(out.resolve(dir).resolve(p + ".npy")), dir + "/" + p);
            }
        }
        assertEquals(
                List.of(10L, 30L),
                Arrays.stream(Npy.shape(out.resolve("init/W1.npy"))).boxed().toList());
        assertEquals(
                List.of(12L, 1L),
                Arrays.stream(Npy.shape(out.resolve("final/W3.npy"))).boxed().toList());
        assertEquals(1, Npy.shape(out.resolve("init/b2.npy")).length, "biases are 1-D arrays");
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(
                "step,epoch,loss,rate,w1_dist,w2_dist,w3_dist,w1_dist_scaled,w2_dist_scaled,w3_dist_scaled,"
                        + "b1_dist,b2_dist,b3_dist,pattern_change1,pattern_change2,"
                        + "w1_norm2,w2_norm2,w3_norm2,w1_smin,w2_smin,w3_smin,f1_smin,flast_gram_lmin,pred_loss_ntk0,pred_loss_inf,step_ms,time_s",
                lines.get(0));
        assertEquals(1 + 7, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        String[] first = lines.get(1).split(","),
                middle = lines.get(3).split(","),
                last = lines.get(7).split(",");
        int f1 = header.indexOf("f1_smin");
        assertTrue(Double.parseDouble(first[f1]) > 0, "σ_min(F1) at step 0");
        assertEquals("nan", middle[f1], "theory columns only at the first and last step by default");
        assertTrue(Double.parseDouble(last[f1]) > 0);
        assertEquals(
                0.0,
                Double.parseDouble(first[header.indexOf("flast_gram_lmin")]),
                "n2 = 12 < n = 24: F2 F2ᵀ is singular");
        Map<String, Object> run = Json.read(out.resolve("run.json"));
        assertEquals("finished", run.get("status"));
        Map<String, Object> settings = (Map<String, Object>) run.get("settings");
        assertEquals(List.of(10, 30, 12, 1), settings.get("widths"));
        assertEquals(0, settings.get("relu_grad_at_zero"), "deep default: ReLU′(0) = 0");
        assertEquals(true, settings.get("biases"));
        assertFalse(settings.containsKey("kappa"));
        Map<String, Object> theory = (Map<String, Object>) run.get("theory");
        Map<String, Object> init = (Map<String, Object>) theory.get("init");
        assertTrue(((Number) init.get("ntk_lambda_min")).doubleValue() > 0, "NTK λ_min at initialisation: " + init);
        assertTrue(((Map<String, Object>) theory.get("last")).containsKey("ntk_lambda_min"));
        assertEquals(List.of(), run.get("warnings"));
    }

    /**
     * A deep run that blows up between metrics rows, with theory columns due on the row after: the run stops with
     * the divergence message and exit 3 at the first non-finite loss (not with a solver's complaint about the NaN
     * weights), keeping a last row that shows it.
     */
    @Test
    void divergenceBetweenRowsStopsWithExitCode3() throws IOException {
        Path out = tmp.resolve("diverge");
        TrainCommandTest.Result r = TrainCommandTest.run(
                "train",
                "--model",
                "deep",
                "--n",
                "24",
                "--widths",
                "10,30,12,1",
                "--steps",
                "400",
                "--lr",
                "1e3",
                "--every",
                "50",
                "--theory-every",
                "50",
                "--kernels",
                "scalar",
                "--quiet",
                "--out",
                out.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("diverged at step"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("nan") || last.contains("inf"), last);
        long step = Long.parseLong(last.split(",")[0]);
        assertTrue(step % 50 != 0, "the row of the divergence comes between the regular rows: step " + step);
        assertEquals("diverged", Json.read(out.resolve("run.json")).get("status"));
    }

    @Test
    void theoryEveryKFillsTheColumnsEveryKSteps() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(
                0,
                TrainCommandTest.run(with(SMALL, "--theory-every", "2", "--out", out.toString()))
                        .code());
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        int col = List.of(lines.get(0).split(",")).indexOf("w2_smin");
        for (int step = 0; step <= 6; step++) {
            String v = lines.get(1 + step).split(",")[col];
            assertEquals(step % 2 == 0, !v.equals("nan"), "step " + step + ": " + v);
        }
        // 0: the first and last rows only, as for every model (and the deep default)
        Path ends = tmp.resolve("ends");
        assertEquals(
                0,
                TrainCommandTest.run(with(SMALL, "--theory-every", "0", "--out", ends.toString()))
                        .code());
        lines = Files.readAllLines(ends.resolve("metrics.csv"));
        for (int step = 0; step <= 6; step++) {
            String v = lines.get(1 + step).split(",")[col];
            assertEquals(step == 0 || step == 6, !v.equals("nan"), "step " + step + ": " + v);
        }
        Path off = tmp.resolve("off");
        assertEquals(
                0,
                TrainCommandTest.run(with(SMALL, "--theory", "off", "--out", off.toString()))
                        .code());
        assertFalse(Files.readAllLines(off.resolve("metrics.csv")).get(0).contains("smin"));
    }

    /**
     * Row 0 of metrics.csv is the loss of init/W1.npy … W3.npy (with biases) on the user's X and a two-column Y,
     * recomputed here in double; the saved float32 weights reproduce it to float precision (√k·ε·Σ|terms| for the
     * few-hundred-term sums here is below 1e-5 relative).
     */
    @Test
    void rowZeroIsTheLossOfTheSavedInitialWeights() throws IOException {
        int n = 20, d = 7;
        Path xf = tmp.resolve("X.npy"), yf = tmp.resolve("Y.npy");
        SplittableRandom rng = new SplittableRandom(9);
        try (FloatMatrix x = FloatMatrix.allocate(n, d);
                FloatMatrix y = FloatMatrix.allocate(n, 2)) {
            Gaussian.fill(x, rng, 0.5);
            Gaussian.fill(y, rng, 1.0);
            Npy.write(xf, x);
            Npy.write(yf, y);
        }
        Path out = tmp.resolve("run");
        TrainCommandTest.Result r = TrainCommandTest.run(
                "train",
                "--model",
                "deep",
                "--x",
                xf.toString(),
                "--y",
                yf.toString(),
                "--widths",
                "7,25,9,2",
                "--activation",
                "smooth-leaky-relu:0.2:3",
                "--weight-init",
                "ntk:2",
                "--output-scale",
                "0.5",
                "--steps",
                "2",
                "--kernels",
                "scalar",
                "--quiet",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        double[][] x = read(xf),
                y = read(yf),
                w1 = read(out.resolve("init/W1.npy")),
                w2 = read(out.resolve("init/W2.npy")),
                w3 = read(out.resolve("init/W3.npy"));
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] h = x[i];
            double[][][] ws = {w1, w2, w3};
            for (int l = 0; l < 3; l++) {
                double s = Math.sqrt(2.0 / ws[l].length); // ntk:2 factor √(2/fan_in)
                double[] next = new double[ws[l][0].length];
                for (int q = 0; q < next.length; q++) {
                    double z = 0;
                    for (int a = 0; a < h.length; a++) {
                        z += h[a] * ws[l][a][q];
                    }
                    z *= s;
                    next[q] = l < 2 ? 0.2 * z + 0.8 * Math.log1p(Math.exp(3 * z)) / 3 : z;
                }
                h = next;
            }
            for (int q = 0; q < 2; q++) {
                sum += (h[q] - y[i][q]) * (h[q] - y[i][q]);
            }
        }
        double expected = 0.5 * sum;
        double row0 = Double.parseDouble(
                Files.readAllLines(out.resolve("metrics.csv")).get(1).split(",")[2]);
        assertEquals(expected, row0, 1e-5 * expected);
    }

    static double[][] read(Path f) throws IOException {
        try (FloatMatrix m = Npy.readMatrix(f)) {
            double[][] out = new double[m.rows()][m.cols()];
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    out[i][j] = m.get(i, j);
                }
            }
            return out;
        }
    }

    @Test
    void initFolderReplaysTheSameTrajectory() throws IOException {
        Path first = tmp.resolve("first"), second = tmp.resolve("second");
        assertEquals(
                0,
                TrainCommandTest.run(with(SMALL, "--biases", "--out", first.toString(), "--seed", "5"))
                        .code());
        assertEquals(
                0,
                TrainCommandTest.run(with(
                                SMALL,
                                "--biases",
                                "--out",
                                second.toString(),
                                "--seed",
                                "5",
                                "--init",
                                first.resolve("init").toString()))
                        .code());
        List<String> a = Files.readAllLines(first.resolve("metrics.csv")),
                b = Files.readAllLines(second.resolve("metrics.csv"));
        for (int i = 1; i < a.size(); i++) {
            String[] ra = a.get(i).split(","), rb = b.get(i).split(",");
            for (int c = 0; c < ra.length - 2; c++) {
                assertEquals(ra[c], rb[c], "row " + i + " column " + c);
            }
        }
        Path missing = tmp.resolve("missing");
        Files.createDirectories(missing);
        Files.copy(first.resolve("init/W1.npy"), missing.resolve("W1.npy"));
        TrainCommandTest.Result r = TrainCommandTest.run(
                with(SMALL, "--out", tmp.resolve("third").toString(), "--init", missing.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no W2.npy") && r.err().contains("W1.npy, W2.npy, W3.npy"), r.err());
    }

    @Test
    void nonPyramidTopologyWarnsOnOneLineAndStillRuns() throws IOException {
        Path out = tmp.resolve("run");
        TrainCommandTest.Result r = TrainCommandTest.run(
                "train",
                "--model",
                "deep",
                "--n",
                "24",
                "--widths",
                "6,3,9,2",
                "--steps",
                "3",
                "--lr",
                "0.01",
                "--kernels",
                "scalar",
                "--quiet",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("widenet: warning: widths 6,3,9,2"), r.err());
        assertTrue(r.err().contains("n1 = 3 < N = 24 samples") && r.err().contains("n1 = 3 < n2 = 9"), r.err());
        @SuppressWarnings("unchecked")
        List<String> warnings =
                (List<String>) Json.read(out.resolve("run.json")).get("warnings");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("not the pyramid"), warnings.toString());
    }

    @Test
    void badDeepOptionsGiveOneLineErrorsAndExitCode2() throws IOException {
        Path x = tmp.resolve("x.npy"), y2 = tmp.resolve("y2.npy");
        try (FloatMatrix xm = FloatMatrix.allocate(5, 3);
                FloatMatrix ym = FloatMatrix.allocate(5, 2)) {
            Npy.write(x, xm);
            Npy.write(y2, ym);
        }
        String[] deep = {
            "train",
            "--model",
            "deep",
            "--n",
            "8",
            "--steps",
            "1",
            "--kernels",
            "scalar",
            "--quiet",
            "--out",
            tmp.resolve("never").toString()
        };
        Object[][] cases = {
            {with(deep), "--model deep needs --widths"},
            {with(deep, "--widths", "5"), "give at least 2"},
            {with(deep, "--widths", "5,0,1"), "width n1 = 0 must be positive"},
            {with(deep, "--widths", "5,-4,1"), "width n1 = -4 must be positive"},
            {with(deep, "--widths", "5,a,1"), "not a comma-separated list of integers"},
            {with(deep, "--widths", "5,8,1", "--d", "6"), "--widths starts with 5 but --d is 6"},
            {with(deep, "--widths", "4,8,2", "--x", x.toString(), "--y", y2.toString()), "x.npy has d = 3 columns"},
            {
                with(deep, "--widths", "3,8,1", "--x", x.toString(), "--y", y2.toString()),
                "y2.npy has k = 2 label columns"
            },
            {with(deep, "--widths", "5,8,1", "--activation", "tanh"), "unknown activation 'tanh'"},
            {with(deep, "--widths", "5,8,1", "--activation", "leaky-relu:x"), "not a number"},
            {with(deep, "--widths", "5,8,1", "--weight-init", "orthogonal"), "unknown weight init 'orthogonal'"},
            {with(deep, "--widths", "5,8,1", "--weight-init", "he,he,he"), "3 weight inits for 2 layers"},
            {with(deep, "--widths", "5,8,1", "--freeze", "3"), "cannot freeze layer 3"},
            {with(deep, "--widths", "5,8,1", "--freeze", "one"), "--freeze 'one'"},
            {with(deep, "--widths", "5,8,1", "--output-scale", "big"), "--output-scale 'big'"},
            {with(deep, "--widths", "5,8,1", "--width", "100"), "--width does not apply to --model deep"},
            {with(deep, "--widths", "5,8,1", "--theory-every", "-1"), "--theory-every must be ≥ 0"},
            {
                new String[] {"train", "--widths", "5,8,1", "--kernels", "scalar"},
                "--widths does not apply to --model two-layer"
            },
            {new String[] {"train", "--model", "wide", "--kernels", "scalar"}, "available: two-layer, deep"},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            TrainCommandTest.Result r = TrainCommandTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " → " + r.err());
            assertTrue(
                    r.err().contains((String) c[1]),
                    "message for " + String.join(" ", args) + " names the problem: " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertTrue(r.err().strip().lines().count() <= 2, "short message: " + r.err());
        }
    }
}
