package widenet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tree sum is the same float for float whatever order the partitions' results arrive in. */
class PairwiseSumTest {

    private static Partial partial(Random rng, int length) {
        Partial p = new Partial(length);
        for (int k = 0; k < length; k++) {
            // magnitudes over 12 binades, so that a different order of float additions would round differently
            p.gradient[k] = (float) (rng.nextGaussian() * Math.pow(2, rng.nextInt(12)));
        }
        p.halfSquaredResiduals = rng.nextDouble();
        p.patternChanges = rng.nextInt(100);
        p.partitionsWithInitialPatterns = 1;
        return p;
    }

    private static Partial copy(Partial p) {
        Partial c = new Partial(p.gradient.length);
        System.arraycopy(p.gradient, 0, c.gradient, 0, p.gradient.length);
        c.halfSquaredResiduals = p.halfSquaredResiduals;
        c.patternChanges = p.patternChanges;
        c.partitionsWithInitialPatterns = p.partitionsWithInitialPatterns;
        return c;
    }

    /** ((p0 + p1) + (p2 + p3)) + … : the tree in index order, computed directly. */
    private static Partial treeSum(List<Partial> parts, int from, int to) {
        if (to - from == 1) {
            return copy(parts.get(from));
        }
        int span = Integer.highestOneBit(to - from - 1); // the left subtree is a full power of two
        Partial left = treeSum(parts, from, from + span);
        left.add(treeSum(parts, from + span, to));
        return left;
    }

    @Test
    void everyArrivalOrderGivesTheTreeSumBitForBit() {
        Random rng = new Random(7);
        for (int partitions = 1; partitions <= 7; partitions++) {
            List<Partial> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                parts.add(partial(rng, 33));
            }
            Partial expected = treeSum(parts, 0, partitions);
            for (int trial = 0; trial < 20; trial++) {
                List<Integer> order = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    order.add(p);
                }
                Collections.shuffle(order, rng);
                // as Spark does it: one sum per task (zero + leaf), merged into the job's zero in arrival order
                PairwiseSum job = new PairwiseSum(partitions);
                for (int p : order) {
                    job.merge(new PairwiseSum(partitions).leaf(p, copy(parts.get(p))));
                }
                Partial total = job.total();
                assertArrayEquals(expected.gradient, total.gradient, "P = " + partitions + ", order " + order);
                assertEquals(expected.halfSquaredResiduals, total.halfSquaredResiduals);
                assertEquals(expected.patternChanges, total.patternChanges);
                assertEquals(partitions, total.partitionsWithInitialPatterns);
            }
        }
    }

    @Test
    void onePartitionIsPassedThroughUntouched() {
        Partial p = partial(new Random(1), 5);
        assertEquals(p, new PairwiseSum(1).merge(new PairwiseSum(1).leaf(0, p)).total());
    }

    @Test
    void missingOrRepeatedPartitionsAreErrors() {
        Random rng = new Random(3);
        PairwiseSum sum = new PairwiseSum(3).leaf(0, partial(rng, 4)).leaf(2, partial(rng, 4));
        assertThrows(IllegalStateException.class, sum::total);
        assertThrows(IllegalStateException.class, () -> sum.leaf(2, partial(rng, 4)));
        assertThrows(IllegalArgumentException.class, () -> sum.leaf(3, partial(rng, 4)));
    }
}
