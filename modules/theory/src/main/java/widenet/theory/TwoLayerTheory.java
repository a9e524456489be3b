package widenet.theory;

import java.util.LinkedHashMap;
import java.util.Map;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.tensor.FloatMatrix;

/**
 * What the theory of the two-layer ReLU network predicts for one data set and one training setting, before
 * training. Conventions (stated once, used by every prediction):
 * <ul>
 *   <li>The kernel K: H∞ when only W is trained (the papers' setting); H∞ + κ²G∞ when a is trained too (the
 *       output layer adds (1/m) Σ_r relu(w_rᵀxᵢ) relu(w_rᵀxⱼ) → κ²G∞). H∞ itself does not depend on κ.</li>
 *   <li>The step in kernel units η′: with the sum loss L = ½‖u − y‖² (Du et al., Arora et al.) GD gives
 *       u(k+1) − u(k) ≈ −ηK(u(k) − y), so η′ = η; with the mean loss L = (1/2n)‖u − y‖², η′ = η/n.</li>
 *   <li>Loss units: L(k) = ½c‖y − u(k)‖² with c = 1 (sum) or 1/n (mean), so predictions of ‖y − u(k)‖² are
 *       written in the units of the {@code loss} column.</li>
 * </ul>
 * Predictions: Du et al.'s bound L(k) ≤ (1 − η′λ₀/2)^k L(0); the linearised trajectory
 * ‖y − u(k)‖² ≈ Σᵢ (1 − η′λᵢ)^{2k} (vᵢᵀ(y − u(0)))² (Arora et al. with u(0) = 0); the radius
 * R′ = 4√n‖y − u(0)‖/(√m λ₀) bounding max_r ‖w_r(k) − w_r(0)‖; the measure sqrt(2yᵀK⁻¹y/n); the stability limit
 * η′ &lt; 2/λ_max; the width m = n⁶/(λ₀⁴δ³) of Theorem 4.1 (constant 1).
 */
public final class TwoLayerTheory {
    /** The failure probability δ used for the required width when none is given. */
    public static final double DEFAULT_DELTA = 0.1;

    private final int n;
    private final int d;
    private final double eta;
    private final double etaKernel;
    private final LossKind loss;
    private final boolean outputLayerTrained;
    private final double kappa;
    private final NtkSpectrum spectrum;
    private final double[] y;
    private final boolean unitNorm;
    private final double maxNormDeviation;
    private final String singularWarning;
    private final double gramSeconds;
    private final double spectrumSeconds;

    /**
     * Builds K from the inputs x (n×d) and decomposes it.
     *
     * @param y labels (n), or null when there are none (no label projections, no measure)
     */
    public TwoLayerTheory(
            Kernels kernels,
            FloatMatrix x,
            double[] y,
            double eta,
            LossKind loss,
            boolean outputLayerTrained,
            double kappa) {
        this.n = x.rows();
        this.d = x.cols();
        if (y != null && y.length != n) {
            throw new IllegalArgumentException(y.length + " labels for n = " + n + " inputs");
        }
        this.y = y == null ? null : y.clone();
        this.eta = eta;
        this.loss = loss;
        this.etaKernel = loss == LossKind.MEAN ? eta / n : eta;
        this.outputLayerTrained = outputLayerTrained;
        this.kappa = kappa;
        long t0 = System.nanoTime();
        Gram k;
        try (FloatMatrix g = InfiniteWidthGram.inner(kernels, x)) {
            requireFinite(g, x);
            double dev = 0;
            for (int i = 0; i < n; i++) {
                dev = Math.max(dev, Math.abs(Math.sqrt(g.get(i, i)) - 1));
            }
            this.maxNormDeviation = dev;
            k = InfiniteWidthGram.ntkFromInner(g);
            if (outputLayerTrained) {
                k = k.plus(kappa * kappa, InfiniteWidthGram.arcCosineFromInner(g));
            }
        }
        // ‖x‖ = 1 up to the float rounding of a d-long sum of squares (≈ √d·ε), with a generous constant.
        this.unitNorm = maxNormDeviation <= 1e2 * Math.sqrt(d) * Math.ulp(1f);
        long t1 = System.nanoTime();
        this.spectrum = NtkSpectrum.consume(k, kernels.threads());
        this.gramSeconds = (t1 - t0) / 1e9;
        this.spectrumSeconds = (System.nanoTime() - t1) / 1e9;
        this.singularWarning = singular() ? singularWarning(x) : null;
    }

    /**
     * The inputs' inner products xᵢᵀxⱼ, computed in float32, overflowed (inputs of norm above ≈ 1.8·10¹⁹): H∞
     * cannot be formed. Bad input, not a bug; the caller names the file and what to do.
     */
    public static final class InputsOverflow extends widenet.train.InputException {
        InputsOverflow(double maxNorm) {
            super(String.format(
                    java.util.Locale.ROOT,
                    "the inner products xᵢᵀxⱼ overflow float32 (max ‖xᵢ‖ = %.3g; H∞ needs"
                            + " ‖xᵢ‖² below %.3g), so H∞ cannot be computed",
                    maxNorm,
                    (double) Float.MAX_VALUE));
        }
    }

    private static void requireFinite(FloatMatrix g, FloatMatrix x) {
        for (int i = 0; i < g.rows(); i++) {
            for (int j = 0; j < g.cols(); j++) {
                if (!Float.isFinite(g.get(i, j))) {
                    double max = 0;
                    for (int r = 0; r < x.rows(); r++) {
                        double ss = 0;
                        for (int c = 0; c < x.cols(); c++) {
                            ss += (double) x.get(r, c) * x.get(r, c);
                        }
                        max = Math.max(max, Math.sqrt(ss));
                    }
                    throw new InputsOverflow(max);
                }
            }
        }
    }

