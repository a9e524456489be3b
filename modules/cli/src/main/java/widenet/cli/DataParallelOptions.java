package widenet.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import widenet.kernel.Kernels;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.train.DataParallelEngine;
import widenet.train.Dataset;
import widenet.train.InputException;

/**
 * {@code widenet train --data-parallel spark --master URL [--partitions P]}: full-batch GD whose forward and
 * backward passes run on the partitions of X on a distributed engine, the update on this process. The engine is
 * an adapter outside the module graph, found at run time ({@link DataParallelEngine#named}); bin/widenet starts
 * the JVM on the class path that has it.
 */
final class DataParallelOptions {
    static final String NONE = "none";
    static final String SPARK = "spark";

    @Option(names = "--data-parallel", paramLabel = "ENGINE",
            description = "Compute full-batch gradients data-parallel on an engine: none or spark (default: ${DEFAULT-VALUE}).",
            defaultValue = NONE)
    String engine = NONE;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --data-parallel spark: the Spark master, local[N], spark://host:port or yarn (default: ${DEFAULT-VALUE}).",
            defaultValue = "local[*]")
    String master = "local[*]";

    @Option(names = "--partitions", paramLabel = "P",
            description = "With --data-parallel: split the rows of X into P partitions (default: the engine's parallelism).")
    Integer partitions;

    boolean enabled() {
        return !engine.equals(NONE);
    }

    /** Checks the options against the run's model and theory setting; {@code given} says which options were typed. */
    void validate(String model, String theory, java.util.function.Predicate<String> given) {
        if (!engine.equals(NONE) && !engine.equals(SPARK)) {
            throw new InputException("unknown --data-parallel '" + engine + "'; available: " + NONE + ", " + SPARK);
        }
        if (!enabled()) {
            for (String o : new String[] {"--master", "--partitions"}) {
                if (given.test(o)) {
                    throw new InputException(o + " applies only with --data-parallel " + SPARK);
                }
            }
            return;
        }
        if (!model.equals(TwoLayerNetwork.KIND)) {
            throw new InputException("--data-parallel " + engine + " trains --model two-layer, not " + model);
        }
        if (partitions != null && partitions < 1) {
            throw new InputException("--partitions must be at least 1, got " + partitions);
        }
        if (master.isBlank()) {
            throw new InputException("--master must name a Spark master (local[N], spark://host:port, yarn), got ''");
        }
        if (theory.equals("on")) {
            throw new InputException("--theory on needs the whole data set in one process; with --data-parallel use --theory off");
        }
    }

    /** Data-parallel GD is full-batch GD: {@code batch} must be all n samples. */
    void requireFullBatch(int batch, int n) {
        if (enabled() && batch != n) {
            throw new InputException("--data-parallel " + engine + " runs full-batch GD; --batch " + batch
                    + " is not the n = " + n + " samples (drop --batch)");
        }
    }

    /** {@code local} itself, or the engine's data-parallel network around it (which then owns it). */
    Network distribute(Kernels kernels, Network local, Dataset data, String kernelProvider, Integer threads) {
        if (!enabled()) {
            return local;
        }
        if (partitions != null && partitions > data.n()) {
            throw new InputException("--partitions " + partitions + " is more than the n = " + data.n() + " samples");
        }
        var settings = new DataParallelEngine.Settings(master, partitions == null ? 0 : partitions, kernelProvider,
                threads == null ? 1 : threads);
        used = DataParallelEngine.named(engine);
        distributed = used.distribute(kernels, local, data, settings);
        return distributed;
    }

    /** The engine and the network it returned, once {@link #distribute} ran (for run.json). */
    private DataParallelEngine used;
    private Network distributed;

    /** The run.json entry. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engine);
        if (enabled()) {
            m.put("master", master);
            m.put("partitions", partitions);
            if (used != null) {
                m.putAll(used.describe(distributed));
            }
        }
        return m;
    }
}
