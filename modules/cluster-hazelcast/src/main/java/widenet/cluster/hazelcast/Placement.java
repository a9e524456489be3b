package widenet.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where the next cell goes: to the member with the most free cell threads, as a durable task keyed to a partition
 * that member owns. The durable executor alone places a task on a random partition, so cells would queue behind
 * each other on one member while another idles; here no member gets more cells than it has threads, and a sweep
 * keeps every member busy as long as chains are waiting. A cell whose member dies stays keyed to its partition,
 * whose backup takes over and runs it.
 */
final class Placement {
    private final HazelcastInstance hz;
    private final Map<UUID, Integer> inFlight = new HashMap<>();
    /** A key of each partition (index = partition id), found once. */
    private final String[] partitionKeys;
    /** Spreads a member's cells over its partitions (and so their backups over the other members). */
    private int turn;

    Placement(HazelcastInstance hz) {
        this.hz = hz;
        int count = hz.getPartitionService().getPartitions().size();
        partitionKeys = new String[count];
        int found = 0;
        for (long i = 0; found < count; i++) {
            String key = "cell-" + i;
            int id = hz.getPartitionService().getPartition(key).getPartitionId();
            if (partitionKeys[id] == null) {
                partitionKeys[id] = key;
                found++;
            }
        }
    }

    /** A slot on a member: the key to submit to, and whom to release. */
    record Slot(UUID member, String key) {}

    /** How long a sweep waits when no member trains cells (all left or died) before it gives up. */
    static final long ALONE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);

    /**
     * Takes a free slot, waiting for one; the caller must {@link #release} it.
     *
     * @throws widenet.train.InputException when no member has trained cells for {@link #ALONE_NANOS}
     */
    synchronized Slot acquire() throws InterruptedException {
        long aloneSince = -1;
        while (true) {
            Member best = null;
            int bestFree = 0;
            int dataMembers = 0;
            for (Member m : hz.getCluster().getMembers()) {
                if (m.isLiteMember()) {
                    continue;
                }
                dataMembers++;
                int free = threads(m) - inFlight.getOrDefault(m.getUuid(), 0);
                if (free > bestFree) {
                    best = m;
                    bestFree = free;
                }
            }
            String key = best == null ? null : keyOwnedBy(best);
            if (key != null) {
                inFlight.merge(best.getUuid(), 1, Integer::sum);
                return new Slot(best.getUuid(), key);
            }
            if (dataMembers > 0) {
                aloneSince = -1;
            } else if (aloneSince < 0) {
                aloneSince = System.nanoTime();
            } else if (System.nanoTime() - aloneSince > ALONE_NANOS) {
                throw new widenet.train.InputException(
                        "hazelcast: no member of the cluster trains cells (every worker left) for "
                                + ALONE_NANOS / 1_000_000_000
                                + " s; start a worker or resume the sweep later with the same --out");
            }
            wait(200); // released slots notify; members joining or partitions migrating are seen on the next look
        }
    }

    synchronized void release(Slot slot) {
        inFlight.computeIfPresent(slot.member(), (k, v) -> v > 1 ? v - 1 : null);
        notifyAll();
    }

    private static int threads(Member m) {
        String a = m.getAttribute(MemberConfigs.CELL_THREADS);
        try {
            return a == null ? 1 : Math.max(1, Integer.parseInt(a));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private String keyOwnedBy(Member m) {
        java.util.List<Integer> owned = new java.util.ArrayList<>();
        for (Partition p : hz.getPartitionService().getPartitions()) {
            if (m.equals(p.getOwner())) {
                owned.add(p.getPartitionId());
            }
        }
        // none: the member has just joined and owns no partition yet
        return owned.isEmpty() ? null : partitionKeys[owned.get(Math.floorMod(turn++, owned.size()))];
    }
}
