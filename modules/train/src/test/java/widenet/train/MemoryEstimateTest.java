package widenet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 17, finding 2: the memory a run asks for, counted before allocating, and the refusal when it cannot fit. */
class MemoryEstimateTest {
    @Test
    void countsTheTwoLayerNetworksBuffers() {
        // data 10·(3+1)·4 + W, ∇W, W(0): 3·4·3·4 + a, ∇a, a(0): 3·4·4 + hidden 10·4·4 + masks 2·10·4·4
        assertEquals(
                160 + 144 + 48 + 160 + 320,
                MemoryEstimate.twoLayer(10, 3, 4, 10).total());
        // a mini-batch of 5 adds its copy of X and y, and sizes the activations
        assertEquals(
                160 + 80 + 144 + 48 + 80 + 160,
                MemoryEstimate.twoLayer(10, 3, 4, 5).total());
    }

    @Test
    void theDefaultRunIsSmallAndTheFindingsRequestIsHuge() {
        double defaultRun =
                MemoryEstimate.twoLayer(1000, 1000, 1000, 1000).gram(1000).total();
        assertTrue(defaultRun < 100e6, "" + defaultRun);
        double huge = MemoryEstimate.twoLayer(1000, 1000, 2_000_000, 1000).total();
        // W, ∇W, W(0) of 2·10⁹ floats each (24 GB), the hidden layer and two masks of 1000 × 2·10⁶ (24 GB)
        assertTrue(huge > 48e9 && huge < 48.1e9, "" + huge);
        double deep = MemoryEstimate.deep(10, new int[] {10, 2_000_000_000, 1}, 10, false)
                .total();
        assertTrue(deep > 3 * 4.0 * 10 * 2e9, "" + deep);
    }

    @Test
    void refusesWithTheSizeTheEstimateAndWhatIsAvailable() {
        MemoryEstimate e = MemoryEstimate.twoLayer(1000, 1000, 2_000_000, 1000);
        InputException x =
                assertThrows(InputException.class, () -> e.check("train --width 2000000 --d 1000", 1L << 30));
        String m = x.getMessage();
        assertTrue(m.startsWith("train --width 2000000 --d 1000 needs about "), m);
        assertTrue(m.contains("weights 7.5 GB") && m.contains("but 1.0 GB is available (--max-memory)"), m);
        assertTrue(m.contains("--max-memory 45g"), m);
        e.check("fits", 64L << 30);
    }

    @Test
    void readsTheMachinesAvailableMemory() {
        MemoryEstimate.Available a = MemoryEstimate.available();
        if (a != null) {
            assertTrue(a.bytes() > 0 && a.bytes() < (1L << 50), a.toString());
        }
    }

    @Test
    void parsesSizes() {
        assertEquals(512L << 20, MemoryEstimate.parseSize("512m"));
        assertEquals(16L << 30, MemoryEstimate.parseSize("16G"));
        assertEquals(3L << 29, MemoryEstimate.parseSize("1.5GB"));
        assertEquals(2L << 40, MemoryEstimate.parseSize("2TiB"));
        assertEquals(1000, MemoryEstimate.parseSize("1000"));
        for (String bad : new String[] {"", "g", "-1g", "0", "NaN", "1e3", "lots", "9999999999t"}) {
            assertThrows(InputException.class, () -> MemoryEstimate.parseSize(bad), bad);
        }
    }
}
