package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The shared-B split's barrier: it holds every party until the last arrives, phase after phase, and breaks. */
class SpinBarrierTest {
    @Test
    void noPartyPassesBeforeAllHaveArrivedInAnyPhase() throws InterruptedException {
        int parties = 3, phases = 300;
        SpinBarrier barrier = new SpinBarrier();
        barrier.reset(parties);
        AtomicInteger[] arrivals = new AtomicInteger[phases];
        for (int i = 0; i < phases; i++) {
            arrivals[i] = new AtomicInteger();
        }
        AtomicReference<String> wrong = new AtomicReference<>();
        Runnable party = () -> {
            for (int ph = 0; ph < phases; ph++) {
                arrivals[ph].incrementAndGet();
                barrier.await();
                if (arrivals[ph].get() != parties) {
                    wrong.compareAndSet(null, "phase " + ph + " passed with " + arrivals[ph].get() + " arrivals");
                }
            }
        };
        Thread[] others = {new Thread(party), new Thread(party)};
        for (Thread t : others) {
            t.start();
        }
        party.run();
        for (Thread t : others) {
            t.join(10_000);
        }
        assertEquals(null, wrong.get());
    }

    @Test
    void aBrokenBarrierReleasesTheWaitersWithAnException() throws InterruptedException {
        SpinBarrier barrier = new SpinBarrier();
        barrier.reset(2);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                barrier.await();
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        waiter.start();
        Thread.sleep(20);
        barrier.breakBarrier(); // the other party failed instead of arriving
        waiter.join(10_000);
        assertTrue(!waiter.isAlive(), "the waiter is still waiting");
        assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
        // The next dispatch resets it.
        barrier.reset(1);
        barrier.await();
        assertThrows(IllegalArgumentException.class, () -> KernelConfig.parseSplit("none"));
    }
}
