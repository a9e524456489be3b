package widenet.train;

import java.lang.foreign.MemorySegment;
import widenet.tensor.FloatMatrix;

/**
 * Mini-batch sampling for SGD: epoch e visits the n samples in a seeded random order, in batches of b rows (the
 * last one n mod b rows when b does not divide n), gathered into buffers allocated once. The order of epoch e is a
 * pure function of (seed, e), so where sampling stands is two numbers, (epoch, cursor), and a resumed run continues
 * mid-epoch with the same batches.
 */
final class MiniBatches implements AutoCloseable {
    private final Dataset data;
    private final int n;
    private final int batch;
    private final long seed;
    private final int[] order;
    private final FloatMatrix batchX;
    private final FloatMatrix batchY;
    private final FloatMatrix lastBatchX;
    private final FloatMatrix lastBatchY;
    private FloatMatrix currentX;
    private FloatMatrix currentY;
    private long rngState;
    private long epoch;
    private int cursor;

    /** Batches of {@code batch} rows (1 ≤ batch &lt; n) of {@code data}, shuffled with {@code seed}; at epoch 0. */
    MiniBatches(Dataset data, int batch, long seed) {
        this.data = data;
        this.n = data.n();
        this.batch = batch;
        this.seed = seed;
        this.order = new int[n];
        this.batchX = FloatMatrix.allocate(batch, data.d());
        this.batchY = FloatMatrix.allocate(batch, data.k());
        int rest = n % batch;
        this.lastBatchX = rest == 0 ? batchX : batchX.rows(0, rest);
        this.lastBatchY = rest == 0 ? batchY : batchY.rows(0, rest);
        shuffle(0);
    }

    /** Gathers the next batch of the current epoch's order (reshuffling at the epoch's end) into {@link #x()}, {@link #y()}. */
    void next() {
        if (cursor >= n) {
            shuffle(epoch + 1);
            cursor = 0;
        }
        int b = Math.min(batch, n - cursor);
        currentX = b == batch ? batchX : lastBatchX;
        currentY = b == batch ? batchY : lastBatchY;
        gatherRows(data.x(), currentX, cursor, b);
        gatherRows(data.y(), currentY, cursor, b);
        cursor += b;
    }

    /** The inputs of the batch {@link #next()} gathered. */
    FloatMatrix x() {
        return currentX;
    }

    /** The labels of the batch {@link #next()} gathered. */
    FloatMatrix y() {
        return currentY;
    }

    /** The epoch of the next batch. */
    long epoch() {
        return epoch;
    }

    /** Where in its epoch's order the next batch starts (n: the epoch is done, the next batch starts a new one). */
    int cursor() {
        return cursor;
    }

    /** Puts sampling at (epoch, cursor), as {@link #epoch()} and {@link #cursor()} reported it. */
    void seek(long epoch, int cursor) {
        if (cursor < 0 || cursor > n) {
            throw new IllegalArgumentException("cursor " + cursor + " outside 0.." + n);
        }
        shuffle(epoch);
        this.cursor = cursor;
    }

    private void gatherRows(FloatMatrix src, FloatMatrix dst, int from, int count) {
        long rowBytes = (long) src.cols() * Float.BYTES;
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        for (int i = 0; i < count; i++) {
            MemorySegment.copy(
                    s,
                    (long) order[from + i] * src.stride() * Float.BYTES,
                    d,
                    (long) i * dst.stride() * Float.BYTES,
                    rowBytes);
        }
    }

    /**
     * The sample order of epoch {@code e}: Fisher–Yates from the identity, driven by SplitMix64 seeded with
     * (seed, e). A pure function of the seed and the epoch, so a run can resume mid-epoch from (epoch, cursor).
     */
    private void shuffle(long e) {
        epoch = e;
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        rngState = seed ^ (0x9E3779B97F4A7C15L * (e + 1));
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(nextRandom(), i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** SplitMix64 (Steele, Lea &amp; Flood 2014): a state that is one long, so it costs nothing to keep or restore. */
    private long nextRandom() {
        long z = (rngState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        batchX.close();
        batchY.close();
    }
}
