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

    private PartitionWorkers() {}

    static PartitionWorker get(WorkerSpec spec, RowBlock block) {
        return WORKERS.computeIfAbsent(key(spec.runId(), block.partition()), k -> new PartitionWorker(spec, block));
    }

    /**
     * Frees the workers of {@code runId} on this JVM. Safe to call concurrently: in local mode every partition's
     * release task runs in this JVM at once, and each worker must be closed by exactly one of them.
     */
    static void release(String runId) {
        String prefix = runId + "/";
        for (String key : WORKERS.keySet()) {
            if (key.startsWith(prefix)) {
                PartitionWorker w = WORKERS.remove(key); // null when another release took it first
                if (w != null) {
                    w.close();
                }
            }
        }
    }

    /** How many workers this JVM holds (tests). */
    static int count() {
        return WORKERS.size();
    }

    private static String key(String runId, int partition) {
        return runId + "/" + partition;
    }
}
