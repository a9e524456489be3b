package widenet.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * The smallest grid width that reaches the target, for one (n, seed) chain, assuming that reaching it is monotone
 * in the width (wider converges faster in the lazy regime; near the threshold, noise can break this, and the
 * search then returns one crossing). Galloping up from the smallest width one octave at a time (cheap: failed
 * narrow runs cost little next to the first passing one), then bisection between the last failing and the first
 * passing index: about log₂(m_min/m_lo) + log₂(p) + 1 cells.
 */
public final class WidthSearch {
    /** Evaluates one width (a cell, computed or read back). */
    interface Evaluator {
        CellResult evaluate(int width);
    }

    /** Where m_min lies relative to the grid. */
    public enum Status {
        /** m_min is a grid width: the one given fails below it (or is the first grid width after a failing one). */
        FOUND,
        /** The smallest grid width already reaches the target: m_min ≤ that width (left-censored). */
        BELOW_GRID,
        /** Not even the largest grid width reaches the target: m_min > that width (right-censored). */
        ABOVE_GRID;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The outcome: m_min (a grid width; the largest one tried for {@code ABOVE_GRID}) and every cell evaluated. */
    public record Result(int n, long seed, Status status, int mMin, List<CellResult> cells) {}

    private WidthSearch() {}

    static Result search(int n, long seed, WidthGrid grid, Evaluator eval) {
        List<CellResult> cells = new ArrayList<>();
        java.util.function.IntPredicate passes = i -> {
            CellResult r = eval.evaluate(grid.width(i));
            cells.add(r);
            return r.reached();
        };
        if (passes.test(0)) {
            return new Result(n, seed, Status.BELOW_GRID, grid.width(0), cells);
        }
        int lo = 0; // fails
        int hi; // passes
        while (true) {
            if (lo == grid.size() - 1) {
                return new Result(n, seed, Status.ABOVE_GRID, grid.width(lo), cells);
            }
            int next = grid.octaveAbove(lo);
            if (passes.test(next)) {
                hi = next;
                break;
            }
            lo = next;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (passes.test(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return new Result(n, seed, Status.FOUND, grid.width(hi), cells);
    }
}
