package widenet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import widenet.cli.Main;

/**
 * {@code widenet train --data-parallel spark} in {@code local[N]} (loopback, no UI) against the same run in one
 * process: the command, its output folder and its trajectory. Every run here uses one kernel thread per partition
 * and per process, so that a partition computes exactly what the single process computes on the same rows.
 */
// The limit only stops a hang. Spark's per-step scheduling suffers most on a shared machine: this class took 48–50 s
// at load 12–14 on 2 cores, and one 60-step run alone exceeded 60 s at load 18.
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SparkTrainingTest {
    static final int N = 64, D = 16, M = 128, STEPS = 50;
    static final String[] RUN = {
        "train",
        "--n",
        "" + N,
        "--d",
        "" + D,
        "--width",
        "" + M,
        "--lr",
        "0.5",
        "--steps",
        "" + STEPS,
        "--seed",
        "11",
        "--threads",
        "1",
        "--theory",
        "off",
        "--quiet",
        "--force"
    };

    @TempDir
    static Path dir;

    static List<double[]> single;

    @BeforeAll
    static void singleProcess() throws IOException {
        single = rows(train(dir.resolve("single")));
    }

    static Path train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(RUN));
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(more));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), args.toArray(new String[0]));
        assertEquals(0, code, "exit code; stderr: " + err);
        return out;
    }

    /** metrics.csv as rows of numbers: step, epoch, loss, rate, w_dist_fro, w_dist_max_row, pattern_change, a_dist, … */
    static List<double[]> rows(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(
                "step,epoch,loss,rate,w_dist_fro,w_dist_max_row,pattern_change,a_dist",
                String.join(",", List.of(lines.get(0).split(",")).subList(0, 8)));
        List<double[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] v = new double[8];
            for (int i = 0; i < v.length; i++) {
                v[i] = f[i].equals("nan") ? Double.NaN : Double.parseDouble(f[i]);
            }
            out.add(v);
        }
        assertEquals(STEPS + 1, out.size());
        return out;
    }

    /**
     * One partition: the partition holds X in the same layout, its kernels sum in the same order, the tree sum of one
     * partial is that partial, and the loss is ½Σr² either way, so every metric is bit-identical.
     */
    @Test
    void onePartitionFollowsTheSingleProcessTrajectoryBitForBit() throws IOException {
        Path out = train(dir.resolve("p1"), "--data-parallel", "spark", "--master", "local[1]", "--partitions", "1");
        List<double[]> spark = rows(out);
        for (int k = 0; k <= STEPS; k++) {
            assertEquals(List.of(box(single.get(k))), List.of(box(spark.get(k))), "metrics row " + k);
        }
        for (String f : List.of("run.json", "init/W.npy", "init/a.npy", "final/W.npy", "final/a.npy")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertEquals(-1, Files.mismatch(dir.resolve("single/final/W.npy"), out.resolve("final/W.npy")), "final W");
        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals("finished", run.path("status").asText(), run.toString());
        assertEquals(
                "spark",
                run.path("settings").path("data_parallel").path("engine").asText());
        assertEquals(
                1, run.path("settings").path("data_parallel").path("partitions").asInt());
        assertEquals(
                1,
                run.path("settings")
                        .path("data_parallel")
                        .path("partitions_used")
                        .asInt());
        assertTrue(
                run.path("settings")
                        .path("data_parallel")
                        .path("spark_version")
                        .asText()
                        .startsWith("4."),
                run.toString());
    }

    /**
     * Two partitions in local[2]: each step's sums over the n rows are split in two halves and added, a reordering of
     * n-term float sums, which changes them by O(√n·ε) relative (ε = 2⁻²⁴). Gradient descent with a stable step carries
     * such a perturbation forward without amplifying it (the loss contracts), so after k steps the losses differ by at
     * most about (k + 1)·√n·ε relative (measured: 0.026 of that over 60 steps); the bound below allows 2× that. A wrong gradient (a lost partition, a missing
     * 1/√m, a double count) is off by ≥ 1e-1 relative at the first step.
     */
    @Test
    void twoPartitionsAgreeWithTheSingleProcessToFloatSummationTolerance() throws IOException {
        // No --partitions: Spark's default parallelism, 2 in local[2], which run.json records as the count used.
        Path out = train(dir.resolve("p2"), "--data-parallel", "spark", "--master", "local[2]");
        JsonNode dp = new ObjectMapper()
                .readTree(out.resolve("run.json").toFile())
                .path("settings")
                .path("data_parallel");
        assertTrue(dp.path("partitions").isNull(), dp.toString());
        assertEquals(2, dp.path("partitions_used").asInt(), dp.toString());
        List<double[]> spark = rows(out);
        double eps = Math.ulp(1f);
        double worst = 0;
        for (int k = 0; k <= STEPS; k++) {
            double expected = single.get(k)[2];
            double actual = spark.get(k)[2];
            double tolerance = 2 * (k + 1) * Math.sqrt(N) * eps * expected;
            assertEquals(expected, actual, tolerance, "loss at step " + k);
            worst = Math.max(worst, Math.abs(actual - expected) / expected / ((k + 1) * Math.sqrt(N) * eps));
            assertEquals(single.get(k)[6], spark.get(k)[6], 2.0 / (N * M) + 1e-12, "pattern_change at step " + k);
        }
        assertTrue(single.get(STEPS)[2] < 0.2 * single.get(0)[2], "the run converges: " + single.get(STEPS)[2]);
        System.out.printf("two partitions: worst loss difference %.3g × (k+1)·√n·ε%n", worst);
    }

    @Test
    void aMasterSparkCannotUseIsAOneLineInputError() {
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of(RUN));
        args.addAll(List.of(
                "--out", dir.resolve("bad").toString(), "--data-parallel", "spark", "--master", "nonsense://x"));
        assertEquals(Main.EXIT_INPUT, Main.run(new PrintWriter(err, true), args.toArray(new String[0])));
        assertTrue(
                err.toString()
                        .startsWith("widenet: --master nonsense://x: Spark cannot start: Could not parse Master URL"),
                err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    private static Double[] box(double[] v) {
        Double[] b = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }
}
