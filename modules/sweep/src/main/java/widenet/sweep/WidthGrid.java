package widenet.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometric width grid m_j = round(m_lo · 2^(j/p)) for j = 0, 1, … while m_j ≤ m_hi, with repeated values
 * (small widths round alike) dropped: strictly increasing, so a search over indices is a search over widths.
 */
public final class WidthGrid {
    private final int[] widths;
    private final int perOctave;

    public WidthGrid(int min, int max, int perOctave) {
        List<Integer> w = new ArrayList<>();
        for (int j = 0; ; j++) {
            double exact = min * Math.pow(2, (double) j / perOctave);
            if (exact > max * (1 + 1e-12)) {
                break;
            }
            int m = (int) Math.round(exact);
            if (w.isEmpty() || m > w.get(w.size() - 1)) {
                w.add(m);
            }
        }
        this.widths = w.stream().mapToInt(Integer::intValue).toArray();
        this.perOctave = perOctave;
    }

    public int size() {
        return widths.length;
    }

    public int width(int index) {
        return widths[index];
    }

    public int[] widths() {
        return widths.clone();
    }

    public int perOctave() {
        return perOctave;
    }

    /** The index of the first grid width ≥ twice the width at {@code index} (or the last index): one octave up. */
    public int octaveAbove(int index) {
        int target = 2 * widths[index];
        for (int j = index + 1; j < widths.length; j++) {
            if (widths[j] >= target) {
                return j;
            }
        }
        return widths.length - 1;
    }
}
