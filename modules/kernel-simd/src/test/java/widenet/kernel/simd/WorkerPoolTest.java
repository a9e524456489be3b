package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The pool runs every share of every dispatch exactly once, with any number of active threads, and reports failures. */
class WorkerPoolTest {
    /** Counts, per thread index, how often it ran, and checks the share count it was given. */
    private static final class Counting implements ParallelTask {
        final AtomicIntegerArray runs;
        volatile int expectedWorkers;
        volatile boolean wrongCount;

        Counting(int threads) {
            runs = new AtomicIntegerArray(threads);
        }

        @Override
        public void run(int worker, int workers) {
            if (workers != expectedWorkers) {
                wrongCount = true;
            }
            runs.incrementAndGet(worker);
        }
    }

    @Test
    void everyShareRunsExactlyOncePerDispatch() {
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                Counting task = new Counting(threads);
                int[] want = new int[threads];
                // Many back-to-back dispatches (workers still spinning) with a varying number of active threads.
                for (int i = 0; i < 4000; i++) {
                    int active = 1 + i % threads;
                    task.expectedWorkers = active;
                    pool.run(task, active);
                    for (int w = 0; w < active; w++) {
                        want[w]++;
                    }
                    if (i % 1000 == 999) {
                        sleep(3); // let the workers park, then wake them again
                    }
                }
                int[] got = new int[threads];
                for (int w = 0; w < threads; w++) {
                    got[w] = task.runs.get(w);
                }
                assertArrayEquals(want, got, threads + " threads");
                assertEquals(false, task.wrongCount);
            }
        }
    }

    @Test
    void aFailureOnAWorkerReachesTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> pool.run((w, n) -> {
                        if (w == 1) {
                            throw boom;
                        }
                    }));
            assertSame(boom, e.getCause());
            IllegalArgumentException mine = assertThrows(
                    IllegalArgumentException.class,
                    () -> pool.run((w, n) -> {
                        if (w == 0) {
                            throw boom;
                        }
                    }));
            assertSame(boom, mine);
            Counting task = new Counting(2);
            task.expectedWorkers = 2;
            pool.run(task); // still usable afterwards
            assertEquals(1, task.runs.get(1));
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.run((w, n) -> {}));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
