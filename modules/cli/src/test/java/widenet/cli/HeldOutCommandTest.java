package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;

/**
 * {@code widenet train --test-x/--test-y} and {@code --test-n} for every model: {@code test_loss} and
 * {@code test_error} against NumPy's forward pass of {@code init/} and {@code final/} on the test set
 * ({@link PredictCommandTest#REFERENCE}, float64); the kernel-regime columns of the two-layer network against the
 * closed form by NumPy's {@code eigh}; bad test files; training unchanged by a test set; rerun keeps it.
 */
class HeldOutCommandTest {
    static final double EPS = 0x1p-24;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findNumpy() {
        PredictCommandTest.findNumpy();
    }

    /** Unit-norm inputs and ±1 labels sign(xᵀw) of one direction w, train and test. */
    private Path[] data(int n, int nt, int d) throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = rng.nextGaussian();
        }
        Path[] files = new Path[4];
        int[] rows = {n, nt};
        for (int s = 0; s < 2; s++) {
            try (FloatMatrix x = FloatMatrix.allocate(rows[s], d);
                    FloatMatrix y = FloatMatrix.allocate(rows[s], 1)) {
                for (int i = 0; i < rows[s]; i++) {
                    double norm = 0, dot = 0;
                    double[] v = new double[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = rng.nextGaussian();
                        norm += v[j] * v[j];
                    }
                    for (int j = 0; j < d; j++) {
                        x.set(i, j, (float) (v[j] / Math.sqrt(norm)));
                        dot += w[j] * x.get(i, j);
                    }
                    y.set(i, 0, dot >= 0 ? 1f : -1f);
                }
                files[2 * s] = tmp.resolve((s == 0 ? "x" : "xt") + ".npy");
                files[2 * s + 1] = tmp.resolve((s == 0 ? "y" : "yt") + ".npy");
                Npy.write(files[2 * s], x);
                Npy.write(files[2 * s + 1], y);
            }
        }
        return files;
    }

    /** A metrics.csv column by name (NaN where empty or "nan"). */
    static double[] column(Path run, String name) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        int c = Arrays.asList(lines.get(0).split(",")).indexOf(name);
        assertTrue(c >= 0, "no column " + name + " in " + lines.get(0));
        double[] v = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String s = lines.get(i).split(",", -1)[c];
            v[i - 1] = s.isEmpty() || s.equals("nan") ? Double.NaN : Double.parseDouble(s);
        }
        return v;
    }

    /** NumPy's predictions f and their tolerances t (as {@link PredictCommandTest#REFERENCE} derives them). */
    private double[][] reference(Path run, Path x, String params) throws Exception {
        Path script = tmp.resolve("reference.py");
        Files.writeString(script, PredictCommandTest.REFERENCE);
        Path ref = tmp.resolve("ref-" + params + ".npy");
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
        try (FloatMatrix both = Npy.readMatrix(ref)) {
            int n = both.rows() / 2;
            double[] f = new double[n], t = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = both.get(i, 0);
                t[i] = both.get(n + i, 0);
            }
            return new double[][] {f, t};
        }
    }

    /**
     * test_loss and test_error of metrics row {@code row} against NumPy's forward pass of {@code params}. The loss
     * ½cΣeᵢ², eᵢ = fᵢ − yᵢ, is off by at most cΣ(|eᵢ|tᵢ + ½tᵢ²) through the predictions' tolerances tᵢ, plus the
     * float loss's own rounding, (2 + 8√n_t)·ε·L; a sign is certain where |fᵢ| > tᵢ.
     */
    private void matches(Path run, Path xt, Path yt, String params, int row, boolean mean) throws Exception {
        double[][] ft = reference(run, xt, params);
        double[] f = ft[0], t = ft[1];
        double[] y;
        try (FloatMatrix m = Npy.readMatrix(yt)) {
            y = new double[m.rows()];
            for (int i = 0; i < y.length; i++) {
                y[i] = m.get(i, 0);
            }
        }
        int nt = y.length;
        double c = mean ? 1.0 / nt : 1;
        double loss = 0, tol = 0;
        int wrong = 0, unsure = 0;
        for (int i = 0; i < nt; i++) {
            double e = f[i] - y[i];
            loss += 0.5 * c * e * e;
            tol += c * (Math.abs(e) * t[i] + 0.5 * t[i] * t[i]);
            if (Math.abs(f[i]) <= t[i]) {
                unsure++;
            } else if (Math.signum(f[i]) != y[i]) {
                wrong++;
            }
        }
        tol += (2 + 8 * Math.sqrt(nt)) * EPS * loss;
        double got = column(run, "test_loss")[row];
        assertTrue(Math.abs(got - loss) <= tol, params + ": test_loss " + got + ", NumPy " + loss + " ± " + tol);
        double error = column(run, "test_error")[row];
        assertTrue(
                error * nt >= wrong - 1e-9 && error * nt <= wrong + unsure + 1e-9,
                params + ": test_error " + error + ", NumPy " + wrong + "/" + nt + " (+" + unsure
                        + " too close to call)");
    }

    private void trainAndMatch(String name, boolean mean, String... model) throws Exception {
        Assumptions.assumeTrue(
                PredictCommandTest.numpy, "python3 with NumPy not found: the NumPy comparison is skipped");
        Path[] f = data(24, 17, 6);
        Path run = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--x",
                f[0].toString(),
                "--y",
                f[1].toString(),
                "--test-x",
                f[2].toString(),
                "--test-y",
                f[3].toString(),
                "--steps",
                "6",
                "--every",
                "3",
                "--quiet",
                "--out",
                run.toString()));
        args.addAll(List.of(model));
        if (mean) {
            args.addAll(List.of("--loss", "mean"));
        }
        TrainCommandTest.Result r = TrainCommandTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(3, column(run, "test_loss").length);
        matches(run, f[2], f[3], "init", 0, mean);
        matches(run, f[2], f[3], "final", 2, mean);
    }

    @Test
    void twoLayerTestLossMatchesNumpy() throws Exception {
        trainAndMatch("two", false, "--width", "40", "--lr", "0.2");
        trainAndMatch("two-mean", true, "--width", "40", "--lr", "2");
    }

    @Test
    void deepTestLossMatchesNumpy() throws Exception {
        trainAndMatch("deep", false, "--model", "deep", "--widths", "6,32,16,1", "--biases", "--lr", "0.005");
    }

    @Test
    void implicitTestLossMatchesNumpy() throws Exception {
        trainAndMatch("implicit", false, "--model", "implicit", "--width", "24", "--gamma", "0.1", "--lr", "0.0005");
    }

    /** The kernel-regime columns of the two-layer network (mean loss, so η′ = η/n) against NumPy's closed form. */
    static final String KERNEL_REFERENCE = """
            import json, sys, os, numpy as np
            run, out = sys.argv[1:3]
            s = json.load(open(os.path.join(run, 'run.json')))['settings']
            import csv
            rows = list(csv.DictReader(open(os.path.join(run, 'metrics.csv'))))
            W = np.load(os.path.join(run, 'init', 'W.npy')).astype(np.float64)
            a = np.load(os.path.join(run, 'init', 'a.npy')).astype(np.float64)
            X = np.load(sys.argv[3]).astype(np.float64); y = np.load(sys.argv[4]).astype(np.float64).reshape(-1)
            n = int(sys.argv[5]); m, d = W.shape; eps = 2.0 ** -24
            Xa = X; Xtr, Xte = X[:n], X[n:]; ytr, yte = y[:n], y[n:]; nt = len(yte)
            pre = Xa @ W.T; S = (pre >= 0).astype(np.float64)
            f = np.maximum(pre, 0) @ a / np.sqrt(m)
            tf = 8 * np.sqrt(d + m) * eps * (np.maximum(np.abs(Xa) @ np.abs(W).T, 0) @ np.abs(a)) / np.sqrt(m) + 2 * eps * np.abs(f)
            G = Xa @ Xa.T
            K0 = G * ((S * a**2) @ S.T) / m
            nrm = np.sqrt(np.diag(G)); c = np.clip(G / np.outer(nrm, nrm), -1, 1)
            Kinf = G * (np.pi - np.arccos(c)) / (2 * np.pi)
            # widenet forms X Xᵀ in float: δcos ≤ 4√d ε; acos is ½-Hölder with constant ≤ 2.23, so the entries of H∞ are
            # off by ≤ |xᵢ||xⱼ|(δcos/2 + 2.23·√δcos/(2π)) (the first term from xᵢᵀxⱼ's own rounding times (π − θ)/(2π) ≤ ½).
            dc = 4 * np.sqrt(d) * eps
            dKinf = np.linalg.norm(np.outer(nrm, nrm) * (dc / 2 + 2.23 * np.sqrt(dc) / (2 * np.pi)))
            lr = s['lr']; mean = s['loss'] == 'mean'
            eta = lr / n if mean else lr; ct = 1.0 / nt if mean else 1.0; c0 = 1.0 / n if mean else 1.0
            r0 = f[:n] - ytr; ft0 = f[n:]
            dr0 = np.linalg.norm(tf[:n]); dft0 = np.linalg.norm(tf[n:])
            out_rows = []
            for name, K, dK in (('ntk0', K0, 0.0), ('inf', Kinf, dKinf)):
                Ktr, Ktx = K[:n, :n], K[n:, :n]
                lam, V = np.linalg.eigh(Ktr)
                assert np.max(np.abs(1 - eta * lam)) <= 1 + 1e-12, 'step not stable on the kernel'
                p0 = V.T @ r0
                for row in rows:
                    k = int(row['step'])
                    q = (1 - eta * lam) ** k
                    geo = np.where(np.abs(eta * lam) < 1e-12, k, (1 - q) / np.where(eta * lam == 0, 1, eta * lam))
                    rk = V @ (q * p0)
                    ftk = ft0 - eta * Ktx @ (V @ (geo * p0))
                    L = 0.5 * c0 * rk @ rk; Lt = 0.5 * ct * np.sum((ftk - yte) ** 2)
                    # ‖I − η′K‖ ≤ 1: δr(k) ≤ δr(0) + kη′‖δK‖‖r(0)‖; the test outputs add η′Σⱼ(‖K_tx‖δr(j) + ‖δK_tx‖‖r(j)‖)
                    drk = dr0 + k * eta * dK * np.linalg.norm(r0)
                    dft = dft0 + eta * k * (np.linalg.norm(Ktx) * drk + dK * np.linalg.norm(r0))
                    tol = 2 * c0 * (np.linalg.norm(rk) * drk + 0.5 * drk ** 2) + 1e-12 * (1 + L)
                    tolt = 2 * ct * (np.linalg.norm(ftk - yte) * dft + 0.5 * dft ** 2) + 1e-12 * (1 + Lt)
                    got, gott = float(row['pred_loss_' + name]), float(row['pred_test_loss_' + name])
                    assert abs(got - L) <= tol, (name, k, got, L, tol)
                    assert abs(gott - Lt) <= tolt, (name, k, gott, Lt, tolt)
                    out_rows.append((name, k, got, L, tol, gott, Lt, tolt))
            print(len(out_rows), 'rows checked')
            """;

    @Test
    void twoLayerKernelRegimeColumnsMatchTheClosedForm() throws Exception {
        Assumptions.assumeTrue(
                PredictCommandTest.numpy, "python3 with NumPy not found: the NumPy comparison is skipped");
        Path[] f = data(30, 20, 8);
        Path all = tmp.resolve("all.npy"), yAll = tmp.resolve("yall.npy");
        try (FloatMatrix x = Npy.readMatrix(f[0]);
                FloatMatrix xt = Npy.readMatrix(f[2]);
                FloatMatrix y = Npy.readMatrix(f[1]);
                FloatMatrix yt = Npy.readMatrix(f[3]);
                FloatMatrix xa = FloatMatrix.allocate(50, 8);
                FloatMatrix ya = FloatMatrix.allocate(50, 1)) {
            xa.rows(0, 30).copyFrom(x);
            xa.rows(30, 50).copyFrom(xt);
            ya.rows(0, 30).copyFrom(y);
            ya.rows(30, 50).copyFrom(yt);
            Npy.write(all, xa);
            Npy.write(yAll, ya);
        }
        for (String loss : List.of("mean", "sum")) {
            Path run = tmp.resolve("kernel-" + loss);
            TrainCommandTest.Result r = TrainCommandTest.run(
                    "train",
                    "--x",
                    f[0].toString(),
                    "--y",
                    f[1].toString(),
                    "--test-x",
                    f[2].toString(),
                    "--test-y",
                    f[3].toString(),
                    "--width",
                    "64",
                    "--steps",
                    "40",
                    "--every",
                    "8",
                    "--lr",
                    loss.equals("mean") ? "4" : "0.15",
                    "--loss",
                    loss,
                    "--quiet",
                    "--out",
                    run.toString());
            assertEquals(0, r.code(), r.err());
            Path script = tmp.resolve("kernel.py");
            Files.writeString(script, KERNEL_REFERENCE);
            Process p = new ProcessBuilder(
                            "python3",
                            script.toString(),
                            run.toString(),
                            "unused",
                            all.toString(),
                            yAll.toString(),
                            "30")
                    .redirectErrorStream(true)
                    .start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, log);
            // the recursion on H∞ is also pred_arora's closed form (eigenvectors of H∞, widenet's own solver);
            // pred_arora's
            // H∞ comes from a float X Xᵀ, the infinite-width kernel's from a double one: entries differ by the bound
            // the
            // NumPy script derives (≈ 1e-4 relative for near-parallel pairs), so 1e-3 relative on the loss
            double[] inf = column(run, "pred_loss_inf"), arora = column(run, "pred_arora");
            for (int i = 0; i < inf.length; i++) {
                assertEquals(arora[i], inf[i], 1e-3 * arora[i], "row " + i);
            }
        }
    }

    @Test
    void aTestSetLeavesTrainingUnchangedAndRerunKeepsIt() throws Exception {
        Path plain = tmp.resolve("plain"), with = tmp.resolve("with"), again = tmp.resolve("again");
        String[] base = {
            "train", "--n", "20", "--d", "5", "--width", "30", "--steps", "8", "--threads", "1", "--quiet", "--out"
        };
        assertEquals(0, Main.run(TrainCommandTest.with(Arrays.copyOfRange(base, 1, base.length), plain.toString())));
        assertEquals(
                0,
                Main.run(TrainCommandTest.with(
                        Arrays.copyOfRange(base, 1, base.length), with.toString(), "--test-n", "15")));
        assertTrue(
                Arrays.equals(column(plain, "loss"), column(with, "loss")),
                "the training loss changed with a test set");
        assertTrue(Files.readString(with.resolve("run.json")).contains("\"test_n\" : 15"));
        assertEquals(0, Main.run("rerun", with.toString(), "--out", again.toString(), "--quiet"));
        assertTrue(Arrays.equals(column(with, "test_loss"), column(again, "test_loss")), "rerun drew another test set");
        assertTrue(Arrays.equals(column(with, "pred_test_loss_ntk0"), column(again, "pred_test_loss_ntk0")));
    }

    @Test
    void badTestFilesAreOneLineNamingTheFile() throws Exception {
        Path[] f = data(10, 6, 4);
        Path wide = tmp.resolve("wide.npy"), short_ = tmp.resolve("short.npy");
        try (FloatMatrix x = FloatMatrix.allocate(6, 5);
                FloatMatrix y = FloatMatrix.allocate(5, 1)) {
            Npy.write(wide, x);
            Npy.write(short_, y);
        }
        String[] train = {
            "train", "--x", f[0].toString(), "--y", f[1].toString(), "--width", "8", "--steps", "2", "--quiet"
        };
        Object[][] cases = {
            {
                new String[] {"--test-x", wide.toString(), "--test-y", f[3].toString()},
                wide + " has d = 5 columns but the training inputs have d = 4"
            },
            {
                new String[] {"--test-x", f[2].toString(), "--test-y", short_.toString()},
                short_ + " has 5 label rows but --test-x " + f[2] + " has 6 inputs"
            },
            {new String[] {"--test-x", f[2].toString()}, "--test-x and --test-y go together"},
            {new String[] {"--test-n", "5"}, "with --x give --test-x and --test-y"},
            {
                new String[] {"--test-x", tmp.resolve("missing.npy").toString(), "--test-y", f[3].toString()},
                "missing.npy"
            },
        };
        int i = 0;
        for (Object[] c : cases) {
            String[] extra = (String[]) c[0];
            String[] args = Arrays.copyOf(train, train.length + extra.length + 2);
            System.arraycopy(extra, 0, args, train.length, extra.length);
            args[args.length - 2] = "--out";
            args[args.length - 1] = tmp.resolve("bad" + i++).toString();
            TrainCommandTest.Result r = TrainCommandTest.run(args);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains((String) c[1]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        TrainCommandTest.Result r = TrainCommandTest.run(
                "train",
                "--n",
                "10",
                "--d",
                "4",
                "--width",
                "8",
                "--test-n",
                "0",
                "--quiet",
                "--out",
                tmp.resolve("zero").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--test-n must be positive"), r.err());
    }
}
