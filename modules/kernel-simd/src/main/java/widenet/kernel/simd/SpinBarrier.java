package widenet.kernel.simd;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The barrier between the threads of one GEMM when they share a packed block of op(B): everyone packs a share, waits
 * here, multiplies, waits again before the block is overwritten. Allocation-free and reusable (a phase counter); the
 * waiting thread spins briefly (a block's work is tens of microseconds to milliseconds), then yields the core, which on
 * a machine shared with other processes is what lets the thread it waits for run. Broken when a participant fails, so
 * that the others throw instead of waiting forever.
 */
final class SpinBarrier {
    /** Spins before each yield: a few microseconds. */
    private static final int SPINS = 1 << 12;

    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int phase;
    private volatile boolean broken;
    private int parties;

    /** Before a dispatch (published to the workers by the pool's volatile write): {@code parties} threads take part. */
    void reset(int parties) {
        this.parties = parties;
        arrived.set(0);
        broken = false;
    }

    /** Returns when all parties have called it in this phase; throws if the barrier was broken. */
    void await() {
        int ph = phase;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            phase = ph + 1;
            return;
        }
        int spins = 0;
        while (phase == ph) {
            if (broken) {
                throw new IllegalStateException("another thread of this GEMM failed");
            }
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Thread.yield();
            }
        }
    }

    /** Releases every waiter with an exception (a participant failed). */
    void breakBarrier() {
        broken = true;
    }
}
