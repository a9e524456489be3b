package widenet.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * One full-batch GD step of the two-layer ReLU network ({@link Trainer#step()}: forward NT GEMM with the fused
 * ReLU + mask epilogue, GEMV, backward elementwise pass, TN GEMM, update), in ms/op: the number to set beside
 * {@code native-bench/gd_step.c} (C + OpenBLAS), PyTorch and NumPy doing the same step. The setting is that of
 * those baselines and of Du et al. 2019 §5: xᵢ uniform on the unit sphere, yᵢ ~ N(0, 1), W ~ N(0, I), a = ±1 fixed,
 * square loss as a sum, η = 0.1, ReLU′(0) = 1.
 *
 * <p>{@code size} is {@code n<samples>_d<input dim>_m<width>}: {@code n1000_d1000_m4000} (the paper's experiment:
 * two 8-GFLOP GEMMs per step) and {@code n4096_d64_m256} (narrow GEMMs, where BLAS libraries are weak).
 *
 * <p>W is reset to W(0) before every iteration, so every iteration times the same trajectory from the
 * initialisation: the benchmark stays stationary however many steps JMH runs (no drift towards tiny residuals
 * and subnormal gradients, no divergence). The step returns the loss, which JMH consumes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A step at n = d = 1000, m = 4000 takes ≈ 0.2–0.5 s: 2-second iterations give several steps each.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g",
        "--sun-misc-unsafe-memory-access=allow"})
public class GdStepBenchmark {
    private static final Pattern SIZE = Pattern.compile("n(\\d+)_d(\\d+)_m(\\d+)");
    private static final double LEARNING_RATE = 0.1;

    @Param({"simd"})
    public String provider;

    @Param({"1", "2"})
    public int threads;

    @Param({"n1000_d1000_m4000", "n4096_d64_m256"})
    public String size;

    private Kernels kernels;
    private Dataset data;
    private TwoLayerNetwork network;
    private Trainer trainer;
    private FloatMatrix initialWeights;

    @Setup(Level.Trial)
    public void setUp() {
        Matcher mt = SIZE.matcher(size);
        if (!mt.matches()) {
            throw new IllegalArgumentException("size '" + size + "' is not of the form n<samples>_d<dim>_m<width>, "
                    + "e.g. n1000_d1000_m4000");
        }
        int n = Integer.parseInt(mt.group(1)), d = Integer.parseInt(mt.group(2)), m = Integer.parseInt(mt.group(3));
        kernels = KernelProviders.open(provider, threads);
        SplittableRandom rng = new SplittableRandom(20190101L);
        data = Dataset.unitSphere(n, d, rng);
        network = new TwoLayerNetwork(kernels,
                new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, true), rng);
        // Full batch (batch size n). Trainer.step() ignores the planned step count and the metrics period.
        trainer = new Trainer(kernels, network, data, new TrainSettings(LEARNING_RATE, 0, n, 1, 0));
        initialWeights = FloatMatrix.allocate(m, d);
        initialWeights.copyFrom(network.weights());
    }

    @Setup(Level.Iteration)
    public void resetWeights() {
        network.weights().copyFrom(initialWeights);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Reverse order of creation; each may be null if setUp failed half-way.
        if (initialWeights != null) initialWeights.close();
        if (trainer != null) trainer.close();
        if (network != null) network.close();
        if (data != null) data.close();
        if (kernels != null) kernels.close();
    }

    /** forward, backward, W −= η∇W; returns the loss before the update. */
    @Benchmark
    public double step() {
        return trainer.step();
    }
}
