package widenet.kernel.simd;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of {@code threads − 1} daemon worker threads plus the calling thread, made once. A dispatch publishes
 * a {@link ParallelTask} by bumping a generation counter; workers spin briefly, then park, while they wait for the
 * next generation, so back-to-back kernel calls start in well under a microsecond while an idle pool costs no CPU.
 * Nothing is allocated per dispatch (no futures, no barriers).
 *
 * <p>Not reentrant and not for concurrent callers: one {@link SimdKernels} instance is used by one thread at a time.
 */
final class WorkerPool implements AutoCloseable {
    /** How long a waiting thread spins before parking: long enough to bridge consecutive kernel calls. */
    private static final long SPIN_NANOS = 50_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile ParallelTask task;
    /**
     * Generation counter times 256 plus the number of threads taking part in that generation's dispatch, published in
     * one volatile write so a worker never pairs one dispatch's generation with another's thread count.
     */
    private volatile long state;

    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    WorkerPool(int threads) {
        if (threads < 1 || threads > 255) {
            throw new IllegalArgumentException("thread count must be in [1, 255], got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++) {
            int id = w;
            Thread t = new Thread(() -> workerLoop(id), "widenet-simd-worker-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    /** The worker threads (not the caller): for tests that account for what they allocate. */
    Thread[] workerThreads() {
        return workers.clone();
    }

    /** Runs {@code t} on every thread (the caller is worker 0) and returns when all shares are done. */
    void run(ParallelTask t) {
        run(t, threads);
    }

    /**
     * Runs {@code t} as {@code active} shares on the first {@code active} threads (1 ≤ active ≤ threads); the other
     * workers are not woken. Small jobs use fewer shares because waking a thread costs more than they do.
     */
    void run(ParallelTask t, int active) {
        if (closed) {
            throw new IllegalStateException("kernels are closed");
        }
        if (active <= 1 || threads == 1) {
            t.run(0, 1);
            return;
        }
        int n = Math.min(active, threads);
        task = t;
        caller = Thread.currentThread();
        remaining.set(n - 1);
        state = ((state >>> 8) + 1) << 8 | n; // volatile write publishes task and caller
        for (int w = 1; w < n; w++) {
            LockSupport.unpark(workers[w - 1]);
        }
        Throwable mine = null;
        try {
            t.run(0, n);
        } catch (Throwable e) {
            mine = e;
        }
        awaitWorkers();
        task = null;
        Throwable theirs = failure;
        failure = null;
        if (mine != null) {
            rethrow(mine);
        }
        if (theirs != null) {
            throw new IllegalStateException("a kernel worker thread failed", theirs);
        }
    }

    private void awaitWorkers() {
        long start = 0;
        int spins = 0;
        while (remaining.get() != 0) {
            if (++spins < 64) {
                Thread.onSpinWait();
                continue;
            }
            if (start == 0) {
                start = System.nanoTime();
            }
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 1_000_000L);
            }
        }
    }

    private void workerLoop(int id) {
        long seen = 0;
        while (true) {
            long start = 0;
            int spins = 0;
            long g;
            while ((g = state) == seen) {
                if (++spins < 64) {
                    Thread.onSpinWait();
                    continue;
                }
                if (start == 0) {
                    start = System.nanoTime();
                }
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = g;
            if (closed) {
                return;
            }
            int n = (int) (g & 0xFF);
            if (id >= n) {
                continue; // not part of this dispatch
            }
            try {
                task.run(id, n);
            } catch (Throwable e) {
                failure = e;
            }
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    private static void rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(e);
    }

    /** Stops the workers; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state = ((state >>> 8) + 1) << 8;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        for (Thread t : workers) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
