package widenet.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor-side cache of {@link PartitionWorker}s, one per (run, partition): a partition's off-heap matrices are
 * built the first time a step runs it on this executor and reused by every later step. If Spark moves a partition
 * (lost executor), the new executor rebuilds it from the cached or recomputed {@link RowBlock}.
 */
final class PartitionWorkers {
    private static final Map<String, PartitionWorker> WORKERS = new ConcurrentHashMap<>();

    private PartitionWorkers() {
    }

    static PartitionWorker get(WorkerSpec spec, RowBlock block) {
        return WORKERS.computeIfAbsent(key(spec.runId(), block.partition()), k -> new PartitionWorker(spec, block));
    }

    /** Frees the workers of {@code runId} on this JVM. */
    static void release(String runId) {
        String prefix = runId + "/";
        WORKERS.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(prefix)) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    /** How many workers this JVM holds (tests). */
    static int count() {
        return WORKERS.size();
    }

    private static String key(String runId, int partition) {
        return runId + "/" + partition;
    }
}
