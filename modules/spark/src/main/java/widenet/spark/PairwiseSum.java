package widenet.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The sum of the partitions' {@link Partial}s over a fixed binary tree on the partition indices: node (ℓ, i) is the
 * sum of partitions [i·2^ℓ, (i+1)·2^ℓ), made as (left child) + (right child). Spark's {@code treeAggregate} merges
 * task results in the order they arrive; adding along this tree instead makes every float of the result independent
 * of that order (same partitioning ⇒ bit-identical steps), and the pairwise sum's rounding grows like log P, not P.
 * With one partition the total is that partition's partial itself, untouched.
 */
final class PairwiseSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partitions;
    /** Nodes waiting for their sibling, by (level, index). */
    private final Map<Long, Partial> pending = new HashMap<>();

    private Partial total;

    PairwiseSum(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
    }

    /** Adds partition {@code p}'s partial; returns this. */
    PairwiseSum leaf(int p, Partial partial) {
        if (p < 0 || p >= partitions) {
            throw new IllegalArgumentException("partition " + p + " outside [0, " + partitions + ")");
        }
        insert(0, p, partial);
        return this;
    }

    /** Adds every node of {@code other} (which this sum then owns); returns this. */
    PairwiseSum merge(PairwiseSum other) {
        if (other.partitions != partitions) {
            throw new IllegalArgumentException("sums over " + partitions + " and " + other.partitions + " partitions");
        }
        if (other.total != null) {
            insert(level(partitions), 0, other.total);
        }
        for (Map.Entry<Long, Partial> e : other.pending.entrySet()) {
            insert((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue());
        }
        return this;
    }

    /** The sum over all partitions; an {@link IllegalStateException} if some are missing. */
    Partial total() {
        if (total == null) {
            throw new IllegalStateException("sum over " + partitions + " partitions is incomplete: " + pending.size()
                    + " subtree(s) still wait for their siblings");
        }
        return total;
    }

    private void insert(int level, int index, Partial node) {
        while (true) {
            if (index == 0 && (1L << level) >= partitions) { // the root: covers [0, P)
                if (total != null) {
                    throw new IllegalStateException("a partition was added twice");
                }
                total = node;
                return;
            }
            int sibling = index ^ 1;
            if (((long) sibling << level) < partitions) {
                Partial other = pending.remove(key(level, sibling));
                if (other == null) {
                    if (pending.putIfAbsent(key(level, index), node) != null) {
                        throw new IllegalStateException("a partition was added twice");
                    }
                    return;
                }
                Partial left = (index & 1) == 0 ? node : other;
                left.add(left == node ? other : node);
                node = left;
            } // else: no sibling (the last, short subtree), the node moves up unchanged
            level++;
            index >>= 1;
        }
    }

    private static int level(int partitions) {
        int l = 0;
        while ((1L << l) < partitions) {
            l++;
        }
        return l;
    }

    private static long key(int level, int index) {
        return ((long) level << 32) | (index & 0xFFFFFFFFL);
    }
}
