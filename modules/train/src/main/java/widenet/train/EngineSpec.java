package widenet.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import widenet.kernel.Kernels;
import widenet.model.Network;

/**
 * Where a run's gradients are computed: {@link Local} (this process, the kernels' threads) or {@link DataParallel}
 * (full-batch GD whose forward and backward passes run on the partitions of X on a distributed engine, e.g. Spark,
 * found at run time through {@link DataParallelEngine#named}; the update stays in this process).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EngineSpec.Local.class, name = "local"),
    @JsonSubTypes.Type(value = EngineSpec.DataParallel.class, name = "data-parallel")
})
public sealed interface EngineSpec {
    Local LOCAL = new Local();

    /** Checks the engine against the model and the theory setting. */
    void validate(ModelSpec model, RunSpec.Theory theory);

    /**
     * The network the trainer updates and run.json's {@code settings.data_parallel} entry: {@code local} itself, or
     * the engine's network around it (which then owns it).
     */
    Distributed distribute(Kernels kernels, Network local, Dataset data, RunSpec.Compute compute);

    /** The largest batch the local network evaluates for n samples. */
    int capacity(int n);

    /** A network as {@link #distribute} returned it, and what the engine chose (for run.json). */
    record Distributed(Network network, Map<String, Object> description) {}

    /** This process. */
    record Local() implements EngineSpec {
        @Override
        public void validate(ModelSpec model, RunSpec.Theory theory) {}

        @Override
        public Distributed distribute(Kernels kernels, Network local, Dataset data, RunSpec.Compute compute) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("engine", "none");
            return new Distributed(local, m);
        }

        @Override
        public int capacity(int n) {
            return n;
        }
    }

    /**
     * {@code engine} (e.g. {@code spark}) with its master URL and partition count (null: the engine's parallelism);
     * each partition computes with the run's kernels and threads (1 when the run gives no thread count).
     */
    record DataParallel(String engine, String master, Integer partitions) implements EngineSpec {
        public static final String SPARK = "spark";

        public DataParallel {
            engine = engine == null ? SPARK : engine;
            master = master == null ? "local[*]" : master;
        }

        @Override
        public void validate(ModelSpec model, RunSpec.Theory theory) {
            if (!engine.equals(SPARK)) {
                throw new InputException("unknown --data-parallel '" + engine + "'; available: none, " + SPARK);
            }
            if (!(model instanceof ModelSpec.TwoLayer)) {
                throw new InputException(
                        "--data-parallel " + engine + " trains --model two-layer, not " + model.kind());
            }
            if (partitions != null && partitions < 1) {
                throw new InputException("--partitions must be at least 1, got " + partitions);
            }
            if (master.isBlank()) {
                throw new InputException(
                        "--master must name a Spark master (local[N], spark://host:port, yarn), got ''");
            }
            if (theory.mode().equals("on")) {
                throw new InputException(
                        "--theory on needs the whole data set in one process; with --data-parallel use --theory off");
            }
        }

        /** Data-parallel GD is full-batch GD: {@code batch} must be all n samples. */
        void requireFullBatch(int batch, int n) {
            if (batch != n) {
                throw new InputException("--data-parallel " + engine + " runs full-batch GD; --batch " + batch
                        + " is not the n = " + n + " samples (drop --batch)");
            }
        }

        @Override
        public Distributed distribute(Kernels kernels, Network local, Dataset data, RunSpec.Compute compute) {
            if (partitions != null && partitions > data.n()) {
                throw new InputException(
                        "--partitions " + partitions + " is more than the n = " + data.n() + " samples");
            }
            var settings = new DataParallelEngine.Settings(
                    master,
                    partitions == null ? 0 : partitions,
                    compute.kernels(),
                    compute.threads() == null ? 1 : compute.threads());
            DataParallelEngine used = DataParallelEngine.named(engine);
            Network distributed = used.distribute(kernels, local, data, settings);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("engine", engine);
            m.put("master", master);
            m.put("partitions", partitions);
            m.putAll(used.describe(distributed));
            return new Distributed(distributed, m);
        }

        /** The forward passes run on the partitions: the driver's network holds the weights and gradients only. */
        @Override
        public int capacity(int n) {
            return 1;
        }
    }
}
