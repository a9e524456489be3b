package widenet.model;

import java.util.function.IntFunction;

/**
 * Per-batch-size views of a network's buffers, made once per size and then reused, so that a forward pass on a
 * batch of b rows allocates nothing after the first time it sees b. A training run uses at most three sizes
 * (the batch, the last partial batch of an epoch, the full data set), hence the small linear table.
 */
final class BatchViews<T> {
    private final IntFunction<T> factory;
    private final int[] sizes = new int[8];
    private final Object[] views = new Object[8];
    private int count;

    BatchViews(IntFunction<T> factory) {
        this.factory = factory;
    }

    @SuppressWarnings("unchecked")
    T forRows(int rows) {
        for (int i = 0; i < count; i++) {
            if (sizes[i] == rows) {
                return (T) views[i];
            }
        }
        T v = factory.apply(rows);
        if (count < sizes.length) {
            sizes[count] = rows;
            views[count] = v;
            count++;
        }
        return v;
    }
}
