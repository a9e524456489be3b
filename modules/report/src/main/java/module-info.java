/**
 * {@code widenet report}: one self-contained HTML page (inline SVG charts, inline CSS, no scripts, no network) for
 * a run, reproduction or sweep folder. Charts are JFreeChart plots drawn by JFreeSVG; {@code summary.md} is
 * rendered by commonmark-java with GFM tables.
 */
@SuppressWarnings("requires-automatic") // JFreeChart 1.5 ships no module-info; its automatic name is stable
module widenet.report {
    requires widenet.train;
    requires java.desktop;
    requires org.jfree.jfreechart;
    requires org.jfree.svg;
    requires org.commonmark;
    requires org.commonmark.ext.gfm.tables;

    exports widenet.report;
}
