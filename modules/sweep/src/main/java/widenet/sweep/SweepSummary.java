package widenet.sweep;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code summary.md}: the settings, m_min(n), the fit and the theorems' exponents, as Markdown tables. */
final class SweepSummary {
    private SweepSummary() {}

    static String markdown(SweepSettings s, WidthGrid grid, Sweep.Outcome o) {
        StringBuilder md = new StringBuilder();
        md.append("# Width sweep: how wide is wide enough?\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Two-layer ReLU network of Du et al. (W trained, a fixed, κ = %s, %s loss), full-batch GD with η = %s. "
                        + "Data: n points uniform on the unit sphere in d = %s dimensions, labels y ~ N(0, 1). "
                        + "A run *reaches the target* when L(k)/L(0) ≤ ρ = %s for some k ≤ K = %d. "
                        + "m_min(n, seed) is the smallest width of the geometric grid %d … %d (%d per octave, %d widths) that reaches it, "
                        + "found by galloping up by octaves and then bisecting; m_min(n) is the median over %d seeds "
                        + "(geometric midpoint of the middle two for an even count; a seed whose m_min lies above the grid counts as +∞).\n\n",
                num(s.kappa()),
                s.loss(),
                num(s.lr()),
                s.dPerN() > 0 ? "⌈" + num(s.dPerN()) + "·n⌉" : Integer.toString(s.d()),
                num(s.target()),
                s.steps(),
                grid.width(0),
                grid.width(grid.size() - 1),
                grid.perOctave(),
                grid.size(),
                s.seeds()));

        md.append("## m_min(n)\n\n| n | d | m_min (median) | per seed | cells run |\n|---:|---:|---:|---|---:|\n");
        for (Sweep.Width w : o.widths()) {
            String perSeed = w.chains().stream()
                    .map(c -> switch (c.status()) {
                        case FOUND -> Integer.toString(c.mMin());
                        case BELOW_GRID -> "≤ " + c.mMin();
                        case ABOVE_GRID -> "> " + c.mMin();
                    })
                    .collect(Collectors.joining(", "));
            int cells = w.chains().stream().mapToInt(c -> c.cells().size()).sum();
            md.append("| ")
                    .append(w.n())
                    .append(" | ")
                    .append(w.d())
                    .append(" | ")
                    .append(Double.isFinite(w.median()) ? num(w.median()) : "> " + grid.width(grid.size() - 1))
                    .append(" | ")
                    .append(perSeed)
                    .append(" | ")
                    .append(cells)
                    .append(" |\n");
        }
        md.append('\n');

        md.append("## Exponent of m_min ∝ n^α\n\n");
        LogLogFit f = o.fit();
        if (f == null) {
            md.append(
                    "Not enough points for a fit (needs at least 3 chains with m_min inside the grid, over at least 2 values of n).\n\n");
        } else {
            long censored = o.chains().stream()
                    .filter(c -> c.status() != WidthSearch.Status.FOUND)
                    .count();
            md.append("Least squares of ln m_min on ln n over the (n, seed) chains whose m_min lies inside the grid"
                    + (censored > 0 ? " (" + censored + " censored chain(s) left out)" : "")
                    + "; 95 % interval from Student's t.\n\n");
            md.append("| quantity | value |\n|---|---:|\n");
            md.append(String.format(
                    Locale.ROOT,
                    "| α | %.3f |\n| 95 %% CI | [%.3f, %.3f] |\n| standard error | %.3f |\n| points (dof) | %d (%d) |\n| R² | %.3f |\n",
                    f.alpha(),
                    f.ciLow(),
                    f.ciHigh(),
                    f.stderr(),
                    f.points(),
                    f.points() - 2,
                    f.r2()));
            LogLogFit fm = o.fitOfMedians();
            if (fm != null) {
                md.append(String.format(Locale.ROOT, "| α of the medians | %.3f |\n", fm.alpha()));
            }
            List<java.util.Map<String, Object>> local = Sweep.localSlopes(o.widths());
            if (!local.isEmpty()) {
                md.append("| local slopes (medians) | ")
                        .append(local.stream()
                                .map(m -> String.format(
                                        Locale.ROOT, "%s→%s: %.2f", m.get("n_from"), m.get("n_to"), (Double)
                                                m.get("slope")))
                                .collect(Collectors.joining("; ")))
                        .append(" |\n");
            }
            md.append('\n');
            md.append("| requirement | exponent | inside the 95 % CI |\n|---|---:|---|\n");
            for (Reference r : Reference.THEOREMS) {
                md.append("| ")
                        .append(r.label())
                        .append(" | ")
                        .append(num(r.exponent()))
                        .append(" | ")
                        .append(f.contains(r.exponent()) ? "yes" : "no")
                        .append(" |\n");
            }
            md.append('\n');
        }
        md.append(String.format(
                Locale.ROOT,
                "%d cells trained, %d read back from an earlier run; %.1f s wall time.\n",
                o.cellsComputed(),
                o.cellsReused(),
                o.seconds()));
        return md.toString();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains("e") || !s.contains(".") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
