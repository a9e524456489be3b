package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.Gaussian;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;

/**
 * The programs in examples/, compiled and run as a user runs them: Java's source launcher on widenet's module path,
 * in a separate JVM; read_run.py with python3 (skipped with a message without NumPy).
 */
class ExamplesTest {
    @TempDir
    Path tmp;

    static Path examples() {
        return EmbeddingExampleTest.findReadme().resolveSibling("examples");
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "finished: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }

    private static String java(String example, String... args) throws IOException, InterruptedException {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "tests run on the module path");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-p",
                modulePath,
                "--add-modules",
                "widenet.train,widenet.kernel.simd,jdk.incubator.vector",
                examples().resolve(example).toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** The loss of the first and last "step K loss L" lines. */
    private static double[] firstAndLastLoss(String out) {
        Matcher m = Pattern.compile("step (\\d+) loss ([0-9.eE+-]+)").matcher(out);
        List<Double> losses = new ArrayList<>();
        while (m.find()) {
            losses.add(Double.parseDouble(m.group(2)));
        }
        assertTrue(losses.size() >= 2, out);
        return new double[] {losses.get(0), losses.get(losses.size() - 1)};
    }

    @Test
    void trainFromNpyTrainsAndWritesPredictions() throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        Path x = tmp.resolve("x.npy"), y = tmp.resolve("y.npy"), pred = tmp.resolve("pred.npy");
        try (FloatMatrix xs = FloatMatrix.allocate(40, 8);
                FloatMatrix ys = FloatMatrix.allocate(40, 1)) {
            Gaussian.fill(xs, rng, 1.0);
            for (int i = 0; i < 40; i++) { // unit rows, labels a smooth function of them
                double norm = 0;
                for (int j = 0; j < 8; j++) {
                    norm += xs.get(i, j) * xs.get(i, j);
                }
                for (int j = 0; j < 8; j++) {
                    xs.set(i, j, (float) (xs.get(i, j) / Math.sqrt(norm)));
                }
                ys.set(i, 0, (float) Math.sin(3 * xs.get(i, 0)));
            }
            Npy.write(x, xs);
            Npy.write(y, ys);
        }
        String out = java("TrainFromNpy.java", x.toString(), y.toString(), pred.toString());
        double[] l = firstAndLastLoss(out);
        assertTrue(l[1] < 0.1 * l[0], "loss falls: " + out);
        try (FloatMatrix p = Npy.readMatrix(pred)) {
            assertEquals(40, p.rows());
            assertEquals(1, p.cols());
        }
    }

    @Test
    void customProbeFillsItsColumns() throws Exception {
        String out = java("CustomProbe.java");
        Matcher m = Pattern.compile("step 50 loss \\S+ a_norm ([0-9.]+) mean_abs_output ([0-9.]+)")
                .matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) > 0 && Double.parseDouble(m.group(2)) > 0, out);
        assertTrue(out.contains("a_norm NaN"), "rows between probe steps are NaN: " + out);
    }

    @Test
    void deepNetworkTrains() throws Exception {
        double[] l = firstAndLastLoss(java("DeepNetworkExample.java"));
        assertTrue(l[1] < 0.5 * l[0], l[0] + " → " + l[1]);
    }

    @Test
    void readRunPyReadsARunFolder() throws Exception {
        Assumptions.assumeTrue(
                PredictCommandTest.numpyAvailable(), "python3 with NumPy not found: read_run.py is not run");
        Path runDir = tmp.resolve("run");
        TrainCommandTest.Result r = TrainCommandTest.run(
                "train",
                "--n",
                "16",
                "--d",
                "6",
                "--width",
                "24",
                "--steps",
                "5",
                "--quiet",
                "--kernels",
                "scalar",
                "--out",
                runDir.toString());
        assertEquals(0, r.code(), r.err());
        String out = run(List.of("python3", examples().resolve("read_run.py").toString(), runDir.toString()));
        assertTrue(out.contains("model two-layer status finished n 16 d 6"), out);
        assertTrue(out.contains("W.npy shape (24, 6), moved"), out);
        assertTrue(out.contains("steps 5 loss"), out);
    }
}
