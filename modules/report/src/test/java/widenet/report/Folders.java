package widenet.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.sweep.Sweep;
import widenet.sweep.SweepSettings;
import widenet.train.Dataset;
import widenet.train.MetricsCsv;
import widenet.train.Probe;
import widenet.train.TrainSettings;
import widenet.train.Trainer;
import widenet.train.internal.Json;

/** Real (tiny) run, reproduction and sweep folders for the report tests, made with the scalar kernels. */
final class Folders {
    private Folders() {}

    /**
     * A prediction probe standing in for the theory module's: {@code pred_du_bound} = L(0)(1 − ηλ/2)^k with a
     * made-up λ, and {@code radius_R} constant; the report must draw them over the loss and the row distance.
     */
    static final class FakePredictions implements Probe {
        private final double eta;
        private double loss0 = Double.NaN;

        FakePredictions(double eta) {
            this.eta = eta;
        }

        @Override
        public List<String> names() {
            return List.of("pred_du_bound", "radius_R", "lambda_min_H");
        }

        @Override
        public long every() {
            return 5;
        }

        @Override
        public void measure(Network network, long step, double[] out) {
            double sum = 0;
            var u = network.predictions();
            for (int i = 0; i < u.rows(); i++) {
                sum += u.get(i, 0) * u.get(i, 0);
            }
            if (step == 0) {
                loss0 = 0.5 * sum + 10;
            }
            out[0] = loss0 * Math.pow(1 - eta * 0.2 / 2, step);
            out[1] = 3.5;
            out[2] = 0.2 + 0.01 * Math.exp(-step / 20.0);
        }
    }

    /** A run folder as {@code widenet train} writes it (metrics.csv, run.json, theory.json) from a real run. */
    static Path run(Path dir, int n, int d, int m, int steps, boolean withTheory) throws IOException {
        Files.createDirectories(dir);
        double eta = 0.2;
        SplittableRandom root = new SplittableRandom(11);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, root.split());
                TwoLayerNetwork net = new TwoLayerNetwork(
                        k, new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, true), root.split());
                Trainer t = new Trainer(
                        k,
                        net,
                        data,
                        new TrainSettings(eta, steps, n, 1, 0),
                        withTheory ? List.of(new FakePredictions(eta)) : List.of());
                MetricsCsv csv = new MetricsCsv(dir.resolve("metrics.csv"), t.columns())) {
            t.run(csv);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", "two-layer");
        settings.put("n", n);
        settings.put("d", d);
        settings.put("width", m);
        settings.put("lr", eta);
        settings.put("steps", steps);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "train");
        run.put("settings", settings);
        run.put("status", "finished");
        run.put("steps_done", steps);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        run.put("final_loss", lines.get(lines.size() - 1).split(",")[2]);
        Json.write(dir.resolve("run.json"), run);
        if (withTheory) {
            Json.write(dir.resolve("theory.json"), theory(n, eta));
        }
        return dir;
    }

    /** A theory.json like the theory module's: named numbers and arrays (a decreasing positive spectrum). */
    static Map<String, Object> theory(int n, double eta) {
        Map<String, Object> th = new LinkedHashMap<>();
        th.put("n", n);
        th.put("eta", eta);
        th.put("lambda_0", 0.2);
        th.put("lambda_max", 1.3);
        th.put("du_rate", 1 - eta * 0.2 / 2);
        double[] spectrum = new double[n];
        double[] projections = new double[n];
        for (int i = 0; i < n; i++) {
            spectrum[i] = 0.2 * Math.pow(1.3 / 0.2, (double) i / (n - 1));
            projections[i] = 1.0 / (1 + i);
        }
        th.put("spectrum", spectrum);
        th.put("projections", projections);
        return th;
    }

    /** A reproduction folder: three widths, theory.json, summary.md with a table, series/*.csv. */
    static Path reproduction(Path dir) throws IOException {
        int[] widths = {16, 32, 64};
        List<String> runs = new java.util.ArrayList<>();
        StringBuilder loss = new StringBuilder("step");
        for (int m : widths) {
            run(dir.resolve("m" + m), 20, 10, m, 30, true);
            runs.add("m" + m);
            loss.append(",m").append(m);
        }
        loss.append('\n');
        for (int k = 0; k <= 30; k++) {
            loss.append(k);
            for (int m : widths) {
                loss.append(',').append(Math.exp(-k * m / 400.0) * 20);
            }
            loss.append('\n');
        }
        Files.createDirectories(dir.resolve("series"));
        Files.writeString(dir.resolve("series/loss.csv"), loss);
        Files.writeString(
                dir.resolve("series/final_vs_width.csv"),
                "width,final_loss,pattern_change\n16,4.5,0.03\n32,1.2,0.02\n64,0.3,0.012\n");
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", "du2019");
        rep.put(
                "paper",
                "Du, Zhai, Póczos & Singh, Gradient Descent Provably Optimizes Over-parameterized Neural Networks (ICLR 2019)");
        rep.put("runs", runs);
        rep.put("settings", Map.of("n", 20, "d", 10, "steps", 30));
        rep.put("checks", Map.of("loss_falls_every_width", true));
        Json.write(dir.resolve("reproduction.json"), rep);
        Json.write(dir.resolve("theory.json"), theory(20, 0.2));
        Files.writeString(dir.resolve("summary.md"), """
                # du2019 <script>alert('x')</script>

                | m | final loss | pattern change |
                |---:|---:|---:|
                | 16 | 4.5 | 0.03 |
                | 32 | 1.2 | 0.02 |
                | 64 | 0.3 | 0.012 |

                ✓ wider runs move less.
                """);
        return dir;
    }

    /** A tiny real sweep (scalar kernels, seconds). */
    static Path sweep(Path dir) throws IOException {
        SweepSettings s = new SweepSettings(
                List.of(8, 16, 32), 8, 0, 2, 0, 0.3, 150, 0.02, 2, 128, 2, 1.0, LossKind.SUM, "scalar", 1);
        new Sweep(dir, s, 2, null, Map.of("command", "sweep")).run();
        return dir;
    }
}
