package widenet.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis with the ticks a reader expects: 1·10ᵏ (and 2·10ᵏ, 5·10ᵏ on short ranges) labelled, the
 * other integers ×10ᵏ as unlabelled minor ticks; every j-th decade on very long ranges; and evenly spaced plain
 * ticks when the range is shorter than a third of a decade (e.g. a contraction rate between 0.95 and 0.99), where
 * JFreeChart's own choice lands on fractional powers.
 */
final class NiceLogAxis extends LogAxis {
    NiceLogAxis(String label) {
        super(label);
        setBase(10);
        setSmallestValue(1e-300);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        TextAnchor anchor = vertical
                ? (edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT)
                : (edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
        double lo = getLowerBound(), hi = getUpperBound();
        List ticks = new ArrayList();
        if (!(lo > 0) || !(hi > lo)) {
            return ticks;
        }
        double decades = Math.log10(hi / lo);
        if (decades < 0.35) {
            double raw = (hi - lo) / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
            for (double v = Math.ceil(lo / step) * step; v <= hi * (1 + 1e-12); v += step) {
                ticks.add(new NumberTick(TickType.MAJOR, v, Numbers.tick(v), anchor, anchor, 0));
            }
            return ticks;
        }
        int[] labelled = decades > 2.5
                ? new int[] {1}
                : decades > 1.2 ? new int[] {1, 2, 5} : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
        int every = (int) Math.max(1, Math.ceil(decades / 8));
        boolean minor = decades <= 6;
        for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
            double p = Math.pow(10, e);
            for (int mant = 1; mant <= 9; mant++) {
                double v = mant * p;
                boolean listed = false;
                for (int x : labelled) {
                    listed |= x == mant;
                }
                if (v < lo * (1 - 1e-12) || v > hi * (1 + 1e-12)) {
                    continue;
                }
                boolean label = listed && (mant != 1 || Math.floorMod(e, every) == 0);
                if (label && (mant == 1 || every == 1)) {
                    ticks.add(new NumberTick(TickType.MAJOR, v, Numbers.tick(v), anchor, anchor, 0));
                } else if (minor) {
                    ticks.add(new NumberTick(TickType.MINOR, v, "", anchor, anchor, 0));
                }
            }
        }
        return ticks;
    }
}
