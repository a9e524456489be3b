package widenet.spark;

import java.io.Serializable;

/**
 * One partition of the training data as the RDD holds it: rows {@code [first, first + rows)} of X (row-major,
 * rows×d) and of y. The RDD caches it; each executor turns it once into off-heap matrices ({@link PartitionWorker}).
 */
record RowBlock(int partition, int first, int rows, int d, float[] x, float[] y) implements Serializable {}
