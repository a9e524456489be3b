package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** {@code widenet train --model implicit}: output files, the numbers in them, errors, and the stops. */
class ImplicitTrainCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String err) {}

    static Result run(String... args) {
        StringWriter sw = new StringWriter();
        int code = Main.run(new PrintWriter(sw, true), args);
        return new Result(code, sw.toString());
    }

    /** The defaults: Gao et al.'s network, γ = 0.1. */
    static final List<String> SMALL = List.of(
            "train",
            "--model",
            "implicit",
            "--n",
            "16",
            "--d",
            "6",
            "--width",
            "32",
            "--lr",
            "0.005",
            "--steps",
            "5",
            "--theory-every",
            "2",
            "--kernels",
            "scalar",
            "--quiet");

    static String[] with(String... more) {
        List<String> all = new java.util.ArrayList<>(SMALL);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void writesEveryOutputFileWithTheImplicitColumns() throws IOException {
        Path out = tmp.resolve("run");
        Result r = run(with("--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        for (String f : List.of(
                "metrics.csv",
                "run.json",
                "init/A.npy",
                "init/W.npy",
                "init/u.npy",
                "init/v.npy",
                "final/A.npy",
                "final/W.npy",
                "final/u.npy",
                "final/v.npy")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertArrayEquals(new long[] {32, 32}, Npy.shape(out.resolve("init/A.npy")));
        assertArrayEquals(new long[] {32, 6}, Npy.shape(out.resolve("init/W.npy")));
        assertArrayEquals(new long[] {32}, Npy.shape(out.resolve("final/u.npy")));
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(
                "step,epoch,loss,rate,a_tilde_norm,fwd_iters,fwd_residual,bwd_iters,bwd_residual,A_dist_fro,"
                        + "W_dist_fro,u_dist,v_dist,lambda_0,lambda_min_G,lambda_min_H,lambda_min_zz,loss_bound,pred_loss_ntk0,pred_loss_inf,step_ms,time_s",
                lines.get(0));
        assertEquals(1 + 6, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        int lz = header.indexOf("lambda_0"),
                lg = header.indexOf("lambda_min_G"),
                lh = header.indexOf("lambda_min_H"),
                zz = header.indexOf("lambda_min_zz");
        for (int i = 1; i < lines.size(); i++) {
            String[] row = lines.get(i).split(",");
            double norm = Double.parseDouble(row[4]);
            assertTrue(norm > 0.1 && norm < 0.3, "‖Ã‖₂ ≈ 2γ = 0.2: " + norm);
            assertTrue(Double.parseDouble(row[6]) <= 1e-6, "forward residual within the default tol");
            boolean probed = (i - 1) % 2 == 0 || i == lines.size() - 1; // steps 0, 2, 4 and the last, 5
            assertEquals(probed, !row[zz].equals("nan"), "λ_min(ZZᵀ) at step " + (i - 1));
            assertEquals(probed, !row[lg].equals("nan"), "λ_min(G) at step " + (i - 1));
            double lambda0 = Double.parseDouble(row[lz]);
            assertTrue(lambda0 > 0, "λ₀ on every row");
            if (probed) {
                assertTrue(Double.parseDouble(row[zz]) > 0, "λ_min(ZZᵀ) > 0");
                assertTrue(Double.parseDouble(row[lg]) > 0, "λ_min(G) > 0");
                assertTrue(Double.parseDouble(row[lh]) >= Double.parseDouble(row[lg]), "H ⪰ ΦΦᵀ");
            }
        }
        Map<String, Object> run = Json.read(out.resolve("run.json"));
        assertEquals("finished", run.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) run.get("settings");
        assertEquals("implicit", settings.get("model"));
        @SuppressWarnings("unchecked")
        Map<String, Object> implicit = (Map<String, Object>) settings.get("implicit");
        assertEquals(0.1, implicit.get("gamma"));
        assertEquals(true, implicit.get("output_skip"));
        assertEquals("relu", implicit.get("phi"));
        assertEquals("sqrt-m", implicit.get("phi_scale"));
        assertEquals("rademacher", implicit.get("output_init"));
        assertEquals("Gao et al. 2022 (the paper's)", implicit.get("network"));
        Map<String, Object> theory = Json.read(out.resolve("theory.json"));
        for (String key : List.of(
                "lambda_0",
                "lambda_max_G_inf",
                "lambda_min_G_min",
                "predicted_rate",
                "step_bound",
                "required_width_gd",
                "constants")) {
            assertTrue(theory.get(key) != null, "theory.json " + key);
        }
    }

    /**
     * NumPy's loss at step 0 of Gao et al.'s network, in float64, from the saved init/ weights. The network is written
     * out here, not read from the settings: φ = relu(Wx)/√m, z* = relu((γ/√m)Az* + φ) solved by iteration until
     * the change is below 1e-15 relative, ŷ = uᵀz* + vᵀφ, L = ½Σ(ŷ − y)², γ = 0.1 — so the test fails unless the
     * defaults of {@code --model implicit} are the paper's. The initialisation is checked too: u, v exactly ±1, A, W
     * with sample mean and variance within 6 standard errors of N(0, 1).
     *
     * <p>The tolerance, per sample (ε = 2⁻²⁴): the float forward stops at a relative change ≤ tol = 1e-6 of a map
     * contracting by q = ‖Ã‖₂ (< ½ here), which leaves ‖z − z*‖ ≤ tol·‖z‖·q/(1 − q) ≤ tol‖z‖, so |δŷ| ≤
     * 2·tol·Σ|uⱼ||zⱼ| with a margin; the float sums of d terms (φ) and m terms (Ãz, uᵀz, vᵀφ) err by ≈ √K·ε relative
     * of the sum of magnitudes, bounded by 8·√(d + m)·ε·(Σ|u||z| + Σ|v||φ|) including the fixed point's propagation
     * (1/(1 − q) ≤ 2); ŷ rounded to float adds ε|ŷ|. Then |δL| ≤ Σᵢ |rᵢ|·|δŷᵢ| + ½|δŷᵢ|². The test also asserts
     * that this tolerance is below 1e-4·L: a wrong network (another scale, no skip, another γ) moves L by far more.
     */
    @Test
    void rowZeroIsNumpysLossOfThePapersNetworkFromTheSavedInitialWeights() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                PredictCommandTest.numpyAvailable(), "python3 with NumPy not found: skipped");
        int n = 20, d = 8, m = 64;
        Path xf = tmp.resolve("X.npy"), yf = tmp.resolve("y.npy");
        SplittableRandom rng = new SplittableRandom(4);
        try (FloatMatrix x = FloatMatrix.allocate(n, d);
                FloatVec y = FloatVec.allocate(n)) {
            Gaussian.fill(x, rng, 1.0);
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    norm += (double) x.get(i, k) * x.get(i, k);
                }
                for (int k = 0; k < d; k++) {
                    x.set(i, k, (float) (x.get(i, k) / Math.sqrt(norm))); // ‖xᵢ‖ = 1, as the paper takes its data
                }
                y.set(i, rng.nextBoolean() ? 1f : -1f);
            }
            Npy.write(xf, x);
            Npy.write(yf, y);
        }
        Path out = tmp.resolve("run");
        Result r = run(
                "train",
                "--model",
                "implicit",
                "--x",
                xf.toString(),
                "--y",
                yf.toString(),
                "--width",
                "" + m,
                "--lr",
                "0.01",
                "--steps",
                "1",
                "--kernels",
                "scalar",
                "--quiet",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        Path script = tmp.resolve("loss0.py");
        Files.writeString(script, """
                import sys, numpy as np
                x_file, y_file, init, gamma, tol = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
                X = np.load(x_file).astype(np.float64); y = np.load(y_file).astype(np.float64).reshape(-1)
                P = lambda n: np.load(init + '/' + n + '.npy').astype(np.float64)
                A, W, u, v = P('A'), P('W'), P('u').reshape(-1), P('v').reshape(-1)
                m, d = W.shape
                assert A.shape == (m, m) and u.shape == (m,) and v.shape == (m,), (A.shape, u.shape, v.shape)
                assert np.all(np.abs(u) == 1) and np.all(np.abs(v) == 1), 'u, v Rademacher'
                for M in (A, W):
                    k = M.size
                    assert abs(M.mean()) < 6 / np.sqrt(k) and abs(M.var() - 1) < 6 * np.sqrt(2 / k), (M.mean(), M.var())
                relu = lambda t: np.maximum(t, 0)
                phi = relu(X @ W.T) / np.sqrt(m)
                At = gamma / np.sqrt(m) * A
                q = np.linalg.norm(At, 2)
                assert q < 0.5, q
                z = np.zeros_like(phi)
                for _ in range(10000):
                    z2 = relu(z @ At.T + phi)
                    done = np.linalg.norm(z2 - z) <= 1e-15 * np.linalg.norm(z2)
                    z = z2
                    if done:
                        break
                yhat = z @ u + phi @ v
                r = yhat - y
                eps = 2.0 ** -24
                mag = np.abs(z) @ np.abs(u) + np.abs(phi) @ np.abs(v)
                dy = 2 * tol * (np.abs(z) @ np.abs(u)) + 8 * np.sqrt(d + m) * eps * mag + eps * np.abs(yhat)
                print(repr(float(0.5 * np.sum(r * r))), repr(float(np.sum(np.abs(r) * dy + 0.5 * dy * dy))))
                """);
        Process p = new ProcessBuilder(
                        "python3",
                        script.toString(),
                        xf.toString(),
                        yf.toString(),
                        out.resolve("init").toString(),
                        "0.1",
                        "1e-6")
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, log);
        String[] got = log.split(" ");
        double expected = Double.parseDouble(got[0]), tol = Double.parseDouble(got[1]);
        assertTrue(tol < 1e-4 * expected, "the tolerance " + tol + " must be small against L = " + expected);
        double row0 = Double.parseDouble(
                Files.readAllLines(out.resolve("metrics.csv")).get(1).split(",")[2]);
        assertEquals(expected, row0, tol, "metrics.csv row 0 against NumPy (tolerance derived from float32 rounding)");
    }

    @Test
    void initFolderReplaysTheSameTrajectory() throws IOException {
        Path first = tmp.resolve("first"), second = tmp.resolve("second");
        assertEquals(
                0,
                run(with("--out", first.toString(), "--seed", "5", "--output-skip"))
                        .code());
        // The same data seed, the weights from the first run's init/ (the seed would draw the same; --init overrides).
        assertEquals(
                0,
                run(with(
                                "--out",
                                second.toString(),
                                "--seed",
                                "5",
                                "--output-skip",
                                "--init",
                                first.resolve("init").toString()))
                        .code());
        List<String> a = Files.readAllLines(first.resolve("metrics.csv")),
                b = Files.readAllLines(second.resolve("metrics.csv"));
        assertEquals(a.size(), b.size());
        for (int i = 1; i < a.size(); i++) {
            String[] ra = a.get(i).split(","), rb = b.get(i).split(",");
            for (int c = 0; c < ra.length - 2; c++) {
                assertEquals(ra[c], rb[c], "row " + i + " column " + c);
            }
        }
        // Without v.npy the output-skip network cannot start from that folder.
        Path third = tmp.resolve("third");
        Files.delete(first.resolve("init/v.npy"));
        Result r = run(with(
                "--out",
                third.toString(),
                "--output-skip",
                "--init",
                first.resolve("init").toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no v.npy there") && r.err().contains("A.npy, W.npy, u.npy, v.npy"), r.err());
    }

    @Test
    void frozenParametersDoNotMove() throws IOException {
        Path out = tmp.resolve("frozen");
        Result r = run(with("--freeze", "A,u", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        for (String name : List.of("A", "u")) {
            try (FloatMatrix before = Npy.readMatrix(out.resolve("init/" + name + ".npy"));
                    FloatMatrix after = Npy.readMatrix(out.resolve("final/" + name + ".npy"))) {
                assertArrayEquals(before.toArray(), after.toArray(), name + " is frozen");
            }
        }
        String last = Files.readAllLines(out.resolve("metrics.csv")).getLast();
        String[] row = last.split(",");
        assertEquals(0.0, Double.parseDouble(row[9]), "A_dist_fro");
        assertTrue(Double.parseDouble(row[10]) > 0, "W moved");
        assertEquals(0.0, Double.parseDouble(row[11]), "u_dist");
    }

    /** --theory-every 0: λ_min(ZZᵀ) at the first and last rows only, as for every model; --theory off: no column. */
    @Test
    void theoryEveryZeroMeansTheFirstAndLastRowsAndTheoryOffNone() throws IOException {
        Path ends = tmp.resolve("ends");
        List<String> args = new java.util.ArrayList<>(SMALL);
        args.set(args.indexOf("--theory-every") + 1, "0");
        args.addAll(List.of("--out", ends.toString()));
        Result r = run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(ends.resolve("metrics.csv"));
        int col = List.of(lines.get(0).split(",")).indexOf("lambda_min_zz");
        for (int i = 1; i < lines.size(); i++) {
            assertEquals(
                    i == 1 || i == lines.size() - 1,
                    !lines.get(i).split(",")[col].equals("nan"),
                    "step " + (i - 1));
        }
        Path off = tmp.resolve("off");
        r = run(with("--theory", "off", "--out", off.toString()));
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.readAllLines(off.resolve("metrics.csv")).get(0).contains("lambda_min_zz"));
    }

    @Test
    void badImplicitOptionsGiveOneLineErrorsAndExitCode2() {
        Object[][] cases = {
            {with("--freeze", "B"), "--freeze B: the implicit network's parameters are A, W, u, v"},
            {
                with("--no-output-skip", "--freeze", "v"),
                "--freeze v: the implicit network's parameters are A, W, u (v only with the output skip"
            },
            {with("--freeze", "A,W,u,v"), "leaves nothing to train"},
            {with("--phi", "tanh"), "--phi must be relu (the paper's) or linear, got 'tanh'"},
            {with("--phi-scale", "m"), "--phi-scale must be sqrt-m (1/√m, the paper's) or sqrt-d (1/√d), got 'm'"},
            {with("--output-init", "normal"), "--output-init must be rademacher (the paper's) or gaussian, got 'normal'"
            },
            {
                new String[] {"train", "--model", "two-layer", "--no-output-skip", "--kernels", "scalar"},
                "--output-skip does not apply to --model two-layer"
            },
            {with("--gamma", "-1"), "--gamma must be non-negative"},
            {with("--tol", "2"), "--tol must be in (0, 1)"},
            {with("--max-iter", "0"), "--max-iter must be at least 1"},
            {
                new String[] {"train", "--model", "implicit", "--theory-every", "-1", "--kernels", "scalar"},
                "--theory-every must be ≥ 0"
            },
            {with("--output-init-std", "NaN"), "--output-init-std"},
            {new String[] {"train", "--model", "deq", "--kernels", "scalar"}, "available: two-layer, deep, implicit"},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " → " + r.err());
            assertTrue(r.err().contains((String) c[1]), "message for " + String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertTrue(r.err().strip().lines().count() <= 2, "short message: " + r.err());
        }
    }

    /** γ far too large: the forward iteration blows up; the run stops with exit code 3 and says why, no NaN rows. */
    @Test
    void gammaTooLargeStopsWithExitCode3AndTheReason() throws IOException {
        Path out = tmp.resolve("gamma");
        Result r = run(with("--gamma", "3", "--out", out.toString()));
        assertEquals(3, r.code(), r.err());
        String msg = r.err().strip();
        assertTrue(
                msg.startsWith("widenet: training stopped at step 0: forward fixed point z = relu(Ãz + φ) diverged: "
                        + "the iterates overflowed float32 after "),
                msg);
        assertTrue(
                msg.matches(
                        "(?s).*\\(‖Ã‖₂ = \\d\\.\\d\\d ≥ 1: the equilibrium map is not a contraction; ‖Ã‖₂ was \\d\\.\\d{4} at step 0 "
                                + "already \\(≈ 2γ for a Gaussian A\\): γ is too large, lower --gamma\\)$"),
                msg);
        assertEquals(1, msg.lines().count());
        Map<String, Object> run = Json.read(out.resolve("run.json"));
        assertEquals("diverged", run.get("status"));
        assertTrue(((String) run.get("message")).contains("not a contraction"));
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(1, lines.size(), "only the header: no row with a meaningless loss");
        assertTrue(Files.isRegularFile(out.resolve("init/A.npy")), "what was written is kept");
        assertFalse(Files.exists(out.resolve("final/A.npy")));
    }

    /** γ = 0.7 (‖Ã‖₂ ≈ 1.4): the forward may well converge, but the guarantee was asked for: stop at step 0. */
    @Test
    void requiredContractionStopsWithExitCode3() throws IOException {
        Path out = tmp.resolve("contraction");
        Result r = run(with("--gamma", "0.7", "--require-contraction", "--out", out.toString()));
        assertEquals(3, r.code(), r.err());
        assertTrue(
                r.err()
                        .strip()
                        .matches(
                                "widenet: training stopped at step 0: ‖Ã‖₂ = 1\\.\\d{4} ≥ 1 \\(over by \\d+\\.\\d\\d%\\) "
                                        + "but the contraction is required \\(--require-contraction\\).*γ is too large, lower --gamma \\(now 0\\.7\\)"),
                r.err());
        // Without the requirement the same run trains (the ReLU keeps the effective map ‖DÃ‖ below 1 here).
        Path free = tmp.resolve("free");
        Result ok = run(with("--gamma", "0.7", "--out", free.toString()));
        assertEquals(0, ok.code(), ok.err());
    }
}
