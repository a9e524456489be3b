package widenet.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.LossKind;
import widenet.model.Parameter;
import widenet.model.WeightInit;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * One GD step of a deep ReLU MLP ({@link Trainer#step()} on a {@link DeepNetwork}: per layer a forward NN GEMM with
 * the fused ReLU + σ′ epilogue, and backward a TN GEMM for ∇W_l and an NT GEMM plus a Hadamard product for δ_{l−1};
 * then W_l −= η∇W_l), in ms/op. {@code widths 784-1024-1024-1024-1} with a batch of 1000 rows is the shape of the
 * PyTorch baseline in {@code /work/shared/baselines.md} (452–468 ms on 1 thread, 311–375 ms on 2): 2·1000·(784·1024 +
 * 2·1024² + 1024) ≈ 5.8 GFLOP forward, about twice that backward (the first layer's δ₀ is not needed), ≈ 17 GFLOP
 * a step. {@code 64-512-64-32-1} with 512 rows is the pyramid of the deep-network experiments (README, "Deep
 * networks"). xᵢ uniform on the unit sphere, yᵢ ~ N(0, 1), He initialisation, square loss as a sum, ReLU′(0) = 0.
 *
 * <p>Every parameter is reset to its initial value before each iteration, so each iteration times the same
 * trajectory (as in {@link GdStepBenchmark}); the step returns the loss, which JMH consumes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A 784-1024-1024-1024-1 step at batch 1000 takes ≈ 0.2–0.5 s: 2-second iterations give several steps each.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g",
        "--sun-misc-unsafe-memory-access=allow"})
public class DeepStepBenchmark {
    private static final double LEARNING_RATE = 1e-4;

    @Param({"simd"})
    public String provider;

    @Param({"1", "2"})
    public int threads;

    /** Widths d-n1-…-nL ('-' separated: JMH splits parameter lists on commas). */
    @Param({"784-1024-1024-1024-1", "64-512-64-32-1"})
    public String widths;

    /** Rows of the full batch. 0: 1000 for the 784-wide input, 512 (= n₁) otherwise. */
    @Param({"0"})
    public int batch;

    /** Biases on every layer (PyTorch's nn.Linear has them by default). */
    @Param({"false", "true"})
    public boolean biases;

    private Kernels kernels;
    private Dataset data;
    private DeepNetwork network;
    private Trainer trainer;
    private final List<FloatMatrix> initial = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        int[] w;
        try {
            w = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("widths '" + widths + "' is not of the form d-n1-…-nL, e.g. 784-1024-1024-1024-1");
        }
        int n = batch > 0 ? batch : w[0] == 784 ? 1000 : w[1];
        kernels = KernelProviders.open(provider, threads);
        SplittableRandom rng = new SplittableRandom(20200101L);
        data = Dataset.unitSphere(n, w[0], w[w.length - 1], rng.split());
        var cfg = new DeepNetwork.Config(w, n, Activation.relu(false), List.of(WeightInit.HE), 1.0, biases,
                LossKind.SUM, Set.of());
        network = new DeepNetwork(kernels, cfg, rng.split());
        trainer = new Trainer(kernels, network, data, new TrainSettings(LEARNING_RATE, 0, n, 1, 0));
        for (Parameter p : network.parameters()) {
            FloatMatrix copy = FloatMatrix.allocate(p.value().rows(), p.value().cols());
            copy.copyFrom(p.value());
            initial.add(copy);
        }
    }

    @Setup(Level.Iteration)
    public void resetParameters() {
        List<Parameter> ps = network.parameters();
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).value().copyFrom(initial.get(i));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Reverse order of creation; each may be null if setUp failed half-way.
        for (FloatMatrix m : initial) {
            m.close();
        }
        initial.clear();
        if (trainer != null) trainer.close();
        if (network != null) network.close();
        if (data != null) data.close();
        if (kernels != null) kernels.close();
    }

    /** forward through every layer, backward, W_l −= η∇W_l; returns the loss before the update. */
    @Benchmark
    public double step() {
        return trainer.step();
    }
}
