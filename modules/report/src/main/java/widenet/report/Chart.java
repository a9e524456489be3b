package widenet.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * One XY chart of a report: named series (lines, dashed lines for predictions and references, or points), linear
 * or logarithmic axes, drawn by JFreeChart into an SVG element (JFreeSVG). On a log axis, points ≤ 0 cannot be
 * shown and are dropped, as are non-finite values; a series with nothing left is left out, and a chart with no
 * series is not drawn at all ({@link #isEmpty()}). Long series are thinned to {@link #MAX_POINTS} points.
 */
final class Chart {
    static final int MAX_POINTS = 1500;
    static final int WIDTH = 640;
    static final int HEIGHT = 400;

    enum Style {
        LINE,
        DASHED,
        DOTTED,
        POINTS,
        LINE_POINTS
    }

    /** Tableau-10-like colours: distinct on screen and in grey print. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
    };

    static final Color REFERENCE = new Color(0x555555);

    private record Series(String name, double[] x, double[] y, Style style, Color color) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private boolean logX;
    private boolean logY;
    private Double yMin;
    private Double yMax;
    private final List<Series> series = new ArrayList<>();

    Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    Chart logX(boolean on) {
        logX = on;
        return this;
    }

    Chart logY(boolean on) {
        logY = on;
        return this;
    }

    boolean isLogY() {
        return logY;
    }

    boolean isLogX() {
        return logX;
    }

    String title() {
        return title;
    }

    /** Fixes the y range (e.g. so that steep reference lines do not squash the data); null keeps it automatic. */
    Chart yRange(Double min, Double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** The palette colour of the i-th measured quantity (so a prediction can share its measured line's colour). */
    static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    Chart add(String name, double[] x, double[] y, Style style, Color color) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(name + ": " + x.length + " x values, " + y.length + " y values");
        }
        series.add(new Series(name, x, y, style, color));
        return this;
    }

    Chart add(String name, double[] x, double[] y, Style style) {
        return add(name, x, y, style, color(series.size()));
    }

    /** A horizontal line at {@code value} across [x0, x1] (e.g. a predicted rate or the target ρ). */
    Chart horizontal(String name, double value, double x0, double x1) {
        return add(name, new double[] {x0, x1}, new double[] {value, value}, Style.DASHED, REFERENCE);
    }

    /** Plottable points of every series, after dropping what the axes cannot show. */
    int points() {
        int k = 0;
        for (Series s : series) {
            k += plottable(s).getItemCount();
        }
        return k;
    }

    boolean isEmpty() {
        return points() == 0;
    }

    /** Shown-point count of the series that are not reference lines (data, measured or predicted). */
    private XYSeries plottable(Series s) {
        XYSeries out = new XYSeries(s.name(), false, true);
        int n = s.x().length;
        int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        for (int i = 0; i < n; i++) {
            if (i % stride != 0 && i != n - 1) {
                continue;
            }
            double x = s.x()[i], y = s.y()[i];
            if (!Double.isFinite(x) || !Double.isFinite(y) || (logX && x <= 0) || (logY && y <= 0)) {
                continue;
            }
            out.add(x, y);
        }
        return out;
    }

    /** The chart as an {@code <svg>} element scaled to its container (viewBox, no fixed size); ids start with {@code id}. */
    String svg(String id) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new TaggedRenderer();
        Shape dot = new Ellipse2D.Double(-3, -3, 6, 6);
        int k = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Series s : series) {
            XYSeries xy = plottable(s);
            if (xy.getItemCount() == 0) {
                continue;
            }
            String name = s.name();
            for (int dup = 2; !names.add(name); dup++) {
                name = s.name() + " (" + dup + ")";
            }
            XYSeries named = new XYSeries(name, false, true);
            for (int i = 0; i < xy.getItemCount(); i++) {
                named.add(xy.getX(i), xy.getY(i));
            }
            data.addSeries(named);
            r.setSeriesPaint(k, s.color());
            boolean lines = s.style() != Style.POINTS;
            boolean shapes = s.style() == Style.POINTS || s.style() == Style.LINE_POINTS || named.getItemCount() == 1;
            r.setSeriesLinesVisible(k, lines);
            r.setSeriesShapesVisible(k, shapes);
            r.setSeriesShape(k, dot);
            r.setSeriesStroke(
                    k,
                    switch (s.style()) {
                        case DASHED ->
                            new BasicStroke(
                                    1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 4f}, 0f);
                        case DOTTED ->
                            new BasicStroke(
                                    1.8f,
                                    BasicStroke.CAP_ROUND,
                                    BasicStroke.JOIN_ROUND,
                                    1f,
                                    new float[] {1.5f, 3.5f},
                                    0f);
                        default -> new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
                    });
            k++;
        }
        XYPlot plot = new XYPlot(data, axis(xLabel, logX), axis(yLabel, logY), r);
        if (yMin != null && yMax != null) {
            plot.getRangeAxis().setRange(yMin, yMax);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(new Color(0x999999));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        g2.setDefsKeyPrefix(id + "-");
        // two decimals of a 640×400 user unit are far below a pixel and keep the page small
        g2.setGeomDoubleConverter(Chart::twoDecimals);
        g2.setTransformDoubleConverter(Chart::twoDecimals);
        chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        return g2.getSVGElement(
                id, false, new ViewBox(0, 0, WIDTH, HEIGHT), PreserveAspectRatio.XMID_YMID, MeetOrSlice.MEET);
    }

    private static String twoDecimals(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        String s = String.format(java.util.Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static ValueAxis axis(String label, boolean log) {
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        ValueAxis a;
        if (log) {
            NiceLogAxis l = new NiceLogAxis(label);
            l.setMinorTickMarksVisible(true);
            a = l;
        } else {
            NumberAxis n = new NumberAxis(label);
            n.setAutoRangeIncludesZero(false);
            a = n;
        }
        a.setLabelFont(labelFont);
        a.setTickLabelFont(tickFont);
        return a;
    }
}
