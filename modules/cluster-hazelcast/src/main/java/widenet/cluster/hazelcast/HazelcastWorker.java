package widenet.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import widenet.sweep.CellResult;
import widenet.sweep.ClusterEngine;
import widenet.sweep.ClusterOptions;

/**
 * A member that only trains sweep cells, {@code cellThreads} at once, until it is stopped: {@link #close()}, or
 * SIGINT/SIGTERM, on which Hazelcast's shutdown hook leaves the cluster gracefully (its partitions, with their
 * stored cell tasks, move to the other members; a cell cut short there runs again on its new owner).
 */
public final class HazelcastWorker implements ClusterEngine.Worker {
    private final HazelcastInstance member;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private HazelcastWorker(HazelcastInstance member) {
        this.member = member;
        member.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                stopped.countDown();
            }
        });
        if (!member.getLifecycleService().isRunning()) {
            stopped.countDown();
        }
    }

    /** Joins (or founds) the cluster; {@code onCell} hears of every cell this member finishes (from its threads). */
    public static HazelcastWorker start(ClusterOptions options, int cellThreads, Consumer<CellResult> onCell) {
        if (cellThreads < 1) {
            throw new widenet.train.InputException("--threads must be at least 1, got " + cellThreads);
        }
        HazelcastInstance hz = Members.start(MemberConfigs.member(options, cellThreads));
        MemberCells.of(hz.getName()).listen(onCell);
        return new HazelcastWorker(hz);
    }

    /** The cluster's name and members, for the log. */
    public String describe() {
        return Members.describe(member);
    }

    /** Cells this member has finished. */
    public int cellsFinished() {
        return MemberCells.of(member.getName()).finished();
    }

    /** Cells this member trains now. */
    public int cellsRunning() {
        return MemberCells.of(member.getName()).running();
    }

    /** Stops the member abruptly, as a crash would: no migration, its cells' tasks run again elsewhere (tests). */
    void crash() {
        member.getLifecycleService().terminate();
    }

    String instanceName() {
        return member.getName();
    }

    /** Blocks until the member has left the cluster. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Leaves the cluster gracefully. */
    @Override
    public void close() {
        member.shutdown();
    }
}
