package widenet.bench;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;
import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
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
 * <p>A and B are reset to their initial values before every iteration ({@link StepBenchmark}), so every iteration
 * times the start of the same trajectory (warm starts included: the first step after a reset starts from the
 * equilibrium of the previous iteration's last weights, a little farther away).
 */
// A step at n = 1000, m = 2000 takes ≈ 1–4 s: 8-second iterations give a few steps each.
@Warmup(iterations = 2, time = 8)
@Measurement(iterations = 4, time = 8)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--add-modules=jdk.incubator.vector",
            "-Xms1g",
            "-Xmx1g",
            "--sun-misc-unsafe-memory-access=allow"
        })
public class ImplicitStepBenchmark extends StepBenchmark {
    private static final double LEARNING_RATE = 0.02;
    private static final double GAMMA = 0.2;

    @Param({"n1000_d100_m2000"})
    public String size;

    private StepSize s;

    public ImplicitStepBenchmark() {
        super(20220125L, LEARNING_RATE);
    }

    @Override
    protected Dataset createData(SplittableRandom rng) {
        s = StepSize.parse(size, "n1000_d100_m2000");
        return Dataset.unitSphere(s.n(), s.d(), rng);
    }

    @Override
    protected Network createNetwork(Kernels kernels, Dataset data, SplittableRandom rng) {
        var config = new ImplicitNetwork.Config(
                s.d(),
                s.m(),
                s.n(),
                GAMMA,
                false,
                false,
                1.0,
                LossKind.SUM,
                Set.of("u"),
                ImplicitNetwork.Solver.DEFAULT,
                false,
                1);
        return new ImplicitNetwork(kernels, config, rng);
    }

    /** A and B; u is frozen. */
    @Override
    protected List<FloatMatrix> trainedWeights(Network network) {
        return network.parameters().stream()
                .filter(p -> p.name().equals("A") || p.name().equals("W"))
                .map(Parameter::value)
                .toList();
    }
}
