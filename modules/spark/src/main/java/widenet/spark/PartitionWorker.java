package widenet.spark;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * A partition's rows X_p, y_p on an executor, with a two-layer network of capacity |p| as workspace, built once and
 * kept for every step. {@link #compute} loads the broadcast weights, runs the SIMD forward and backward passes on
 * X_p with the sum loss ½Σ_{i∈p} rᵢ² (the full-batch loss and gradient are the sums over partitions) and writes
 * them into a result buffer that is reused too: after the first step it allocates nothing on the heap.
 */
final class PartitionWorker implements AutoCloseable {
    private final WorkerSpec spec;
    private final Kernels kernels;
    private final FloatMatrix x;
    private final FloatMatrix y;
    private final TwoLayerNetwork network;
    private final FloatMatrix w;
    private final FloatMatrix a;
    private final FloatMatrix gradW;
    private final FloatMatrix gradA;
    private final FloatMatrix initialPatterns; // S(0) on X_p
    private boolean forwarded;
    private boolean hasInitialPatterns;
    private final Partial result;
    private final MemorySegment resultSegment;
    private float[] weightArray; // the broadcast value last seen, and a segment over it
    private MemorySegment weightSegment;

    PartitionWorker(WorkerSpec spec, RowBlock block) {
        if (block.d() != spec.inputDim()
                || block.x().length != block.rows() * block.d()
                || block.y().length != block.rows()) {
            throw new IllegalArgumentException("partition " + block.partition() + ": block of " + block.rows()
                    + " rows does not fit d = " + spec.inputDim());
        }
        this.spec = spec;
        this.kernels = KernelProviders.open(spec.kernels(), spec.threads());
        this.x = FloatMatrix.allocate(block.rows(), block.d());
        this.y = FloatMatrix.allocate(block.rows(), 1);
        Packed.unpack(block.x(), 0, x);
        Packed.unpack(block.y(), 0, y);
        // The initial draw is overwritten by the broadcast weights before every forward pass.
        var config = new TwoLayerNetwork.Config(
                spec.inputDim(),
                spec.width(),
                block.rows(),
                1.0,
                spec.trainOutputLayer(),
                LossKind.SUM,
                spec.reluGradAtZero());
        this.network = new TwoLayerNetwork(kernels, config, new SplittableRandom(0));
        Parameter pw = network.parameters().get(0);
        Parameter pa = network.parameters().get(1);
        this.w = pw.value();
        this.gradW = pw.gradient();
        this.a = pa.value();
        this.gradA = pa.gradient();
        this.initialPatterns = FloatMatrix.allocate(block.rows(), spec.width());
        this.result = new Partial(spec.gradientLength());
        this.resultSegment = MemorySegment.ofArray(result.gradient);
    }

    /**
     * Σ_{i∈p} of ½rᵢ² and its gradient at the packed {@code weights} (W, then a). With {@code markInitial} the
     * patterns of the previous call become S(0), before this call's forward pass (the driver marks the initial
     * state after the forward pass at step 0). The returned partial is this worker's own, overwritten by the next call.
     */
    Partial compute(float[] weights, boolean markInitial) {
        if (weights.length != spec.weightLength()) {
            throw new IllegalArgumentException(
                    "broadcast weights: " + weights.length + " values, expected " + spec.weightLength());
        }
        if (markInitial && forwarded) {
            initialPatterns.copyFrom(network.activationMask());
            hasInitialPatterns = true;
        }
        if (weights != weightArray) { // a new broadcast value (local mode reuses the driver's array)
            weightArray = weights;
            weightSegment = MemorySegment.ofArray(weights);
        }
        int md = spec.width() * spec.inputDim();
        Packed.unpack(weightSegment, 0, w);
        Packed.unpack(weightSegment, md, a);
        double halfSquares = network.forward(x, y);
        forwarded = true;
        network.backward();
        Packed.pack(gradW, resultSegment, 0);
        if (spec.trainOutputLayer()) {
            Packed.pack(gradA, resultSegment, md);
        }
        result.halfSquaredResiduals = halfSquares;
        result.patternChanges =
                hasInitialPatterns ? kernels.countDifferent(network.activationMask(), initialPatterns) : 0;
        result.partitionsWithInitialPatterns = hasInitialPatterns ? 1 : 0;
        return result;
    }

    @Override
    public void close() {
        network.close();
        x.close();
        y.close();
        initialPatterns.close();
        kernels.close();
    }
}
