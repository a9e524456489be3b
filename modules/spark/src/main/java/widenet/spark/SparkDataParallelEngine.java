package widenet.spark;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import widenet.kernel.Kernels;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.train.DataParallelEngine;
import widenet.train.Dataset;
import widenet.train.InputException;

/**
 * {@code --data-parallel spark}: an embedded Spark driver in this process (master {@code local[N]},
 * {@code spark://host:port} or {@code yarn}). The rows of X are split into P contiguous blocks, one per partition,
 * cached on the executors; see {@link SparkTwoLayerNetwork} for a step. Spark's settings can be given as
 * {@code -Dspark.…=…} system properties (e.g. through {@code WIDENET_JAVA_OPTS}); the ones set here are defaults.
 */
public final class SparkDataParallelEngine implements DataParallelEngine {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Network distribute(Kernels kernels, Network local, Dataset data, Settings settings) {
        if (!(local instanceof TwoLayerNetwork net)) {
            throw new IllegalArgumentException(
                    "--data-parallel spark trains the two-layer network, not " + local.kind());
        }
        JavaSparkContext spark;
        try {
            spark = new JavaSparkContext(conf(settings.master()));
        } catch (Exception e) { // e.g. SparkException "Could not parse Master URL" (yarn needs spark-yarn on the class
            // path)
            throw new InputException("--master " + settings.master() + ": Spark cannot start: " + e.getMessage(), e);
        }
        try {
            int parts = settings.partitions() > 0 ? settings.partitions() : spark.defaultParallelism();
            parts = Math.min(parts, data.n());
            var spec = new WorkerSpec(
                    UUID.randomUUID().toString(),
                    parts,
                    data.d(),
                    net.config().width(),
                    net.config().trainOutputLayer(),
                    net.config().reluGradAtZero(),
                    settings.kernels(),
                    settings.threadsPerPartition());
            // Cached once on the executors. A parallelized partition carries its rows inside every task that reads
            // it; the local checkpoint replaces it by a reference to the cached block, so a step's task is small.
            // The price: a lost executor loses its rows and the step fails (resume the run with --resume).
            JavaRDD<RowBlock> blocks =
                    spark.parallelize(split(data, parts), parts).persist(StorageLevel.MEMORY_ONLY());
            blocks.rdd().localCheckpoint();
            blocks.count();
            // treeAggregate's depth: two levels (executors pre-sum groups of partitions) once there are many.
            int depth = parts > 8 ? 2 : 1;
            return new SparkTwoLayerNetwork(kernels, net, spark, blocks, spec, data.n(), depth);
        } catch (RuntimeException e) {
            spark.stop();
            throw e;
        }
    }

    @Override
    public Map<String, Object> describe(Network distributed) {
        if (!(distributed instanceof SparkTwoLayerNetwork s)) {
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partitions_used", s.partitions());
        m.put("spark_version", s.sparkVersion());
        m.put("default_parallelism", s.defaultParallelism());
        return m;
    }

    /**
     * Spark's settings: the master, no web UI, a loopback driver in local mode; on a cluster, widenet's jars for the
     * executors (the Spark jars are the cluster's) and the Vector API module for their JVMs.
     */
    static SparkConf conf(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("widenet train");
        conf.setIfMissing("spark.ui.enabled", "false");
        // A partition's gradient (m·d floats, 16 MB at m = 4000, d = 1000) goes back in the task's status message
        // rather than through the block manager (default above 1 MB); Spark caps this at spark.rpc.message.maxSize.
        conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
        // The only large broadcasts are the weights, random floats that LZ4 cannot shrink: skip the compression.
        conf.setIfMissing("spark.broadcast.compress", "false");
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else {
            List<String> jars = widenetJars();
            if (!jars.isEmpty()) {
                conf.setIfMissing("spark.jars", String.join(",", jars));
            }
            conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        }
        return conf;
    }

    /** The widenet jars (and class folders) on this JVM's class path: what executors need besides Spark. */
    private static List<String> widenetJars() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName() == null
                    ? ""
                    : Path.of(entry).getFileName().toString();
            if (name.startsWith("widenet-") && name.endsWith(".jar")) {
                out.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        return out;
    }

    /** Rows [⌊p·n/P⌋, ⌊(p+1)·n/P⌋) of X and y as partition p's block. */
    static List<RowBlock> split(Dataset data, int parts) {
        int n = data.n();
        int d = data.d();
        List<RowBlock> blocks = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int first = (int) ((long) p * n / parts);
            int end = (int) ((long) (p + 1) * n / parts);
            FloatMatrix xs = data.x().rows(first, end);
            FloatMatrix ys = data.y().rows(first, end);
            float[] x = new float[(end - first) * d];
            float[] y = new float[end - first];
            Packed.pack(xs, x, 0);
            Packed.pack(ys, y, 0);
            blocks.add(new RowBlock(p, first, end - first, d, x, y));
        }
        return blocks;
    }
}
