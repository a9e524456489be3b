package widenet.report;

import java.util.Locale;

/** How numbers are written in reports: short, exact where they are integers, scientific where tiny or huge. */
final class Numbers {
    private Numbers() {}

    /** A table cell: integers as integers, other values with 6 significant digits. */
    static String cell(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            String s = String.format(Locale.ROOT, "%.6g", v);
            return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }
        return String.format(Locale.ROOT, "%.4e", v);
    }

    /** An axis tick: 3 significant digits; powers of ten as 1e-3 style. */
    static String tick(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1 && a < 1e5 && Math.abs(v - Math.rint(v)) < 1e-9 * a) {
            return Long.toString((long) Math.rint(v));
        }
        if (a >= 1e-3 && a < 1e5) {
            String s = String.format(Locale.ROOT, "%.3g", v);
            if (s.contains(".") && !s.contains("e")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s;
        }
        double e = Math.log10(a);
        if (Math.abs(e - Math.rint(e)) < 1e-9) {
            return (v < 0 ? "-" : "") + "1e" + (long) Math.rint(e);
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
