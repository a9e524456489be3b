package widenet.spark;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.ShutdownHookManager;
import scala.runtime.BoxedUnit;
import widenet.kernel.Kernels;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The driver's side of data-parallel full-batch GD for the two-layer network. The weights live here, in
 * {@code local} (the trainer updates them as usual); each {@link #forward} broadcasts them, every partition computes
 * its part of the loss and gradient ({@link PartitionWorker}), {@code treeAggregate} sums the parts along a fixed
 * tree ({@link PairwiseSum}) and the sums land in {@code local}'s gradient buffers, so {@link #backward} has nothing
 * left to do. With the mean loss the partitions compute sums and the driver applies the factor 1/n.
 */
final class SparkTwoLayerNetwork implements Network {
    private final Kernels kernels;
    private final TwoLayerNetwork local;
    private final JavaSparkContext spark;
    private final JavaRDD<RowBlock> blocks;
    private final WorkerSpec spec;
    private final int n;
    private final int depth;
    private final float lossFactor;
    private final FloatMatrix w, a, gradW, gradA;
    private final Weights packedWeights;
    private boolean markPending;
    private boolean forwarded;
    private double patternChange = Double.NaN;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object shutdownHook;

    SparkTwoLayerNetwork(
            Kernels kernels,
            TwoLayerNetwork local,
            JavaSparkContext spark,
            JavaRDD<RowBlock> blocks,
            WorkerSpec spec,
            int n,
            int depth) {
        this.kernels = kernels;
        this.local = local;
        this.spark = spark;
        this.blocks = blocks;
        this.spec = spec;
        this.n = n;
        this.depth = depth;
        this.lossFactor = local.config().loss().factor(n);
        Parameter pw = local.parameters().get(0);
        Parameter pa = local.parameters().get(1);
        this.w = pw.value();
        this.gradW = pw.gradient();
        this.a = pa.value();
        this.gradA = pa.gradient();
        this.packedWeights = new Weights(spec.weightLength());
        // On SIGINT/SIGTERM Spark's own shutdown hooks stop the executors and the SparkContext, which would fail the
        // step in flight before widenet's graceful stop (finish the step, checkpoint) is done. A Spark hook that runs
        // before theirs (higher priority first; theirs are at most the default) waits for this network to be closed,
        // i.e. for the run to have stopped cleanly.
        this.shutdownHook =
                ShutdownHookManager.addShutdownHook(ShutdownHookManager.DEFAULT_SHUTDOWN_PRIORITY() + 10, () -> {
                    try {
                        closed.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return BoxedUnit.UNIT;
                });
    }

    /** How long a shutdown waits for the run to stop before Spark stops anyway (Hadoop's hook timeout is 30 s). */
    private static final long SHUTDOWN_WAIT_SECONDS = 25;

    /** The number of partitions the rows of X are split into. */
    int partitions() {
        return spec.partitions();
    }

    String sparkVersion() {
        return spark.version();
    }

    int defaultParallelism() {
        return spark.defaultParallelism();
    }

    @Override
    public double forward(FloatMatrix x, FloatMatrix y) {
        if (x.rows() != n || y.rows() != n) {
            throw new IllegalArgumentException("data-parallel forward: the partitions hold all n = " + n
                    + " samples; a batch of " + x.rows() + " rows cannot be evaluated here");
        }
        int md = spec.width() * spec.inputDim();
        Packed.pack(w, packedWeights.values, 0);
        Packed.pack(a, packedWeights.values, md);
        Broadcast<Weights> weights = spark.broadcast(packedWeights);
        Partial total;
        try {
            total = blocks.treeAggregate(
                            new PairwiseSum(spec.partitions()),
                            partitionStep(spec, weights, markPending),
                            PairwiseSum::merge,
                            depth)
                    .total();
        } finally {
            weights.destroy();
        }
        markPending = false;
        forwarded = true;
        Packed.unpack(total.gradient, 0, gradW);
        if (spec.trainOutputLayer()) {
            Packed.unpack(total.gradient, md, gradA);
        }
        if (lossFactor != 1f) {
            kernels.scale(lossFactor, gradW);
            if (spec.trainOutputLayer()) {
                kernels.scale(lossFactor, gradA);
            }
        }
        patternChange = total.partitionsWithInitialPatterns == spec.partitions()
                ? (double) total.patternChanges / ((double) n * spec.width())
                : Double.NaN;
        return total.halfSquaredResiduals * lossFactor;
    }

    /** The per-partition step as a serializable function that captures nothing of the driver but its arguments. */
    private static Function2<PairwiseSum, RowBlock, PairwiseSum> partitionStep(
            WorkerSpec spec, Broadcast<Weights> weights, boolean markInitial) {
        return (sum, block) -> sum.leaf(
                block.partition(), PartitionWorkers.get(spec, block).compute(weights.value().values, markInitial));
    }

    /** The gradient was summed with the loss in {@link #forward}. */
    @Override
    public void backward() {
        if (!forwarded) {
            throw new IllegalStateException("backward before forward");
        }
    }

    @Override
    public FloatMatrix predictions() {
        throw new UnsupportedOperationException("data-parallel training keeps the predictions u on the executors");
    }

    @Override
    public void markInitialState() {
        local.markInitialState(); // W(0), a(0) for the distances
        markPending = true; // the partitions take their last patterns as S(0) at the next step
        if (forwarded) {
            patternChange = 0; // S(k) of the last forward pass is S(0) now
        }
    }

    @Override
    public void measure(double[] values) {
        local.measure(values); // w_dist_fro, w_dist_max_row, a_dist from the driver's weights
        values[local.metricNames().indexOf("pattern_change")] = patternChange;
    }

    @Override
    public String kind() {
        return local.kind();
    }

    @Override
    public int inputDim() {
        return local.inputDim();
    }

    @Override
    public int outputDim() {
        return local.outputDim();
    }

    @Override
    public int capacity() {
        return n;
    }

    @Override
    public List<Parameter> parameters() {
        return local.parameters();
    }

    @Override
    public List<String> metricNames() {
        return local.metricNames();
    }

    /** Frees the partitions' workers on the executors, stops Spark, then frees the driver's network. */
    @Override
    public void close() {
        try {
            String runId = spec.runId();
            blocks.foreachPartition(rows -> PartitionWorkers.release(runId));
        } catch (Exception e) { // SparkException too
            // A lost cluster cannot free its workers; their executors end with the application below.
        } finally {
            PartitionWorkers.release(spec.runId()); // local mode: the executors are this JVM
            try {
                ShutdownHookManager.removeShutdownHook(shutdownHook);
                spark.stop();
            } finally {
                local.close();
                closed.countDown();
            }
        }
    }
}