    /**
     * Whether H∞ is singular to working precision: λ₀ ≤ n·ε·λ_max, the size of the eigen-solver's rounding (so a
     * computed λ₀ there, negative ones included, is noise). Theorem 4.1 assumes λ₀ > 0; duplicate or parallel inputs
     * make H∞ singular.
     */
    public boolean singular() {
        return !(lambda0() > n * Math.ulp(1.0) * lambdaMax());
    }

    /** A one-line warning when H∞ is {@linkplain #singular() singular} (naming two equal rows if there are), else null. */
    public String singularWarning() {
        return singularWarning;
    }

    private String singularWarning(FloatMatrix x) {
        String pair = equalRows(x);
        return String.format(
                java.util.Locale.ROOT,
                "H∞ is singular to working precision (λ₀ = %.3g ≤ n·ε·λ_max = %.3g%s):"
                        + " the theorem's λ₀ > 0 does not hold, so the Du rate, the radius, the measure and the required width"
                        + " mean nothing here",
                lambda0(),
                n * Math.ulp(1.0) * lambdaMax(),
                pair != null ? "; " + pair : "; duplicate or parallel inputs?");
    }

    /** "rows i and j of X are equal" for the first such pair (0-based, by their float bits), or null. */
    static String equalRows(FloatMatrix x) {
        Map<java.util.List<Integer>, Integer> seen = new java.util.HashMap<>();
        for (int r = 0; r < x.rows(); r++) {
            Integer[] bits = new Integer[x.cols()];
            for (int c = 0; c < x.cols(); c++) {
                bits[c] = Float.floatToIntBits(x.get(r, c) + 0f);
            }
            Integer before = seen.putIfAbsent(java.util.List.of(bits), r);
            if (before != null) {
                return "rows " + before + " and " + r + " of X are equal";
            }
        }
        return null;
    }

    public int n() {
        return n;
    }

    public NtkSpectrum spectrum() {
        return spectrum;
    }
    /** Seconds spent forming the kernel (X Xᵀ and the closed form). */
    public double gramSeconds() {
        return gramSeconds;
    }
    /** Seconds spent on its eigenvalues (Householder reduction and QL). */
    public double spectrumSeconds() {
        return spectrumSeconds;
    }

    public double lambda0() {
        return spectrum.lambdaMin();
    }

    public double lambdaMax() {
        return spectrum.lambdaMax();
    }
    /** η′: the step in kernel units (η, or η/n for the mean loss). */
    public double etaKernel() {
        return etaKernel;
    }
    /** c in L = ½c‖u − y‖². */
    public double lossFactor() {
        return loss == LossKind.MEAN ? 1.0 / n : 1.0;
    }

    public boolean unitNormInputs() {
        return unitNorm;
    }

    public double maxNormDeviation() {
        return maxNormDeviation;
    }

    public String kernelName() {
        return outputLayerTrained ? "H_inf + kappa^2 G_inf" : "H_inf";
    }

    /** Du et al.'s per-step contraction 1 − η′λ₀/2 of ‖y − u(k)‖². */
    public double duRate() {
        return 1 - etaKernel * lambda0() / 2;
    }

    /** Du et al.'s bound on L(k) from L(0). */
    public double duBound(double loss0, long k) {
        return loss0 * Math.pow(duRate(), k);
    }

    /** The linearised trajectory from the residual r(0) = y − u(0). */
    public LinearisedTrajectory trajectory(double[] residual0) {
        return new LinearisedTrajectory(spectrum.values(), spectrum.coordinates(residual0), etaKernel);
    }

    /** R′ = 4√n‖y − u(0)‖/(√m λ₀). */
    public double radius(int width, double residualNorm0) {
        return 4 * Math.sqrt(n) * residualNorm0 / (Math.sqrt(width) * lambda0());
    }

    /** The step size η at which η′ reaches the stability limit 2/λ_max. */
    public double stabilityLimitEta() {
        return loss == LossKind.MEAN ? spectrum.stabilityLimit() * n : spectrum.stabilityLimit();
    }

    /**
     * The flat summary written to {@code theory.json}: named numbers ({@code output_layer_in_kernel} 1 means the kernel
     * is H∞ + κ²G∞; {@code loss_factor} is c in L = ½c‖u − y‖²), then the arrays {@code spectrum} (ascending)
     * and {@code projections} ((vᵢᵀy)², same order) when {@code withArrays}.
     */
    public Map<String, Object> summary(double delta, boolean withArrays) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", n);
        s.put("d", d);
        // Named numbers only (the shared theory.json format): flags as 0/1.
        s.put("output_layer_in_kernel", outputLayerTrained ? 1 : 0);
        s.put("eta", eta);
        s.put("eta_kernel", etaKernel);
        s.put("loss_factor", lossFactor());
        s.put("kappa", kappa);
        s.put("unit_norm_inputs", unitNorm ? 1 : 0);
        s.put("lambda_0", lambda0());
        s.put("lambda_max", lambdaMax());
        s.put("condition_number", lambdaMax() / lambda0());
        s.put("stability_limit_eta", stabilityLimitEta());
        s.put("du_rate", duRate());
        s.put("delta", delta);
        s.put("required_width", spectrum.requiredWidth(delta));
        s.put("gram_seconds", gramSeconds);
        s.put("spectrum_seconds", spectrumSeconds);
        if (y != null) {
            double q = spectrum.inverseQuadratic(y);
            s.put("y_norm_squared", dot(y, y));
            s.put("y_Hinv_y", q);
            s.put("generalisation_measure", Math.sqrt(2 * q / n));
        }
        if (withArrays) {
            s.put("spectrum", spectrum.values());
            if (y != null) {
                s.put("projections", spectrum.projections(y));
            }
        }
        return s;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
