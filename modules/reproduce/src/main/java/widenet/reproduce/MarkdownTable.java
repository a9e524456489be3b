package widenet.reproduce;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table built row by row (for a reproduction's {@code summary.md}). */
public final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    /** A row: a Double is written by {@link #num}, an {@code Object[]} stands for that many adjacent cells. */
    public MarkdownTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            for (Object cell : c instanceof Object[] group ? group : new Object[] {c}) {
                r.add(cell instanceof Double d ? num(d) : String.valueOf(cell));
            }
        }
        if (r.size() != header.size()) {
            throw new IllegalArgumentException(r.size() + " cells for " + header.size() + " columns");
        }
        rows.add(r);
        return this;
    }

    /** A list of values in parentheses, e.g. "(2.7, 1.5)", each by {@link #num}. */
    public static String list(double[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return sb.append(')').toString();
    }

    /** Four significant digits, or "–" for a missing value. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
            return String.format("%.3e", v);
        }
        return String.format("%.4g", v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n");
        sb.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return sb.toString();
    }
}
