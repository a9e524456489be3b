package widenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PackedScalarsTest {

    @Test
    void everyBitPatternRoundTripsExactly() {
        long[] longs = {
            0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x7FF0_0000_0000_0001L /* a signalling NaN */, 123456789012345L
        };
        double[] doubles = {Double.NaN, -0.0, Double.MIN_VALUE, Double.POSITIVE_INFINITY, 3.295035851507274E-7};
        try (PackedScalars p = new PackedScalars(longs.length + doubles.length + 1)) {
            p.rewind();
            for (long v : longs) {
                p.put(v);
            }
            for (double v : doubles) {
                p.put(v);
            }
            p.put(true);
            p.rewind();
            for (long v : longs) {
                assertEquals(v, p.getLong());
            }
            for (double v : doubles) {
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(p.getDouble()));
            }
            assertTrue(p.getBoolean("flag"));
            for (int i = 0; i < p.column().rows(); i++) {
                float w = p.column().get(i, 0);
                assertTrue(w >= 0 && w <= 0xFFFF && w == Math.rint(w), "word " + i + " = " + w);
            }
        }
    }

    @Test
    void wordsANetworkCannotHaveWrittenAreRefused() {
        try (PackedScalars p = new PackedScalars(2)) {
            p.rewind().put(5L).put(2L);
            p.column().set(1, 0, 0.5f);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> p.rewind().getLong());
            assertTrue(e.getMessage().contains("word 1 is 0.5"), e.getMessage());
            p.rewind().put(5L).put(2L).rewind();
            e = assertThrows(IllegalArgumentException.class, () -> p.getInt(-1, 4, "rows"));
            assertTrue(e.getMessage().contains("rows is 5, expected -1..4"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> p.getBoolean("flag"));
            assertTrue(e.getMessage().contains("flag is 2"), e.getMessage());
        }
    }
}
