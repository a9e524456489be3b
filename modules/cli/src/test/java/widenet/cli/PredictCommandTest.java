package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.Gaussian;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;

/**
 * {@code widenet predict} against an independent NumPy forward pass of the same weights (float64), for each model.
 * NumPy runs in a python3 subprocess; without it these tests skip with a message.
 */
class PredictCommandTest {
    @TempDir
    Path tmp;

    static boolean numpy;

    @BeforeAll
    static void findNumpy() {
        numpy = numpyAvailable();
    }

    /** True when python3 can import NumPy. */
    static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * The reference: the model's forward pass in float64 from run.json's settings and final/ (or a checkpoint's
     * params/), and a per-element tolerance. Float32 sums of K terms err by at most ≈ K·ε·Σ|term| (ε = 2⁻²⁴), ≈ √K·ε
     * typically; the bound taken is 8·√K·ε times the same forward pass on absolute values (which bounds every
     * partial sum), K the longest chain of sums. The implicit network adds its fixed point's stopping error: a
     * relative change ≤ tol per iteration of a contraction with factor q ≈ 2γ leaves ‖z − z*‖ ≤ tol·‖z‖·q/(1−q), so
     * 4·tol·Σ|u_j||z_j| per row bounds the prediction's share of it.
     */
    static final String REFERENCE = """
            import json, sys, os, numpy as np
            run, x_file, params, out = sys.argv[1:5]
            s = json.load(open(os.path.join(run, 'run.json')))['settings']
            x = np.load(x_file).astype(np.float64)
            P = lambda n: np.load(os.path.join(params, n + '.npy')).astype(np.float64)
            eps = 2.0 ** -24
            relu = lambda z: np.maximum(z, 0)
            if s['model'] == 'two-layer':
                W, a = P('W'), P('a'); m = W.shape[0]
                y = relu(x @ W.T) @ a / np.sqrt(m)
                mag = relu(np.abs(x) @ np.abs(W).T) @ np.abs(a) / np.sqrt(m)
                tol = 8 * np.sqrt(x.shape[1] + m) * eps * mag
                y, tol = y[:, None], tol[:, None]
            elif s['model'] == 'deep':
                widths = s['widths']; L = len(widths) - 1
                assert s['activation'] == 'relu' and all(w in ('lecun', 'he', 'xavier') for w in s['weight_init'])
                f, g = x, np.abs(x)
                for l in range(1, L + 1):
                    W = P('W%d' % l)
                    b = P('b%d' % l) if s['biases'] else 0
                    f, g = f @ W + b, g @ np.abs(W) + np.abs(b)
                    if l < L:
                        f = relu(f)
                y = f; tol = 8 * np.sqrt(sum(widths)) * eps * g
            else:
                im = s['implicit']; m = s['width']; d = x.shape[1]
                A, u = P('A'), P('u')
                B = P('W') if os.path.exists(os.path.join(params, 'W.npy')) else P('B')
                At = im['gamma'] / np.sqrt(m) * A
                phi = x @ B.T / np.sqrt(m if im['phi_scale'] == 'sqrt-m' else d)
                if im['phi'] == 'relu':
                    phi = relu(phi)
                z = np.zeros_like(phi)
                for _ in range(10000):
                    z2 = relu(z @ At.T + phi)
                    if np.linalg.norm(z2 - z) <= 1e-13 * max(np.linalg.norm(z2), 1e-300):
                        z = z2; break
                    z = z2
                y = z @ u
                skip = np.abs(phi) @ np.abs(P('v')) if im['output_skip'] else 0
                if im['output_skip']:
                    y = y + phi @ P('v')
                tol = 4 * im['tol'] * (np.abs(z) @ np.abs(u)) + 8 * np.sqrt(d + m) * eps * (np.abs(z) @ np.abs(u) + skip + 1e-30)
                y, tol = y[:, None], tol[:, None]
            tol = tol + 2 * eps * np.abs(y)   # the reference is read back rounded to float32
            np.save(out, np.concatenate([y, tol]).astype(np.float64))
            """;

