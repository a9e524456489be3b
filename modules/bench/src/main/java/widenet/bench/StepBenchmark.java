package widenet.bench;

import java.util.ArrayList;
import java.util.List;
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
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.Network;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * The JMH state of a full-batch GD step benchmark, in ms/op: the provider's kernels, the data, the network and its
 * {@link Trainer}, made once per trial from a fixed seed; a subclass says which data and network. The weights GD
 * changes are reset to their initial values before every iteration, so each iteration times the same trajectory
 * from the initialisation: the benchmark stays stationary however many steps JMH runs (no drift towards tiny
 * residuals and subnormal gradients, no divergence). The step returns the loss, which JMH consumes.
 *
 * <p>A step of the default sizes takes ≈ 0.2–0.5 s: 2-second iterations give several steps each (a subclass with
 * longer steps overrides the iteration annotations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {
            "--add-modules=jdk.incubator.vector",
            "-Xms1g",
            "-Xmx1g",
            "--sun-misc-unsafe-memory-access=allow"
        })
public abstract class StepBenchmark {
    @Param({"simd"})
    public String provider;

    @Param({"1", "2"})
    public int threads;

    private Kernels kernels;
    private Dataset data;
    private Network network;
    private Trainer trainer;
    private final List<FloatMatrix> trained = new ArrayList<>();
    private final List<FloatMatrix> initial = new ArrayList<>();

    private final long seed;
    private final double learningRate;

    /** {@code seed}: of the data and the initial weights; {@code learningRate}: η. */
    protected StepBenchmark(long seed, double learningRate) {
        this.seed = seed;
        this.learningRate = learningRate;
    }

    /**
     * Reads the subclass's own parameters (a bad one throws here, before anything else is allocated) and draws the
     * data set from {@code rng}, the stream {@link #createNetwork} continues.
     */
    protected abstract Dataset createData(SplittableRandom rng);

    protected abstract Network createNetwork(Kernels kernels, Dataset data, SplittableRandom rng);

    /** The weights gradient descent changes, which every iteration starts from afresh. */
    protected abstract List<FloatMatrix> trainedWeights(Network network);

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(seed);
        data = createData(rng);
        kernels = KernelProviders.open(provider, threads);
        network = createNetwork(kernels, data, rng);
        // Full batch (batch size n). Trainer.step() ignores the planned step count and the metrics period.
        trainer = new Trainer(kernels, network, data, new TrainSettings(learningRate, 0, data.n(), 1, 0));
        for (FloatMatrix w : trainedWeights(network)) {
            FloatMatrix copy = FloatMatrix.allocate(w.rows(), w.cols());
            copy.copyFrom(w);
            trained.add(w);
            initial.add(copy);
        }
    }

    @Setup(Level.Iteration)
    public void resetWeights() {
        for (int i = 0; i < trained.size(); i++) {
            trained.get(i).copyFrom(initial.get(i));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Reverse order of creation; each may be null if setUp failed half-way.
        for (FloatMatrix m : initial) {
            m.close();
        }
        initial.clear();
        trained.clear();
        if (trainer != null) trainer.close();
        if (network != null) network.close();
        if (kernels != null) kernels.close();
        if (data != null) data.close();
    }

    /** One step: forward, backward, the update; returns the loss before the update. */
    @Benchmark
    public double step() {
        return trainer.step();
    }
}
