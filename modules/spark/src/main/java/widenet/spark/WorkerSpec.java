package widenet.spark;

import java.io.Serializable;

/**
 * What an executor needs to build a partition's worker: the run it belongs to (so that two runs in one JVM never
 * share state), the number of partitions, the network's shape and options, and the kernels it computes with.
 */
record WorkerSpec(
        String runId,
        int partitions,
        int inputDim,
        int width,
        boolean trainOutputLayer,
        boolean reluGradAtZero,
        String kernels,
        int threads)
        implements Serializable {

    /** Length of a packed weight vector: W (m×d, row-major), then a (m). */
    int weightLength() {
        return width * inputDim + width;
    }

    /** Length of a packed gradient: ∂L/∂W, then ∂L/∂a when a is trained. */
    int gradientLength() {
        return width * inputDim + (trainOutputLayer ? width : 0);
    }
}
