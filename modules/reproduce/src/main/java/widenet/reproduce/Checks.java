package widenet.reproduce;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks of a reproduction, each computed once from the run folders and written twice: as a line of
 * {@code summary.md} (PASS or FAIL — text, so any font shows it — and what was checked) and as an entry of {@code reproduction.json}'s {@code checks},
 * in the same order. Also the predicates the checks share.
 */
public final class Checks {
    private final StringBuilder markdown = new StringBuilder("## Checks (computed from the run folders)\n\n");
    private final Map<String, Object> record = new LinkedHashMap<>();

    /** No checks yet: a reproduction adds its own, in the order summary.md shows them. */
    public Checks() {}

    /** A check: {@code key} in reproduction.json, {@code what} in summary.md. */
    public Checks add(String key, boolean ok, String what) {
        record.put(key, ok);
        markdown.append(line(ok, what));
        return this;
    }

    /** A check that does not apply to this run: null in reproduction.json, {@code line} (with its newline) in summary.md. */
    public Checks notApplicable(String key, String line) {
        record.put(key, null);
        markdown.append(line);
        return this;
    }

    /** A line of summary.md between the checks that is not itself one (a trend), with its newline. */
    public Checks note(String line) {
        markdown.append(line);
        return this;
    }

    /** The "Checks" section of summary.md: its heading and a line per check. */
    public String markdown() {
        return markdown.toString();
    }

    /** reproduction.json's {@code checks}: key → passed (null: not applicable). */
    public Map<String, Object> record() {
        return record;
    }

    public static String line(boolean ok, String what) {
        return (ok ? "- **PASS** " : "- **FAIL** ") + what + "\n";
    }

    /** Every row's loss is at most the previous one's (a relative 1e-6 for float noise at convergence), and it fell overall. */
    public static boolean falls(double[] loss) {
        for (int i = 1; i < loss.length; i++) {
            if (!(loss[i] <= loss[i - 1] * (1 + 1e-6))) {
                return false;
            }
        }
        return loss.length > 1 && loss[loss.length - 1] < loss[0];
    }

    public static boolean strictlyDecreasing(double[] v) {
        return strictlyMonotone(v, false);
    }

    public static boolean strictlyIncreasing(double[] v) {
        return strictlyMonotone(v, true);
    }

    /** At least two values, each above (or below) the previous one; NaN breaks it. */
    private static boolean strictlyMonotone(double[] v, boolean increasing) {
        for (int i = 1; i < v.length; i++) {
            if (!(increasing ? v[i] > v[i - 1] : v[i] < v[i - 1])) {
                return false;
            }
        }
        return v.length > 1;
    }
}
