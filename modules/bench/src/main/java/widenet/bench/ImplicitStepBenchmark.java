package widenet.bench;

import java.util.Set;
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
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Parameter;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * One full-batch GD step of the implicit (equilibrium) ReLU network of Gao et al. 2022 ({@link Trainer#step()}):
 * Φ = X Bᵀ/√d, the forward fixed point Z ← relu(Z Ãᵀ + Φ) warm-started from the previous step's equilibrium (one
 * n×m×m NT GEMM per iteration), the adjoint P ← D ⊙ (P Ã + r uᵀ) (one NN GEMM per iteration), ∂A = (γ/√m) Pᵀ Z
 * (TN GEMM), ∂B = Pᵀ X/√d, and the update; in ms/op. At n = 1000, m = 2000 each m×m GEMM is 8 GFLOP; a step early
 * in training takes about 4–5 forward and 7–8 adjoint iterations at the default tolerance 1e-6, i.e. ≈ 14 such
 * GEMMs ≈ 110 GFLOP.
 *
 * <p>Setting (the README's "Implicit networks" runs): xᵢ uniform on S^{d−1}, yᵢ ~ N(0, 1), γ = 0.2 (‖Ã‖₂ ≈ 0.4),
 * A, B ~ N(0, 1), u ~ N(0, 1) frozen, A and B trained, square loss as a sum, η = 0.02.
 *
 * <p>A and B are reset to their initial values before every iteration, so every iteration times the start of the
 * same trajectory (warm starts included: the first step after a reset starts from the equilibrium of the previous
 * iteration's last weights, a little farther away) and the benchmark stays stationary.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A step at n = 1000, m = 2000 takes ≈ 1–4 s: 8-second iterations give a few steps each.
@Warmup(iterations = 2, time = 8)
@Measurement(iterations = 4, time = 8)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g",
        "--sun-misc-unsafe-memory-access=allow"})
public class ImplicitStepBenchmark {
    private static final Pattern SIZE = Pattern.compile("n(\\d+)_d(\\d+)_m(\\d+)");
    private static final double LEARNING_RATE = 0.02;
    private static final double GAMMA = 0.2;

    @Param({"simd"})
    public String provider;

    @Param({"1", "2"})
    public int threads;

    @Param({"n1000_d100_m2000"})
    public String size;

    private Kernels kernels;
    private Dataset data;
    private ImplicitNetwork network;
    private Trainer trainer;
    private FloatMatrix initialA, initialB;

    @Setup(Level.Trial)
    public void setUp() {
        Matcher mt = SIZE.matcher(size);
        if (!mt.matches()) {
            throw new IllegalArgumentException("size '" + size + "' is not of the form n<samples>_d<dim>_m<width>, "
                    + "e.g. n1000_d100_m2000");
        }
        int n = Integer.parseInt(mt.group(1)), d = Integer.parseInt(mt.group(2)), m = Integer.parseInt(mt.group(3));
        kernels = KernelProviders.open(provider, threads);
        SplittableRandom rng = new SplittableRandom(20220125L);
        data = Dataset.unitSphere(n, d, rng);
        var config = new ImplicitNetwork.Config(d, m, n, GAMMA, false, false, 1.0, LossKind.SUM, Set.of("u"),
                ImplicitNetwork.Solver.DEFAULT, false, 1);
        network = new ImplicitNetwork(kernels, config, rng);
        // Full batch (batch size n). Trainer.step() ignores the planned step count and the metrics period.
        trainer = new Trainer(kernels, network, data, new TrainSettings(LEARNING_RATE, 0, n, 1, 0));
        initialA = copy(parameter("A"));
        initialB = copy(parameter("B"));
    }

    private FloatMatrix parameter(String name) {
        for (Parameter p : network.parameters()) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        throw new IllegalStateException("no parameter " + name);
    }

    private static FloatMatrix copy(FloatMatrix m) {
        FloatMatrix c = FloatMatrix.allocate(m.rows(), m.cols());
        c.copyFrom(m);
        return c;
    }

    @Setup(Level.Iteration)
    public void resetWeights() {
        parameter("A").copyFrom(initialA);
        parameter("B").copyFrom(initialB);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Reverse order of creation; each may be null if setUp failed half-way.
        if (initialB != null) initialB.close();
        if (initialA != null) initialA.close();
        if (trainer != null) trainer.close();
        if (network != null) network.close();
        if (data != null) data.close();
        if (kernels != null) kernels.close();
    }

    /** forward fixed point, adjoint fixed point, gradients, A, B −= η∇; returns the loss before the update. */
    @Benchmark
    public double step() {
        return trainer.step();
    }
}
