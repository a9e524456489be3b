package widenet.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.Network;
import widenet.train.Probe;

/**
 * The quantities the convergence proofs for deep networks track (Nguyen &amp; Mondelli 2020; Nguyen 2021), as extra
 * metric columns on their own cadence, from the state of the network's last forward pass on the full data set:
 *
 * <ul>
 *   <li>{@code w<l>_norm2}, {@code w<l>_smin}: ‖s_l W_l‖₂ and σ_min(s_l W_l), the largest and smallest of its
 *       min(n_{l−1}, n_l) singular values (of the map the layer applies, NTK factor included); the
 *       Polyak–Łojasiewicz bound ‖∇Φ‖ ≳ γ^{L−2} σ_min(F₁) Π_{l≥3} σ_min(W_l) ‖F_L − Y‖ needs them;</li>
 *   <li>{@code f1_smin}: σ_min(F₁), the smallest of the min(n, n₁) singular values of the first hidden layer's
 *       n×n₁ features (the theorem wants n₁ ≥ n and this bounded away from 0);</li>
 *   <li>{@code flast_gram_lmin}: λ_min(F_{L−1} F_{L−1}ᵀ) (n×n), Nguyen 2021's key quantity; exactly 0 when
 *       n_{L−1} &lt; n (rank), written as such without a decomposition.</li>
 * </ul>
 * All from Grams formed in double ({@link Gram}) and {@link SymmetricEigen}. At the first and the last step it also
 * computes λ_min and λ_max of the empirical NTK ({@link EmpiricalNtk}, one output only) for {@link #summary()}.
 * An eigenproblem larger than {@code maxEigenSize} is skipped (NaN) with a note, since its cost grows as size³.
 *
 * <p>It lives here, not in {@code widenet.model}, because it needs the eigen-solver that the model module
 * should not depend on, and it is a {@link Probe} of {@code widenet.train}; the network exposes the matrices.
 */
public final class DeepTheoryProbe implements Probe {
    private final Kernels kernels;
    private final DeepNetwork net;
    private final long every;
    private final long lastStep;
    private final int maxEigenSize;
    private final List<String> names = new ArrayList<>();
    private final Set<String> notes = new LinkedHashSet<>();
    private final Map<String, Object> initial = new LinkedHashMap<>();
    private final Map<String, Object> last = new LinkedHashMap<>();
    private final boolean hasHidden;

    /**
     * @param every    steps between measurements ({@link Long#MAX_VALUE}: only at the first and last rows)
     * @param lastStep the run's last step, where the NTK is measured again
     */
    public DeepTheoryProbe(Kernels kernels, DeepNetwork net, long every, long lastStep, int maxEigenSize) {
        if (every <= 0) {
            throw new IllegalArgumentException("probe cadence must be positive, got " + every);
        }
        this.kernels = kernels;
        this.net = net;
        this.every = every;
        this.lastStep = lastStep;
        this.maxEigenSize = maxEigenSize;
        for (int l = 1; l <= net.depth(); l++) {
            names.add("w" + l + "_norm2");
        }
        for (int l = 1; l <= net.depth(); l++) {
            names.add("w" + l + "_smin");
        }
        hasHidden = net.depth() >= 2;
        if (hasHidden) {
            names.add("f1_smin");
            names.add("flast_gram_lmin");
        }
    }

    /**
     * The default limit on an eigenproblem's size: eigenvalues of a dense symmetric 4096×4096 take ≈ 3–6 s on two
     * cores with {@link SymmetricEigen} (they took ≈ 5 s at 2048 with ojAlgo's solver); each measurement pays it.
     */
    public static final int DEFAULT_MAX_EIGEN_SIZE = 4096;

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public long every() {
        return every;
    }

    @Override
    public void measure(Network network, long step, double[] out) {
        int depth = net.depth();
        int at = 0;
        double[][] sv = new double[depth + 1][];
        for (int l = 1; l <= depth; l++) {
            var w = net.weight(l);
            sv[l] = fits(FeatureGram.smallerSize(w), "singular values of W" + l)
                    ? FeatureGram.singularValues(w, net.layerScale(l))
                    : null;
        }
        for (int l = 1; l <= depth; l++) {
            out[at++] = sv[l] == null ? Double.NaN : sv[l][sv[l].length - 1];
        }
        for (int l = 1; l <= depth; l++) {
            out[at++] = sv[l] == null ? Double.NaN : sv[l][0];
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("step", step);
        if (hasHidden) {
            var f1 = net.features(1);
            double f1Smin = fits(FeatureGram.smallerSize(f1), "σ_min(F1)")
                    ? FeatureGram.singularValues(f1, 1.0)[0]
                    : Double.NaN;
            var fl = net.features(depth - 1);
            int n = fl.rows();
            double flLmin;
            if (fl.cols() < n) {
                flLmin = 0; // rank F_{L−1} ≤ n_{L−1} < n
            } else if (fits(n, "λ_min(F_{L-1} F_{L-1}ᵀ)")) {
                flLmin = SymmetricEigen.ofInPlace(FeatureGram.rows(fl), n, false, kernels.threads())
                        .min();
            } else {
                flLmin = Double.NaN;
            }
            out[at++] = f1Smin;
            out[at++] = flLmin;
            record.put("f1_sigma_min", f1Smin);
            record.put("flast_gram_lambda_min", flLmin);
        }
        for (int l = 1; l <= depth; l++) {
            record.put("w" + l + "_norm2", sv[l] == null ? null : sv[l][sv[l].length - 1]);
            record.put("w" + l + "_sigma_min", sv[l] == null ? null : sv[l][0]);
        }
        if (step == 0 || step == lastStep) {
            ntk(record);
        }
        if (step == 0) {
            initial.clear();
            initial.putAll(record);
        }
        last.clear();
        last.putAll(record);
    }

    private void ntk(Map<String, Object> record) {
        int n = net.features(0).rows();
        if (net.outputDim() != 1) {
            notes.add(
                    "empirical NTK not computed: it is implemented for one output, the network has " + net.outputDim());
            return;
        }
        if (!fits(n, "empirical NTK")) {
            return;
        }
        SymmetricEigen e = SymmetricEigen.ofInPlace(EmpiricalNtk.compute(kernels, net), n, false, kernels.threads());
        record.put("ntk_lambda_min", e.min());
        record.put("ntk_lambda_max", e.max());
    }

    private boolean fits(int size, String what) {
        if (size <= maxEigenSize) {
            return true;
        }
        notes.add(what + " skipped: a " + size + "×" + size + " eigenproblem exceeds the limit " + maxEigenSize);
        return false;
    }

    /** Notes on what was skipped and why (for the log and run.json). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The measured values at step 0 and at the last measurement (including the NTK's spectrum), for run.json. */
    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("init", new LinkedHashMap<>(initial));
        s.put("last", new LinkedHashMap<>(last));
        s.put("notes", notes());
        return s;
    }
}
