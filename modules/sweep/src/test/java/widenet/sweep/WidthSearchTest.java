package widenet.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WidthSearchTest {

    @Test
    void gridIsGeometricAndStrictlyIncreasing() {
        assertArrayEquals(new int[] {8, 11, 16, 23, 32, 45, 64}, new WidthGrid(8, 64, 2).widths());
        assertArrayEquals(
                new int[] {1, 2, 3, 4, 6, 8}, new WidthGrid(1, 8, 2).widths(), "1, 1.41→1 dropped, 2, 2.83→3, …");
        WidthGrid g = new WidthGrid(10, 10000, 4);
        for (int i = 1; i < g.size(); i++) {
            double ratio = (double) g.width(i) / g.width(i - 1);
            assertTrue(ratio > 1 && Math.abs(ratio - Math.pow(2, 0.25)) < 0.06, "ratio " + ratio + " at " + i);
        }
        assertEquals(8, new WidthGrid(10, 10000, 4).octaveAbove(4), "one octave = p grid steps");
    }

    static CellResult verdict(int width, boolean reached) {
        return new CellResult(
                new Cell(10, width, 0),
                3,
                1,
                reached ? 0.01 : 0.5,
                reached ? 5 : -1,
                10,
                reached ? CellResult.REACHED : CellResult.NOT_REACHED,
                0);
    }

    /** For every threshold on (and around) the grid the search returns the smallest passing width. */
    @Test
    void findsTheSmallestPassingWidthForEveryThreshold() {
        WidthGrid g = new WidthGrid(4, 4096, 4);
        for (int t = 0; t < g.size(); t++) {
            int threshold = g.width(t);
            Set<Integer> tried = new HashSet<>();
            WidthSearch.Result r = WidthSearch.search(10, 0, g, m -> {
                assertTrue(tried.add(m), "width " + m + " evaluated twice");
                return verdict(m, m >= threshold);
            });
            if (t == 0) {
                assertEquals(WidthSearch.Status.BELOW_GRID, r.status());
            } else {
                assertEquals(WidthSearch.Status.FOUND, r.status(), "threshold " + threshold);
            }
            assertEquals(threshold, r.mMin());
            assertEquals(tried.size(), r.cells().size());
            // galloping: ⌈t/p⌉ + 1 octave probes at most, then log₂(p) bisection steps
            int bound = (t + 3) / 4 + 1 + 2;
            assertTrue(r.cells().size() <= bound, r.cells().size() + " cells for threshold index " + t);
        }
        WidthSearch.Result none = WidthSearch.search(10, 0, g, m -> verdict(m, false));
        assertEquals(WidthSearch.Status.ABOVE_GRID, none.status());
        assertEquals(4096, none.mMin());
    }
}
