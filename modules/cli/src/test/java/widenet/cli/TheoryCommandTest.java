package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.reproduce.MetricsTable;
import widenet.train.internal.Json;

/** {@code widenet theory} and the theory columns of {@code widenet train}. */
class TheoryCommandTest {
    @TempDir
    Path tmp;

    static String stdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    /**
     * {@code widenet theory} on synthetic data gives the same λ₀, λ_max and measure as the theory.json of a
     * {@code widenet train} run with the same --n, --d, --seed: both must describe the same data set.
     */
    @Test
    void theoryCommandAgreesWithTheTrainingRunOnTheSameData() throws IOException {
        Path json = tmp.resolve("facts.json"), run = tmp.resolve("run");
        String[] out = new String[1];
        int[] code = new int[1];
        out[0] = stdout(() -> code[0] = TrainCommandTest.run(
                        "theory",
                        "--n",
                        "30",
                        "--d",
                        "12",
                        "--seed",
                        "9",
                        "--kernels",
                        "scalar",
                        "--json",
                        json.toString())
                .code());
        assertEquals(0, code[0], out[0]);
        assertTrue(
                out[0].contains("λ₀ = λ_min(H∞)") && out[0].contains("required width") && out[0].contains("measure"),
                out[0]);
        assertEquals(
                0,
                TrainCommandTest.run(
                                "train",
                                "--n",
                                "30",
                                "--d",
                                "12",
                                "--seed",
                                "9",
                                "--width",
                                "64",
                                "--steps",
                                "3",
                                "--kernels",
                                "scalar",
                                "--quiet",
                                "--out",
                                run.toString())
                        .code());
        Map<String, Object> facts = Json.read(json), trained = Json.read(run.resolve("theory.json"));
        for (String key :
                List.of("lambda_0", "lambda_max", "generalisation_measure", "required_width", "stability_limit_eta")) {
            assertEquals(((Number) facts.get(key)).doubleValue(), ((Number) trained.get(key)).doubleValue(), 0, key);
        }
        assertTrue(((Number) facts.get("lambda_0")).doubleValue() > 0);
        assertEquals(30, ((List<?>) facts.get("spectrum")).size());
        assertEquals(30, ((List<?>) facts.get("projections")).size());
        double lambda0 = ((Number) facts.get("lambda_0")).doubleValue(),
                delta = ((Number) facts.get("delta")).doubleValue();
        assertEquals(
                Math.pow(30, 6) / (Math.pow(lambda0, 4) * Math.pow(delta, 3)),
                ((Number) facts.get("required_width")).doubleValue(),
                1e-9 * ((Number) facts.get("required_width")).doubleValue());
    }

    /**
     * The theory columns of metrics.csv: predictions on every row, λ_min(H(k)) on the --theory-every cadence (and the
     * first and last rows), R′ constant; row 0's predictions equal the measured loss; --theory off removes them.
     */
    @Test
    void trainWritesTheoryColumnsOnTheirCadence() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(
                0,
                TrainCommandTest.run(
                                "train",
                                "--n",
                                "20",
                                "--d",
                                "8",
                                "--width",
                                "200",
                                "--steps",
                                "7",
                                "--theory",
                                "on",
                                "--theory-every",
                                "3",
                                "--kernels",
                                "scalar",
                                "--quiet",
                                "--out",
                                run.toString())
                        .code());
        MetricsTable t = MetricsTable.read(run.resolve("metrics.csv"));
        assertEquals(8, t.size());
        double[] loss = t.column("loss"),
                du = t.column("pred_du_bound"),
                arora = t.column("pred_arora"),
                lmin = t.column("lambda_min_H"),
                radius = t.column("radius_R");
        assertEquals(loss[0], du[0], 1e-5 * loss[0]);
        assertEquals(loss[0], arora[0], 1e-5 * loss[0]);
        for (int k = 0; k < loss.length; k++) {
            boolean expected = k % 3 == 0 || k == 7;
            assertEquals(expected, !Double.isNaN(lmin[k]), "λ_min(H(k)) at step " + k);
            assertEquals(radius[0], radius[k], 0);
            assertTrue(du[k] > 0 && arora[k] > 0);
        }
        Map<String, Object> theory = Json.read(run.resolve("theory.json"));
        assertEquals(lmin[0], ((Number) theory.get("lambda_min_H_initial")).doubleValue(), 0);
        assertEquals(lmin[7], ((Number) theory.get("lambda_min_H_final")).doubleValue(), 0);
        Map<String, Object> runJson = Json.read(run.resolve("run.json"));
        assertTrue(((Number) runJson.get("theory_seconds")).doubleValue() > 0);

        Path off = tmp.resolve("off");
        assertEquals(
                0,
                TrainCommandTest.run(
                                "train",
                                "--n",
                                "20",
                                "--d",
                                "8",
                                "--width",
                                "200",
                                "--steps",
                                "2",
                                "--theory",
                                "off",
                                "--kernels",
                                "scalar",
                                "--quiet",
                                "--out",
                                off.toString())
                        .code());
        assertFalse(Files.readAllLines(off.resolve("metrics.csv")).get(0).contains("pred_"));
        assertFalse(Files.exists(off.resolve("theory.json")));
    }

    @Test
    void badTheoryOptionsExitWith2() {
        assertEquals(
                2,
                TrainCommandTest.run("train", "--theory", "maybe", "--kernels", "scalar")
                        .code());
        assertEquals(
                2,
                TrainCommandTest.run("train", "--theory-every", "-1", "--kernels", "scalar")
                        .code());
        assertEquals(
                2,
                TrainCommandTest.run("theory", "--delta", "2", "--kernels", "scalar")
                        .code());
        TrainCommandTest.Result r =
                TrainCommandTest.run("theory", "--x", tmp.resolve("none.npy").toString(), "--kernels", "scalar");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("none.npy"), r.err());
        for (String command : new String[] {"train", "theory"}) {
            r = TrainCommandTest.run(command, "--threads", "0", "--kernels", "scalar");
            assertEquals(2, r.code(), r.err());
            assertEquals("widenet: --threads must be at least 1, got 0", r.err().strip(), command);
        }
    }
}