    private Path inputs(int rows, int d) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        Path file = tmp.resolve("x-" + rows + "x" + d + ".npy");
        try (FloatMatrix x = FloatMatrix.allocate(rows, d)) {
            Gaussian.fill(x, rng, 1.0);
            Npy.write(file, x);
        }
        return file;
    }

    private static TrainCommandTest.Result cli(String... args) {
        return TrainCommandTest.run(args);
    }

    /** Predicts with the CLI and checks every element against NumPy's within its derived tolerance. */
    private void matchesNumpy(Path run, Path x, String params, String... extra) throws Exception {
        Assumptions.assumeTrue(numpy, "python3 with NumPy not found: the NumPy comparison is skipped");
        Path y = tmp.resolve("y.npy");
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"predict", "--run", run.toString(), "--x", x.toString()}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        args[args.length - 1] = "--out=" + y;
        TrainCommandTest.Result r = cli(args);
        assertEquals(0, r.code(), r.err());
        Path script = tmp.resolve("reference.py");
        Files.writeString(script, REFERENCE);
        Path ref = tmp.resolve("ref.npy");
        Process p = new ProcessBuilder(
                        "python3",
                        script.toString(),
                        run.toString(),
                        x.toString(),
                        run.resolve(params).toString(),
                        ref.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        try (FloatMatrix got = Npy.readMatrix(y);
                FloatMatrix both = Npy.readMatrix(ref)) {
            int n = got.rows();
            assertEquals(2 * n, both.rows(), "reference rows");
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < got.cols(); j++) {
                    double want = both.get(i, j);
                    double tol = both.get(n + i, j);
                    assertTrue(
                            Math.abs(got.get(i, j) - want) <= tol,
                            "row " + i + " col " + j + ": widenet " + got.get(i, j) + ", NumPy " + want + ", tolerance "
                                    + tol);
                }
            }
        }
    }

    @Test
    void twoLayerMatchesNumpyOnMoreRowsThanOneBatch() throws Exception {
        Path run = tmp.resolve("two");
        assertEquals(
                0,
                cli(
                                "train",
                                "--n",
                                "30",
                                "--d",
                                "12",
                                "--width",
                                "40",
                                "--steps",
                                "5",
                                "--quiet",
                                "--out",
                                run.toString())
                        .code());
        matchesNumpy(run, inputs(PredictCommand.BATCH + 37, 12), "final");
    }

    @Test
    void deepWithBiasesMatchesNumpy() throws Exception {
        Path run = tmp.resolve("deep");
        assertEquals(
                0,
                cli(
                                "train",
                                "--model",
                                "deep",
                                "--widths",
                                "9,32,16,3",
                                "--biases",
                                "--n",
                                "20",
                                "--steps",
                                "5",
                                "--lr",
                                "0.01",
                                "--quiet",
                                "--out",
                                run.toString())
                        .code());
        matchesNumpy(run, inputs(50, 9), "final");
    }

    @Test
    void implicitMatchesNumpy() throws Exception {
        Path run = tmp.resolve("implicit");
        TrainCommandTest.Result r = cli(
                "train",
                "--model",
                "implicit",
                "--n",
                "16",
                "--d",
                "6",
                "--width",
                "24",
                "--steps",
                "4",
                "--quiet",
                "--out",
                run.toString());
        assertEquals(0, r.code(), r.err());
        matchesNumpy(run, inputs(33, 6), "final");
    }

    @Test
    void theEarlierImplicitVariantMatchesNumpy() throws Exception {
        Path run = tmp.resolve("implicit-earlier");
        TrainCommandTest.Result r = cli(
                "train",
                "--model",
                "implicit",
                "--phi",
                "linear",
                "--phi-scale",
                "sqrt-d",
                "--no-output-skip",
                "--output-init",
                "gaussian",
                "--gamma",
                "0.2",
                "--n",
                "16",
                "--d",
                "6",
                "--width",
                "24",
                "--steps",
                "4",
                "--quiet",
                "--out",
                run.toString());
        assertEquals(0, r.code(), r.err());
        matchesNumpy(run, inputs(21, 6), "final");
    }

    @Test
    void aCheckpointsWeightsWithStep() throws Exception {
        Path run = tmp.resolve("ckpt");
        // a diverged run keeps its last good checkpoints and has no final/ (a finished run clears its checkpoints)
        TrainCommandTest.Result r = cli(
                "train",
                "--n",
                "20",
                "--d",
                "5",
                "--width",
                "16",
                "--steps",
                "50",
                "--lr",
                "1e5",
                "--checkpoint-every",
                "1",
                "--quiet",
                "--out",
                run.toString());
        assertEquals(3, r.code(), r.err());
        List<Long> steps = TrainedNetwork.checkpointSteps(run);
        assertTrue(!steps.isEmpty(), "no checkpoint kept");
        TrainCommandTest.Result noFinal =
                cli("predict", "--run", run.toString(), "--x", inputs(3, 5).toString());
        assertEquals(2, noFinal.code());
        assertTrue(
                noFinal.err().contains("no final/") && noFinal.err().contains("--step " + steps.get(0)), noFinal.err());
        long step = steps.get(steps.size() - 1);
        matchesNumpy(
                run,
                inputs(10, 5),
                String.format("checkpoints/step-%012d/params", step),
                "--step",
                Long.toString(step));
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path run = tmp.resolve("r");
        assertEquals(
                0,
                cli(
                                "train",
                                "--n",
                                "10",
                                "--d",
                                "4",
                                "--width",
                                "8",
                                "--steps",
                                "2",
                                "--quiet",
                                "--out",
                                run.toString())
                        .code());
        TrainCommandTest.Result wrongD =
                cli("predict", "--run", run.toString(), "--x", inputs(3, 5).toString());
        assertEquals(2, wrongD.code(), wrongD.err());
        assertTrue(wrongD.err().contains("d = 5") && wrongD.err().contains("takes d = 4"), wrongD.err());
        TrainCommandTest.Result noRun = cli(
                "predict",
                "--run",
                tmp.resolve("nothing").toString(),
                "--x",
                inputs(3, 4).toString());
        assertEquals(2, noRun.code());
        assertTrue(noRun.err().contains("not a widenet run folder"), noRun.err());
        TrainCommandTest.Result noStep =
                cli("predict", "--run", run.toString(), "--x", inputs(3, 4).toString(), "--step", "99");
        assertEquals(2, noStep.code());
        assertTrue(noStep.err().contains("no checkpoint at that step"), noStep.err());
        assertEquals(1, wrongD.err().strip().lines().count(), wrongD.err());
    }
}
