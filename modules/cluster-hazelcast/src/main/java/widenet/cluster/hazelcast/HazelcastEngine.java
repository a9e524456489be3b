package widenet.cluster.hazelcast;

import java.util.function.Consumer;
import widenet.sweep.CellResult;
import widenet.sweep.ClusterEngine;
import widenet.sweep.ClusterOptions;

/** {@code --cluster hazelcast}: the {@link ClusterEngine} the command line finds through {@link java.util.ServiceLoader}. */
public final class HazelcastEngine implements ClusterEngine {
    /** For {@link java.util.ServiceLoader}: the engine holds nothing until it starts a submitter or a worker. */
    public HazelcastEngine() {}

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public Submitter submitter(ClusterOptions options, int cellsHere) {
        return HazelcastCellExecutor.start(options, cellsHere);
    }

    @Override
    public Worker worker(ClusterOptions options, int cells, Consumer<CellResult> onCell) {
        return HazelcastWorker.start(options, cells, onCell);
    }
}
