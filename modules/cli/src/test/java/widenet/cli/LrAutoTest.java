package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import widenet.reproduce.MetricsTable;
import widenet.train.RunSpec;
import widenet.train.RunSpecArguments;
import widenet.train.Runs;
import widenet.train.internal.Json;

/** {@code widenet train --lr auto[:c]}: η = c/λ_max(K(0)) resolved at the start, printed, recorded, reproduced. */
class LrAutoTest {
    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Path run, String key) throws Exception {
        return (Map<String, Object>) Json.read(run.resolve("run.json")).get(key);
    }

    static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /**
     * The deep run's λ_max(K(0)) is the empirical kernel `theory --model deep --empirical` decomposes for the same seed
     * (Lanczos there, the full solve here: within 10⁻¹⁰ relative, the Lanczos stopping tolerance), and η = 1/λ_max.
     */
    @Test
    void deepRunResolvesEtaFromTheInitialKernelAndRecordsBoth() throws Exception {
        Path run = tmp.resolve("deep");
        String[] model = {"--model", "deep", "--n", "24", "--widths", "6,128,64,1", "--weight-init", "he", "--seed", "3"
        };
        TrainCommandTest.Result[] r = new TrainCommandTest.Result[1];
        String out = TheoryCommandTest.stdout(() -> r[0] = TrainCommandTest.run(TrainCommandTest.with(
                model,
                "--lr",
                "auto",
                "--steps",
                "5",
                "--kernels",
                "scalar",
                "--threads",
                "1",
                "--out",
                run.toString())));
        assertEquals(0, r[0].code(), r[0].err());
        assertTrue(out.contains("--lr auto: η = c/λ_max(K(0))"), out);
        Map<String, Object> auto = section(run, "lr_auto");
        double lambda = num(auto, "lambda_max_K0"), eta = num(auto, "lr");
        assertEquals(1.0 / lambda, eta, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> opt = (Map<String, Object>) section(run, "spec").get("optimisation");
        assertEquals(eta, num(opt, "lr"), 0);
        assertEquals(1.0, num(opt, "lr_auto"), 0);
        assertEquals(eta, num(section(run, "settings"), "lr"), 0);

        Path json = tmp.resolve("t.json");
        Map<String, Object> facts = ModelTheoryCommandTest.theory(json, concat(model, "--empirical"));
        @SuppressWarnings("unchecked")
        double full = num((Map<String, Object>) facts.get("empirical"), "lambda_max");
        assertEquals(full, lambda, 1e-10 * full + 100 * Math.ulp(full));
    }

    /** With the mean loss the step is c·n/λ_max; the factor is c. */
    @Test
    void meanLossScalesTheAutomaticStepByN() throws Exception {
        Path run = tmp.resolve("mean");
        assertEquals(
                0,
                Main.run(
                        "train",
                        "--n",
                        "20",
                        "--d",
                        "8",
                        "--width",
                        "64",
                        "--loss",
                        "mean",
                        "--lr",
                        "auto:0.5",
                        "--steps",
                        "3",
                        "--kernels",
                        "scalar",
                        "--threads",
                        "1",
                        "--quiet",
                        "--out",
                        run.toString()));
        Map<String, Object> auto = section(run, "lr_auto");
        assertEquals(0.5 * 20 / num(auto, "lambda_max_K0"), num(auto, "lr"), 0);
        assertEquals("c*n/lambda_max(K(0))", auto.get("rule"));
    }

    /** An implicit run with the automatic step converges (the step is inside the stability limit). */
    @Test
    void implicitRunWithTheAutomaticStepDescends() throws Exception {
        Path run = tmp.resolve("imp");
        assertEquals(
                0,
                Main.run(
                        "train",
                        "--model",
                        "implicit",
                        "--n",
                        "16",
                        "--d",
                        "6",
                        "--width",
                        "64",
                        "--gamma",
                        "0.2",
                        "--lr",
                        "auto",
                        "--steps",
                        "30",
                        "--every",
                        "30",
                        "--kernels",
                        "scalar",
                        "--threads",
                        "1",
                        "--quiet",
                        "--out",
                        run.toString()));
        double[] loss = MetricsTable.read(run.resolve("metrics.csv")).column("loss");
        assertTrue(loss[loss.length - 1] < 0.5 * loss[0], loss[0] + " → " + loss[loss.length - 1]);
    }

    /** rerun trains the recorded spec (η resolved, c kept) to the same bits; the spec's arguments parse back to it. */
    @Test
    void rerunOfAnAutomaticRunIsExact() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        assertEquals(
                0,
                Main.run(
                        "train",
                        "--model",
                        "deep",
                        "--n",
                        "12",
                        "--widths",
                        "5,32,1",
                        "--lr",
                        "auto:0.8",
                        "--steps",
                        "4",
                        "--kernels",
                        "scalar",
                        "--threads",
                        "1",
                        "--quiet",
                        "--out",
                        a.toString()));
        assertEquals(0, Main.run("rerun", a.toString(), "--out", b.toString(), "--quiet"));
        for (String f : List.of("final/W1.npy", "final/W2.npy")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertEquals(num(section(a, "lr_auto"), "lr"), num(section(b, "lr_auto"), "lr"), 0);
        RunSpec recorded = Runs.recordedSpec(a);
        List<String> args = RunSpecArguments.of(recorded);
        assertTrue(args.contains("auto:0.8"), args.toString());
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args.toArray(new String[0]));
        assertEquals(
                recorded.identity(), cmd.runSpec().validate().identity(), "a pending auto step is the recorded run");
    }

    @Test
    void badAutomaticStepsAreOneLineErrors() {
        for (String lr : List.of("auto:2", "auto:0", "auto:x", "fast")) {
            TrainCommandTest.Result r = TrainCommandTest.run(
                    "train",
                    "--n",
                    "8",
                    "--d",
                    "3",
                    "--width",
                    "8",
                    "--lr",
                    lr,
                    "--kernels",
                    "scalar",
                    "--out",
                    tmp.resolve("x").toString());
            assertEquals(2, r.code(), lr + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(tmp.resolve("x")), "nothing written");
        }
        TrainCommandTest.Result r = TrainCommandTest.run(
                "train",
                "--model",
                "deep",
                "--n",
                "8",
                "--widths",
                "3,8,2",
                "--lr",
                "auto",
                "--kernels",
                "scalar",
                "--out",
                tmp.resolve("y").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--lr auto") && r.err().contains("one output"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
