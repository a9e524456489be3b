package widenet.report;

import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;
import java.util.Map;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.entity.EntityCollection;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYDataset;
import org.jfree.svg.SVGHints;

/**
 * JFreeChart's line-and-shape renderer, with each series' line and each data point wrapped in an SVG group
 * {@code <g class="series-line|series-point" data-series="k">}: the page says which elements are data, so tests
 * and the browser check can tell a drawn curve from axes, grid and legend.
 */
final class TaggedRenderer extends XYLineAndShapeRenderer {
    TaggedRenderer() {
        setDrawSeriesLineAsPath(true);
    }

    @Override
    protected void drawFirstPassShape(Graphics2D g2, int pass, int series, int item, Shape shape) {
        g2.setRenderingHint(
                SVGHints.KEY_BEGIN_GROUP, Map.of("class", "series-line", "data-series", Integer.toString(series)));
        super.drawFirstPassShape(g2, pass, series, item, shape);
        g2.setRenderingHint(SVGHints.KEY_END_GROUP, "end");
    }

    @Override
    protected void drawSecondaryPass(
            Graphics2D g2,
            XYPlot plot,
            XYDataset dataset,
            int pass,
            int series,
            int item,
            ValueAxis domainAxis,
            Rectangle2D dataArea,
            ValueAxis rangeAxis,
            CrosshairState crosshairState,
            EntityCollection entities) {
        if (!getItemShapeVisible(series, item)) {
            super.drawSecondaryPass(
                    g2, plot, dataset, pass, series, item, domainAxis, dataArea, rangeAxis, crosshairState, entities);
            return;
        }
        g2.setRenderingHint(
                SVGHints.KEY_BEGIN_GROUP, Map.of("class", "series-point", "data-series", Integer.toString(series)));
        super.drawSecondaryPass(
                g2, plot, dataset, pass, series, item, domainAxis, dataArea, rangeAxis, crosshairState, entities);
        g2.setRenderingHint(SVGHints.KEY_END_GROUP, "end");
    }
}
