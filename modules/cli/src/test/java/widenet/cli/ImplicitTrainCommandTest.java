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
import widenet.train.Json;

/** {@code widenet train --model implicit}: output files, the numbers in them, errors, and the stops. */
class ImplicitTrainCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String err) {
    }

    static Result run(String... args) {
        StringWriter sw = new StringWriter();
        int code = Main.run(new PrintWriter(sw, true), args);
        return new Result(code, sw.toString());
    }

    /** γ is left at its default, 0.2. */
    static final List<String> SMALL = List.of("train", "--model", "implicit", "--n", "16", "--d", "6", "--width", "32",
            "--lr", "0.005", "--steps", "5", "--theory-every", "2", "--kernels", "scalar", "--quiet");

    static String[] with(String... more) {
        List<String> all = new java.util.ArrayList<>(SMALL);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void writesEveryOutputFileWithTheImplicitColumns() throws IOException {
        Path out = tmp.resolve("run");
        Result r = run(with("--output-skip", "--phi-relu", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("metrics.csv", "run.json", "init/A.npy", "init/W.npy", "init/u.npy", "init/v.npy",
                "final/A.npy", "final/W.npy", "final/u.npy", "final/v.npy")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertArrayEquals(new long[] {32, 32}, Npy.shape(out.resolve("init/A.npy")));
        assertArrayEquals(new long[] {32, 6}, Npy.shape(out.resolve("init/W.npy")));
        assertArrayEquals(new long[] {32}, Npy.shape(out.resolve("final/u.npy")));
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("step,epoch,loss,rate,a_tilde_norm,fwd_iters,fwd_residual,bwd_iters,bwd_residual,A_dist_fro,"
                + "W_dist_fro,u_dist,v_dist,lambda_min_zz,pred_loss_ntk0,step_ms,time_s", lines.get(0));
        assertEquals(1 + 6, lines.size());
        for (int i = 1; i < lines.size(); i++) {
            String[] row = lines.get(i).split(",");
            double norm = Double.parseDouble(row[4]);
            assertTrue(norm > 0.2 && norm < 0.6, "‖Ã‖₂ ≈ 2γ: " + norm);
            assertTrue(Double.parseDouble(row[6]) <= 1e-6, "forward residual within the default tol");
            boolean probed = (i - 1) % 2 == 0 || i == lines.size() - 1;   // steps 0, 2, 4 and the last, 5
            assertEquals(probed, !row[13].equals("nan"), "λ_min(ZZᵀ) at step " + (i - 1));
            if (probed) {
                assertTrue(Double.parseDouble(row[13]) > 0, "λ_min(ZZᵀ) > 0");
            }
        }
        Map<String, Object> run = Json.read(out.resolve("run.json"));
        assertEquals("finished", run.get("status"));
        @SuppressWarnings("unchecked") Map<String, Object> settings = (Map<String, Object>) run.get("settings");
        assertEquals("implicit", settings.get("model"));
        @SuppressWarnings("unchecked") Map<String, Object> implicit = (Map<String, Object>) settings.get("implicit");
        assertEquals(0.2, implicit.get("gamma"));
        assertEquals(true, implicit.get("output_skip"));
        assertEquals(true, implicit.get("phi_relu"));
    }

    /**
     * Row 0 of metrics.csv is the loss of init/A.npy, W.npy, u.npy on the data, recomputed here in double precision
     * with the equilibrium solved to double precision. The float forward stops at the default tol 1e-6 on a map
     * contracting by ρ ≈ 0.4 and rounds each application by at most ≈ m·ε ≈ 2.4e-6 relative (m = 40), so Z and ŷ are
     * within (ρ·1e-6 + 2.4e-6)/(1 − ρ) ≈ 5e-6 relative, the residuals ŷ − y (of the order of ŷ at initialisation)
     * likewise, and the loss within ≈ 1e-5 relative: the bound 1e-4 leaves a factor 10.
     */
    @Test
    void rowZeroIsTheLossOfTheSavedInitialWeights() throws IOException {
        int n = 12, d = 5, m = 40;
        double gamma = 0.2;
        Path xf = tmp.resolve("X.npy"), yf = tmp.resolve("y.npy");
        SplittableRandom rng = new SplittableRandom(4);
        try (FloatMatrix x = FloatMatrix.allocate(n, d); FloatVec y = FloatVec.allocate(n)) {
            Gaussian.fill(x, rng, 0.5);
            for (int i = 0; i < n; i++) {
                y.set(i, (float) rng.nextGaussian());
            }
            Npy.write(xf, x);
            Npy.write(yf, y);
        }
        Path out = tmp.resolve("run");
        Result r = run("train", "--model", "implicit", "--x", xf.toString(), "--y", yf.toString(), "--width", "" + m,
                "--gamma", "" + gamma, "--lr", "0.001", "--steps", "1", "--kernels", "scalar", "--quiet", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        double expected = 0;
        try (FloatMatrix x = Npy.readMatrix(xf); FloatVec y = Npy.readVector(yf);
             FloatMatrix a = Npy.readMatrix(out.resolve("init/A.npy")); FloatMatrix b = Npy.readMatrix(out.resolve("init/W.npy"));
             FloatVec u = Npy.readVector(out.resolve("init/u.npy"))) {
            double alpha = gamma / Math.sqrt(m);
            for (int i = 0; i < n; i++) {
                double[] phi = new double[m], z = new double[m], next = new double[m];
                for (int j = 0; j < m; j++) {
                    for (int k = 0; k < d; k++) {
                        phi[j] += (double) b.get(j, k) * x.get(i, k);
                    }
                    phi[j] /= Math.sqrt(d);
                }
                for (int t = 0; t < 200; t++) {   // contraction ≤ 0.5 per iteration: 200 iterations reach double precision
                    for (int j = 0; j < m; j++) {
                        double s = phi[j];
                        for (int k = 0; k < m; k++) {
                            s += alpha * a.get(j, k) * z[k];
                        }
                        next[j] = Math.max(0, s);
                    }
                    System.arraycopy(next, 0, z, 0, m);
                }
                double yhat = 0;
                for (int j = 0; j < m; j++) {
                    yhat += u.get(j) * z[j];
                }
                expected += 0.5 * (yhat - y.get(i)) * (yhat - y.get(i));
            }
        }
        double row0 = Double.parseDouble(Files.readAllLines(out.resolve("metrics.csv")).get(1).split(",")[2]);
        assertEquals(expected, row0, 1e-4 * expected);
    }

    @Test
    void initFolderReplaysTheSameTrajectory() throws IOException {
        Path first = tmp.resolve("first"), second = tmp.resolve("second");
        assertEquals(0, run(with("--out", first.toString(), "--seed", "5", "--output-skip")).code());
        // The same data seed, the weights from the first run's init/ (the seed would draw the same; --init overrides).
        assertEquals(0, run(with("--out", second.toString(), "--seed", "5", "--output-skip", "--init", first.resolve("init").toString())).code());
        List<String> a = Files.readAllLines(first.resolve("metrics.csv")), b = Files.readAllLines(second.resolve("metrics.csv"));
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
        Result r = run(with("--out", third.toString(), "--output-skip", "--init", first.resolve("init").toString()));
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
            assertEquals(i == 1 || i == lines.size() - 1, !lines.get(i).split(",")[col].equals("nan"), "step " + (i - 1));
        }
        Path off = tmp.resolve("off");
        r = run(with("--theory", "off", "--out", off.toString()));
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.readAllLines(off.resolve("metrics.csv")).get(0).contains("lambda_min_zz"));
    }

    @Test
    void badImplicitOptionsGiveOneLineErrorsAndExitCode2() {
        Object[][] cases = {
                {with("--freeze", "B"), "--freeze B: the implicit network's parameters are A, W, u (v only with --output-skip)"},
                {with("--freeze", "v"), "--freeze v"},
                {with("--freeze", "A,W,u"), "leaves nothing to train"},
                {with("--gamma", "-1"), "--gamma must be non-negative"},
                {with("--tol", "2"), "--tol must be in (0, 1)"},
                {with("--max-iter", "0"), "--max-iter must be at least 1"},
                {new String[] {"train", "--model", "implicit", "--theory-every", "-1", "--kernels", "scalar"}, "--theory-every must be ≥ 0"},
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
        assertTrue(msg.startsWith("widenet: training stopped at step 0: forward fixed point z = relu(Ãz + φ) diverged: "
                + "the iterates overflowed float32 after "), msg);
        assertTrue(msg.matches("(?s).*\\(‖Ã‖₂ = \\d\\.\\d\\d ≥ 1: the equilibrium map is not a contraction; ‖Ã‖₂ was \\d\\.\\d{4} at step 0 "
                + "already \\(≈ 2γ for a Gaussian A\\): γ is too large, lower --gamma\\)$"), msg);
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
        assertTrue(r.err().strip().matches("widenet: training stopped at step 0: ‖Ã‖₂ = 1\\.\\d{4} ≥ 1 \\(over by \\d+\\.\\d\\d%\\) "
                + "but the contraction is required \\(--require-contraction\\).*γ is too large, lower --gamma \\(now 0\\.7\\)"), r.err());
        // Without the requirement the same run trains (the ReLU keeps the effective map ‖DÃ‖ below 1 here).
        Path free = tmp.resolve("free");
        Result ok = run(with("--gamma", "0.7", "--out", free.toString()));
        assertEquals(0, ok.code(), ok.err());
    }
}
