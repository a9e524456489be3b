package widenet.theory.eigen;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads for one decomposition: part 0 of a split runs on the caller, parts 1.. on daemon workers,
 * and {@link #run} returns when all have finished. Which part does what depends only on the thread count, so
 * results are bit-identical for a given count.
 */
final class Workers implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;
    private final Future<?>[] pending;

    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1
                ? null
                : Executors.newFixedThreadPool(threads - 1, r -> {
                    Thread t = new Thread(r, "widenet-eigen");
                    t.setDaemon(true);
                    return t;
                });
        this.pending = new Future<?>[threads];
    }

    int threads() {
        return threads;
    }

    /** Runs part(0..parts−1), part 0 on the calling thread; parts ≤ threads. */
    void run(int parts, IntConsumer part) {
        if (parts == 1 || pool == null) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
            return;
        }
        for (int p = 1; p < parts; p++) {
            int q = p;
            pending[p] = pool.submit(() -> part.accept(q));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int p = 1; p < parts; p++) {
            try {
                pending[p].get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure =
                            e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during an eigen-decomposition", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
