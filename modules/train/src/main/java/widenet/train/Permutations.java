package widenet.train;

import java.util.SplittableRandom;

/**
 * Seeded random orders of n items, for drawing data: which images form a split, which labels are randomised.
 * (SGD's per-epoch order is {@link MiniBatches}': it is a pure function of (seed, epoch), so that a run resumes
 * mid-epoch from two numbers, where this one draws from a stream.)
 */
public final class Permutations {
    private Permutations() {}

    /** A uniformly random permutation of 0..n−1: Fisher–Yates from the identity, swaps drawn from {@code rng}. */
    public static int[] uniform(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
