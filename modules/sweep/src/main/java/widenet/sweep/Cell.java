package widenet.sweep;

import java.util.SplittableRandom;

/**
 * One training run of a sweep: n samples, width m, seed s. Its data depend on (s, n) only, so every width of a
 * search sees the same data; its initialisation on (s, n, m). Both seeds are derived by mixing, so a cell's result
 * does not depend on which cells ran before it or beside it.
 */
public record Cell(int n, int width, long seed) {

    /** The folder name under {@code cells/}: {@code <n>-<m>-<seed>}. */
    public String dirName() {
        return n + "-" + width + "-" + seed;
    }

    /** Seeds the data (X on the sphere, y ~ N(0, 1)). */
    public long dataSeed() {
        return mix(seed, n);
    }

    /** Seeds the initial weights (W, a). */
    public long initSeed() {
        return mix(dataSeed(), width);
    }

    private static long mix(long a, long b) {
        return new SplittableRandom(a * 0x9E3779B97F4A7C15L + b).nextLong();
    }
}
