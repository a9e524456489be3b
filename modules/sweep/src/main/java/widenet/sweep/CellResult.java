package widenet.sweep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import widenet.train.InputException;

/**
 * What one cell's run found, as stored in {@code cells/<n>-<m>-<seed>/cell.json}.
 *
 * @param lossInitial L(0)
 * @param lossFinal   L at the last step run: the first k with L(k)/L(0) ≤ ρ, or K
 * @param stepReached that first k, or −1 when the target was not reached within K steps
 * @param stepsRun    gradient steps taken
 * @param status      {@code reached}, {@code not_reached} or {@code diverged} (the loss became NaN or ±Inf)
 * @param seconds     wall time of the cell (not part of the result proper: varies between runs)
 */
public record CellResult(
        Cell cell,
        int d,
        double lossInitial,
        double lossFinal,
        long stepReached,
        long stepsRun,
        String status,
        double seconds) {
    public static final String REACHED = "reached";
    public static final String NOT_REACHED = "not_reached";
    public static final String DIVERGED = "diverged";

    public boolean reached() {
        return REACHED.equals(status);
    }

    /** L(k)/L(0) at the last step run. */
    public double ratio() {
        return lossFinal / lossInitial;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", cell.n());
        m.put("d", d);
        m.put("width", cell.width());
        m.put("seed", cell.seed());
        m.put("data_seed", cell.dataSeed());
        m.put("init_seed", cell.initSeed());
        m.put("status", status);
        m.put("loss_initial", finite(lossInitial));
        m.put("loss_final", finite(lossFinal));
        m.put("loss_ratio", finite(ratio()));
        m.put("step_reached", stepReached < 0 ? null : stepReached);
        m.put("steps_run", stepsRun);
        m.put("seconds", seconds);
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : String.valueOf(v);
    }

    /** Reads a stored result, checking that it is the cell asked for. */
    static CellResult fromMap(Map<String, Object> m, Cell expected, Path file) {
        try {
            Cell cell = new Cell(integer(m, "n"), integer(m, "width"), ((Number) m.get("seed")).longValue());
            if (!cell.equals(expected)) {
                throw new InputException(file + ": holds cell " + cell + ", expected " + expected);
            }
            Object reached = m.get("step_reached");
            return new CellResult(
                    cell,
                    integer(m, "d"),
                    number(m.get("loss_initial")),
                    number(m.get("loss_final")),
                    reached == null ? -1 : ((Number) reached).longValue(),
                    ((Number) m.get("steps_run")).longValue(),
                    (String) m.get("status"),
                    ((Number) m.get("seconds")).doubleValue());
        } catch (ClassCastException | NullPointerException e) {
            throw new InputException(
                    file + ": not a sweep cell result (missing or mistyped field: " + e.getMessage() + ")");
        }
    }

    private static int integer(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    private static double number(Object o) {
        return o instanceof Number x ? x.doubleValue() : Double.parseDouble((String) o);
    }
}
