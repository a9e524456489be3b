package widenet.bench;

import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Param;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
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
 * <p>W is reset to W(0) before every iteration ({@link StepBenchmark}); a step takes ≈ 0.2–0.5 s at
 * n = d = 1000, m = 4000.
 */
public class GdStepBenchmark extends StepBenchmark {
    private static final double LEARNING_RATE = 0.1;

    @Param({"n1000_d1000_m4000", "n4096_d64_m256"})
    public String size;

    private StepSize s;

    public GdStepBenchmark() {
        super(20190101L, LEARNING_RATE);
    }

    @Override
    protected Dataset createData(SplittableRandom rng) {
        s = StepSize.parse(size, "n1000_d1000_m4000");
        return Dataset.unitSphere(s.n(), s.d(), rng);
    }

    @Override
    protected Network createNetwork(Kernels kernels, Dataset data, SplittableRandom rng) {
        return new TwoLayerNetwork(
                kernels, new TwoLayerNetwork.Config(s.d(), s.m(), s.n(), 1.0, false, LossKind.SUM, true), rng);
    }

    /** W; a is fixed. */
    @Override
    protected List<FloatMatrix> trainedWeights(Network network) {
        return List.of(((TwoLayerNetwork) network).weights());
    }
}
