package widenet.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.durableexecutor.DurableExecutorService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import widenet.sweep.Cell;
import widenet.sweep.CellResult;
import widenet.sweep.ClusterEngine;
import widenet.sweep.ClusterOptions;
import widenet.sweep.SweepSettings;
import widenet.train.InputException;

/**
 * Trains a sweep's cells on a Hazelcast cluster. This process is itself a member: a full member that trains
 * {@code cellThreads} cells at once beside the workers (so one command on one machine is a working cluster), or,
 * with {@code cellThreads = 0}, a lite member that only submits. Each cell is a task on a durable executor, sent
 * to the member with the most free cell threads ({@link Placement}) and stored on its partition's owner and on one
 * backup, so when the owner dies mid-cell the backup, now the owner, runs the cell again, and the waiting future here gets that run's result. Cells are deterministic, so the numbers are the
 * same whichever member trained them.
 */
public final class HazelcastCellExecutor implements ClusterEngine.Submitter {
    private final HazelcastInstance member;
    private final DurableExecutorService cells;
    private final Placement placement;
    /** Per cell: round trip here minus the cell's own training time (ns), i.e. what going through the cluster costs. */
    private final List<Long> overheads = new ArrayList<>();

    private HazelcastCellExecutor(HazelcastInstance member) {
        this.member = member;
        this.cells = member.getDurableExecutorService(MemberConfigs.EXECUTOR);
        this.placement = new Placement(member);
    }

    /** Joins (or founds) the cluster; {@code cellThreads} cells run on this member at once, none when 0. */
    public static HazelcastCellExecutor start(ClusterOptions options, int cellThreads) {
        if (cellThreads < 0) {
            throw new InputException("cells run on the submitting member must be ≥ 0, got " + cellThreads);
        }
        return new HazelcastCellExecutor(Members.start(MemberConfigs.member(options, cellThreads)));
    }

    /**
     * Waits until at least {@code count} members that train cells are in the cluster.
     *
     * @throws InputException when they are not there within {@code timeout}
     */
    public void awaitDataMembers(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (Members.dataMembers(member) < count) {
            if (System.nanoTime() > end) {
                throw new InputException("hazelcast: " + Members.dataMembers(member)
                        + " member(s) that train cells after "
                        + timeout.toSeconds() + " s, need " + count + " (" + describe() + "); start workers with "
                        + "'widenet worker --cluster hazelcast' and the same --members and --cluster-name");
            }
            Thread.sleep(100);
        }
    }

    /** Members that train cells now. */
    public int dataMembers() {
        return Members.dataMembers(member);
    }

    /** The cluster's name and members, for the log. */
    public String describe() {
        return Members.describe(member);
    }

    @Override
    public CellResult run(SweepSettings settings, Cell cell) {
        Placement.Slot slot = null;
        try {
            slot = placement.acquire();
            long t0 = System.nanoTime();
            Future<CellOutcome> future = cells.submitToKeyOwner(new CellTask(settings, cell), slot.key());
            CellResult r = future.get().result();
            long overhead = System.nanoTime() - t0 - Math.round(r.seconds() * 1e9);
            synchronized (overheads) {
                overheads.add(overhead);
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("sweep interrupted while cell " + cell.dirName() + " ran on the cluster");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof InputException) {
                throw new InputException("cell " + cell.dirName() + " on a cluster member: " + c.getMessage());
            }
            throw new IllegalStateException("cell " + cell.dirName() + " failed on the cluster: " + c, c);
        } finally {
            if (slot != null) {
                placement.release(slot);
            }
        }
    }

    /** The median per-cell overhead so far (round trip minus training time), in milliseconds; NaN before any cell. */
    public double medianOverheadMillis() {
        long[] v;
        synchronized (overheads) {
            v = overheads.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return v.length == 0
                ? Double.NaN
                : (v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0) / 1e6;
    }

    String instanceName() {
        return member.getName();
    }

    /** Leaves the cluster gracefully. */
    @Override
    public void close() {
        String name = member.getName();
        member.shutdown();
        MemberCells.forget(name);
    }
}
