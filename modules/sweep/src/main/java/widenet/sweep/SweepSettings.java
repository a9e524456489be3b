package widenet.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.model.LossKind;
import widenet.train.InputException;

/**
 * What a sweep measures; everything here changes a cell's result, so a sweep folder resumes only with the same
 * settings. The data of a cell with n samples has input dimension {@link #dFor(int) d(n)}: the fixed {@code d}, or
 * ⌈dPerN·n⌉ when {@code dPerN > 0}.
 *
 * @param ns            the sample counts n, ascending
 * @param d             fixed input dimension (used when dPerN = 0)
 * @param dPerN         d = ⌈dPerN·n⌉ when positive
 * @param seeds         seeds per n (chains), numbered seed, seed+1, …
 * @param seed          the first seed
 * @param lr            step size η of full-batch GD on the loss
 * @param steps         step budget K
 * @param target        target loss ratio ρ: a cell reaches it when L(k)/L(0) ≤ ρ for some k ≤ K
 * @param widthMin      smallest width of the geometric grid
 * @param widthMax      largest width of the grid (inclusive bound)
 * @param perOctave     grid widths per doubling of m (grid ratio 2^(1/perOctave))
 * @param kappa         w_r(0) ~ N(0, κ²I)
 * @param loss          sum (the paper's) or mean
 * @param kernels       kernel provider name
 * @param threadsPerCell worker threads of each cell's kernels (results are bit-identical for the same count)
 */
public record SweepSettings(
        List<Integer> ns,
        int d,
        double dPerN,
        int seeds,
        long seed,
        double lr,
        long steps,
        double target,
        int widthMin,
        int widthMax,
        int perOctave,
        double kappa,
        LossKind loss,
        String kernels,
        int threadsPerCell) {

    public SweepSettings {
        ns = List.copyOf(ns);
        if (ns.isEmpty()) {
            throw new InputException("--n needs at least one sample count");
        }
        for (int i = 0; i < ns.size(); i++) {
            if (ns.get(i) < 2) {
                throw new InputException("--n values must be at least 2, got " + ns.get(i));
            }
            if (i > 0 && ns.get(i) <= ns.get(i - 1)) {
                throw new InputException("--n values must be strictly increasing, got " + ns);
            }
        }
        if (dPerN < 0 || Double.isNaN(dPerN) || Double.isInfinite(dPerN)) {
            throw new InputException("--d-per-n must be positive (or 0 for a fixed --d), got " + dPerN);
        }
        if (dPerN == 0 && d < 1) {
            throw new InputException("--d must be positive, got " + d);
        }
        if (seeds < 1) {
            throw new InputException("--seeds must be at least 1, got " + seeds);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new InputException("--lr must be positive and finite, got " + lr);
        }
        if (steps < 1) {
            throw new InputException("--steps must be at least 1, got " + steps);
        }
        if (!(target > 0 && target < 1)) {
            throw new InputException("--target (the loss ratio ρ) must lie in (0, 1), got " + target);
        }
        if (widthMin < 1 || widthMax < widthMin) {
            throw new InputException(
                    "width grid needs 1 ≤ --width-min ≤ --width-max, got " + widthMin + " and " + widthMax);
        }
        if (perOctave < 1 || perOctave > 64) {
            throw new InputException("--per-octave must be between 1 and 64, got " + perOctave);
        }
        if (!(kappa > 0) || Double.isInfinite(kappa)) {
            throw new InputException("--kappa must be positive and finite, got " + kappa);
        }
        if (threadsPerCell < 1) {
            throw new InputException("--threads-per-cell must be at least 1, got " + threadsPerCell);
        }
    }

    /** The input dimension of the data with n samples. */
    public int dFor(int n) {
        return dPerN > 0 ? (int) Math.ceil(dPerN * n) : d;
    }

    /** The seeds of the chains, in order. */
    public long seedAt(int index) {
        return seed + index;
    }

    /** As stored in {@code sweep.json} ("settings"); two sweeps agree when these maps are equal. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "two-layer");
        m.put("n", ns);
        m.put("d", dPerN > 0 ? null : d);
        m.put("d_per_n", dPerN > 0 ? dPerN : null);
        m.put("seeds", seeds);
        m.put("seed", seed);
        m.put("lr", lr);
        m.put("steps", steps);
        m.put("target_ratio", target);
        m.put("width_min", widthMin);
        m.put("width_max", widthMax);
        m.put("per_octave", perOctave);
        m.put("kappa", kappa);
        m.put("loss", loss.toString());
        m.put("train_output_layer", false);
        m.put("relu_grad_at_zero", 1);
        m.put("kernels", kernels);
        m.put("threads_per_cell", threadsPerCell);
        return m;
    }
}
