package widenet.train.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;
import widenet.train.GracefulShutdown;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/** Small training runs through {@link TrainingRun} for tests: settings, one call to run or resume, and the results. */
record RunFixture(
        int n,
        int d,
        int m,
        double lr,
        long steps,
        int batch,
        long every,
        long seed,
        boolean stateful,
        boolean declareState) {

    static RunFixture gd() {
        return new RunFixture(24, 10, 40, 0.3, 30, 24, 1, 3, false, true);
    }

    static RunFixture sgd() {
        return new RunFixture(30, 8, 36, 0.1, 40, 7, 3, 4, false, true);
    }

    RunFixture withStateful(boolean declare) {
        return new RunFixture(n, d, m, lr, steps, batch, every, seed, true, declare);
    }

    RunFixture withData(long newSeed) {
        return new RunFixture(n, d, m, lr, steps, batch, every, newSeed, stateful, declareState);
    }

    /**
     * Trains into {@code dir} (new, or resumed when it holds a checkpoint and {@code resume}); stops at the first
     * boundary after the row at {@code stopAfterRow} is written (−1: never).
     */
    TrainingRun.Outcome run(Path dir, boolean resume, CheckpointPolicy policy, long stopAfterRow) {
        GracefulShutdown shutdown = GracefulShutdown.manual();
        SplittableRandom root = new SplittableRandom(seed);
        try (Kernels k = KernelProviders.open("scalar", 1);
                Dataset data = Dataset.unitSphere(n, d, root.split());
                // a resumed run's network starts from another draw: the checkpoint must restore everything
                Network net = network(k, resume ? new SplittableRandom(seed + 1000) : root.split());
                TrainingRun run = resume ? TrainingRun.resume(dir) : TrainingRun.create(dir, false);
                Trainer t = new Trainer(k, net, data, new TrainSettings(lr, steps, batch, every, 77))) {
            Trainer.Listener progress = row -> {
                if (stopAfterRow >= 0 && row.step >= stopAfterRow) {
                    shutdown.request();
                }
            };
            return run.train(t, description(), policy, progress, shutdown);
        }
    }

    private Network network(Kernels k, SplittableRandom rng) {
        var cfg = new TwoLayerNetwork.Config(d, m, n, 1.0, true, LossKind.SUM, true);
        Network net = new TwoLayerNetwork(k, cfg, rng);
        return stateful ? new StatefulNetwork(net, declareState) : net;
    }

    Map<String, Object> description() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", n);
        s.put("d", d);
        s.put("width", m);
        s.put("lr", lr);
        s.put("steps", steps);
        s.put("batch", batch);
        s.put("every", every);
        s.put("seed", seed);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "test");
        run.put("settings", s);
        return run;
    }

    /** metrics.csv without the wall-clock columns (step_ms, time_s). */
    static List<String> metricsWithoutTime(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("metrics.csv"))) {
            String[] f = l.split(",", -1);
            out.add(String.join(",", java.util.Arrays.copyOf(f, f.length - 2)));
        }
        return out;
    }

    /** Every final/*.npy, by name. */
    static Map<String, byte[]> finalWeights(Path dir) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (var s = Files.list(dir.resolve("final"))) {
            for (Path p : s.sorted().toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
