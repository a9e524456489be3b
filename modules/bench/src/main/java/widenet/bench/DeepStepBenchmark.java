package widenet.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Param;
import widenet.kernel.Activation;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.model.WeightInit;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
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
 * <p>Every parameter is reset to its initial value before each iteration ({@link StepBenchmark}); a
 * 784-1024-1024-1024-1 step at batch 1000 takes ≈ 0.2–0.5 s.
 */
public class DeepStepBenchmark extends StepBenchmark {
    private static final double LEARNING_RATE = 1e-4;

    /** Widths d-n1-…-nL ('-' separated: JMH splits parameter lists on commas). */
    @Param({"784-1024-1024-1024-1", "64-512-64-32-1"})
    public String widths;

    /** Rows of the full batch. 0: 1000 for the 784-wide input, 512 (= n₁) otherwise. */
    @Param({"0"})
    public int batch;

    /** Biases on every layer (PyTorch's nn.Linear has them by default). */
    @Param({"false", "true"})
    public boolean biases;

    private int[] w;
    private int n;

    public DeepStepBenchmark() {
        super(20200101L, LEARNING_RATE);
    }

    @Override
    protected Dataset createData(SplittableRandom rng) {
        try {
            w = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "widths '" + widths + "' is not of the form d-n1-…-nL, e.g. 784-1024-1024-1024-1");
        }
        n = batch > 0 ? batch : w[0] == 784 ? 1000 : w[1];
        return Dataset.unitSphere(n, w[0], w[w.length - 1], rng.split());
    }

    @Override
    protected Network createNetwork(Kernels kernels, Dataset data, SplittableRandom rng) {
        var cfg = new DeepNetwork.Config(
                w, n, Activation.relu(false), List.of(WeightInit.HE), 1.0, biases, LossKind.SUM, Set.of());
        return new DeepNetwork(kernels, cfg, rng.split());
    }

    /** Every W_l (and b_l). */
    @Override
    protected List<FloatMatrix> trainedWeights(Network network) {
        return network.parameters().stream().map(Parameter::value).toList();
    }
}
