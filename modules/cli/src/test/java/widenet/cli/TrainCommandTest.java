package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.Gaussian;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Npy;
import widenet.train.internal.Json;

/** The {@code train} command as a user runs it: output files, the numbers in them, errors and exit codes. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String err) {}

    static Result run(String... args) {
        StringWriter sw = new StringWriter();
        int code = Main.run(new PrintWriter(sw, true), args);
        return new Result(code, sw.toString());
    }

    static final String[] SMALL = {
        "--n", "24", "--d", "10", "--width", "48", "--steps", "6", "--kernels", "scalar", "--quiet"
    };

    static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length + 1];
        all[0] = "train";
        System.arraycopy(base, 0, all, 1, base.length);
        System.arraycopy(more, 0, all, 1 + base.length, more.length);
        return all;
    }

    @Test
    void writesEveryOutputFile() throws IOException {
        Path out = tmp.resolve("run");
        Result r = run(with(SMALL, "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        for (String f : List.of(
                "metrics.csv", "run.json", "init/W.npy", "init/a.npy", "final/W.npy", "final/a.npy", "theory.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        // --theory auto is on for this small full-batch two-layer run (TheoryAndReproduceTest covers the columns).
        assertEquals(
                "step,epoch,loss,rate,w_dist_fro,w_dist_max_row,pattern_change,a_dist,"
                        + "pred_du_bound,pred_arora,radius_R,lambda_min_H,pred_loss_ntk0,pred_loss_inf,step_ms,time_s",
                lines.get(0));
        assertEquals(1 + 7, lines.size());
        assertTrue(lines.get(1).startsWith("0,"));
        Map<String, Object> run = Json.read(out.resolve("run.json"));
        assertEquals("finished", run.get("status"));
        assertEquals(6, ((Number) run.get("steps_done")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) run.get("settings");
        assertEquals(48, settings.get("width"));
        assertEquals("scalar", settings.get("kernels"));
        assertEquals(48, Npy.shape(out.resolve("init/W.npy"))[0]);
        assertEquals(1, Npy.shape(out.resolve("init/a.npy")).length, "a is saved as a 1-D array");
    }

    /** Row 0 of metrics.csv is the loss of init/W.npy, init/a.npy on the data, recomputed here in double precision. */
    @Test
    void rowZeroIsTheLossOfTheSavedInitialWeights() throws IOException {
        int n = 30, d = 12, m = 40;
        Path xf = tmp.resolve("X.npy"), yf = tmp.resolve("y.npy");
        SplittableRandom rng = new SplittableRandom(4);
        try (FloatMatrix x = FloatMatrix.allocate(n, d);
                FloatVec y = FloatVec.allocate(n)) {
            Gaussian.fill(x, rng, 0.3);
            for (int i = 0; i < n; i++) {
                y.set(i, (float) rng.nextGaussian());
            }
            Npy.write(xf, x);
            Npy.write(yf, y);
        }
        Path out = tmp.resolve("run");
        Result r = run(
                "train",
                "--x",
                xf.toString(),
                "--y",
                yf.toString(),
                "--width",
                "" + m,
                "--steps",
                "3",
                "--kernels",
                "scalar",
                "--quiet",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        double expected;
        try (FloatMatrix x = Npy.readMatrix(xf);
                FloatVec y = Npy.readVector(yf);
                FloatMatrix w = Npy.readMatrix(out.resolve("init/W.npy"));
                FloatVec a = Npy.readVector(out.resolve("init/a.npy"))) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double u = 0;
                for (int k = 0; k < m; k++) {
                    double z = 0;
                    for (int j = 0; j < d; j++) {
                        z += (double) w.get(k, j) * x.get(i, j);
                    }
                    u += a.get(k) * Math.max(0, z);
                }
                u /= Math.sqrt(m);
                sum += (u - y.get(i)) * (u - y.get(i));
            }
            expected = 0.5 * sum;
        }
        double row0 = Double.parseDouble(
                Files.readAllLines(out.resolve("metrics.csv")).get(1).split(",")[2]);
        assertEquals(expected, row0, 1e-5 * expected);
    }

    @Test
    void initFolderReplaysTheSameTrajectory() throws IOException {
        Path first = tmp.resolve("first"), second = tmp.resolve("second");
        assertEquals(
                0, run(with(SMALL, "--out", first.toString(), "--seed", "5")).code());
        // Same data seed, but the weights come from the first run's init/ folder, not from the seed's draw.
        assertEquals(
                0,
                run(with(
                                SMALL,
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
    }

    @Test
    void badInputsGiveOneLineErrorsAndExitCode2() throws IOException {
        Path bad = tmp.resolve("bad.npy");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        Path x = tmp.resolve("x.npy"), y = tmp.resolve("y.npy"), nan = tmp.resolve("nan.npy");
        try (FloatMatrix xm = FloatMatrix.allocate(5, 3);
                FloatVec yv = FloatVec.allocate(4);
                FloatMatrix xn = FloatMatrix.allocate(4, 3)) {
            Npy.write(x, xm);
            Npy.write(y, yv);
            xn.set(2, 1, Float.NaN);
            Npy.write(nan, xn);
        }
        Path full = tmp.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("keep.txt"), "x");
        Object[][] cases = {
            {new String[] {"train", "--x", tmp.resolve("missing.npy").toString(), "--y", y.toString()}, "missing.npy"},
            {new String[] {"train", "--x", bad.toString(), "--y", y.toString()}, "bad.npy"},
            {new String[] {"train", "--x", x.toString(), "--y", y.toString()}, "y.npy"},
            {
                new String[] {"train", "--x", nan.toString(), "--y", y.toString()},
                "non-finite value NaN at row 2, column 1"
            },
            {new String[] {"train", "--x", x.toString()}, "--x and --y go together"},
            {new String[] {"train", "--width", "0"}, "--width must be positive"},
            {new String[] {"train", "--n", "-3"}, "must be positive"},
            {new String[] {"train", "--lr", "-1", "--n", "4", "--d", "3", "--width", "4"}, "step size"},
            {new String[] {"train", "--steps", "ten"}, "'ten'"},
            {new String[] {"train", "--no-such-option"}, "--no-such-option"},
            {
                new String[] {"train", "--kernels", "gpu", "--n", "4", "--d", "3", "--width", "4"},
                "unknown kernel provider 'gpu'"
            },
            {new String[] {"train", "--loss", "median"}, "unknown loss 'median'"},
            {with(SMALL, "--out", full.toString()), "not empty"},
        };
        for (Object[] c : cases) {
            String[] given = (String[]) c[0];
            String[] args = java.util.Arrays.copyOf(given, given.length + 2);
            if (!List.of(given).contains("--kernels")) { // keep the provider out of the way of the case tested
                args[given.length] = "--kernels";
                args[given.length + 1] = "scalar";
            } else {
                args = given;
            }
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " → " + r.err());
            assertTrue(
                    r.err().contains((String) c[1]),
                    "message for " + String.join(" ", args) + " names the problem: " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertTrue(r.err().strip().lines().count() <= 2, "short message: " + r.err());
        }
    }

    @Test
    void divergenceStopsWithExitCode3AndKeepsTheMetrics() throws IOException {
        Path out = tmp.resolve("diverge");
        Result r = run(
                "train",
                "--n",
                "24",
                "--d",
                "10",
                "--width",
                "48",
                "--kernels",
                "scalar",
                "--quiet",
                "--lr",
                "1e6",
                "--steps",
                "200",
                "--train-output-layer",
                "--out",
                out.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("diverged at step"), r.err());
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(lines.size() >= 3, "rows up to the divergence are kept");
        assertTrue(lines.get(lines.size() - 1).contains("nan")
                || lines.get(lines.size() - 1).contains("inf"));
        assertEquals("diverged", Json.read(out.resolve("run.json")).get("status"));
    }
}
