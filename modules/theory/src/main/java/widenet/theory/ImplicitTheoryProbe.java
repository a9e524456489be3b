package widenet.theory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.tensor.FloatMatrix;
import widenet.train.Probe;

/**
 * The quantities of Gao, Liu, Liu, Rajan &amp; Gao (ICLR 2022) for an {@link ImplicitNetwork} trained by full-batch GD,
 * as metric columns and a summary for {@code theory.json}:
 * <ul>
 *   <li>{@code lambda_0} = λ₀ = λ_min(G∞) (a constant column, to draw λ_min(G(k)) against λ₀/2) and λ_max(G∞), G∞ = E_{w~N(0,I)}[relu(Xw) relu(Xw)ᵀ] the degree-1 arc-cosine kernel of the
 *       inputs ({@link InfiniteWidthGram#arcCosine}), once at set-up;</li>
 *   <li>{@code lambda_min_G} = λ_min(G(k)), G(k) = Φ(k)Φ(k)ᵀ, the matrix the proof bounds below by λ₀/2;</li>
 *   <li>{@code lambda_min_H} = λ_min(H(k)) of the full dynamics dŷ/dt = −H(ŷ − y) (their eq. 14), H = JJᵀ over the
 *       trained parameter groups, J's row i = ∂ŷᵢ/∂θ. Formed without J, as the deep networks' empirical NTK is
 *       ({@link EmpiricalNtk}), from outer-product Jacobians: ∂ŷᵢ/∂A = (γ/√m) pᵢzᵢᵀ, ∂ŷᵢ/∂W = s gᵢxᵢᵀ,
 *       ∂ŷᵢ/∂u = zᵢ, ∂ŷᵢ/∂v = φᵢ ({@link ImplicitNetwork#outputSensitivities}), so
 *       H = (γ²/m)(PPᵀ)⊙(ZZᵀ) + s²(GGᵀ)⊙(XXᵀ) + ZZᵀ + ΦΦᵀ — the paper's (γ²M + I)∘ZZᵀ + Q∘XXᵀ + ΦΦᵀ term by term;</li>
 *   <li>{@code lambda_min_zz} = λ_min(Z(k)Z(k)ᵀ), the equilibrium features' Gram (the u-term of H);</li>
 *   <li>{@code loss_bound} = L(0)·(1 − η'λ₀/2)^k, the GD theorem's envelope, with η' = η for the summed loss and η/n
 *       for the mean (a step η on the mean is a step η/n on the sum).</li>
 * </ul>
 * The Grams are formed in double ({@link FeatureGram}) and decomposed by {@link SymmetricEigen}: about n²·m
 * multiply-adds per Gram and an n×n eigenproblem, so they are evaluated every K steps and at the first and last
 * steps; {@code loss_bound} is cheap and on every row.
 *
 * <p>The theorem's conditions are reported with their hidden constants set to 1 (the paper gives none): the width
 * m ≥ (n²/λ₀)·log(n/δ) for GD as printed (gradient flow: (n²/λ₀²)·log(n/δ)) and the step α ≤ λ₀/n² for the summed
 * loss (η ≤ λ₀/n for the mean). They state how pessimistic the bounds are, not thresholds.
 */
public final class ImplicitTheoryProbe implements Probe, AutoCloseable {
    public static final List<String> NAMES =
            List.of("lambda_0", "lambda_min_G", "lambda_min_H", "lambda_min_zz", "loss_bound");

    private final Kernels kernels;
    private final FloatMatrix y;
    private final int n;
    private final double lr;
    private final LossKind loss;
    private final long every;
    private final long lastStep;
    private final double delta;
    private final double lambda0;
    private final double lambdaMax;
    private final double[] inner; // X Xᵀ in double
    private final FloatMatrix ones;
    private FloatMatrix pBuf, scratchBuf, gBuf; // n×m, allocated at the first evaluation
    private double loss0 = Double.NaN;
    private final Map<String, Object> initial = new LinkedHashMap<>();
    private final Map<String, Object> last = new LinkedHashMap<>();
    private double minG = Double.POSITIVE_INFINITY;
    private long minGStep = -1;
    private int width = -1;
    private long nanos;
    private final double setupSeconds;

    /**
     * @param x, y     the training data (n×d, n×1)
     * @param lr       the step η of the run
     * @param every    steps between the Gram evaluations ({@link Long#MAX_VALUE}: first and last only)
     * @param lastStep the run's last step (evaluated too)
     * @param delta    the failure probability δ in the width condition
     */
    public ImplicitTheoryProbe(
            Kernels kernels,
            FloatMatrix x,
            FloatMatrix y,
            double lr,
            LossKind loss,
            long every,
            long lastStep,
            double delta) {
        if (every < 1) {
            throw new IllegalArgumentException("probe cadence must be ≥ 1, got " + every);
        }
        long t0 = System.nanoTime();
        this.kernels = kernels;
        this.y = y;
        this.n = x.rows();
        this.lr = lr;
        this.loss = loss;
        this.every = every;
        this.lastStep = lastStep;
        this.delta = delta;
        SymmetricEigen g0 = InfiniteWidthGram.arcCosine(kernels, x).eigen(false);
        this.lambda0 = g0.min();
        this.lambdaMax = g0.max();
        this.inner = FeatureGram.rows(x);
        this.ones = FloatMatrix.allocate(n, 1);
        ones.fill(1f);
        nanos += System.nanoTime() - t0;
        setupSeconds = nanos / 1e9;
    }

    /** Seconds spent at set-up (G∞ and its eigenvalues). */
    public double setupSeconds() {
        return setupSeconds;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    /** Every row: the envelope is cheap; the Grams only every K steps and at the first and last. */
    @Override
    public long every() {
        return 1;
    }

    /** λ₀ = λ_min(G∞). */
    public double lambda0() {
        return lambda0;
    }
    /** λ_max(G∞). */
    public double lambdaMax() {
        return lambdaMax;
    }

    /** The step in the units of ‖ŷ − y‖²'s recursion: η (sum) or η/n (mean). */
    private double effectiveStep() {
        return loss == LossKind.SUM ? lr : lr / n;
    }

    /** The GD theorem's per-step factor 1 − η'λ₀/2. */
    public double predictedRate() {
        return 1 - effectiveStep() * lambda0 / 2;
    }

    @Override
    public void measure(Network network, long step, double[] out) {
        if (!(network instanceof ImplicitNetwork net)) {
            throw new IllegalArgumentException(
                    "Gao et al.'s quantities are defined for the implicit network, not " + network.kind());
        }
        long t0 = System.nanoTime();
        width = net.config().width();
        if (step == 0) {
            loss0 = currentLoss(net);
            minG = Double.POSITIVE_INFINITY;
            minGStep = -1;
        }
        out[0] = lambda0;
        out[4] = loss0 * Math.pow(predictedRate(), step);
        if (step == 0 || step == lastStep || step % every == 0) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("step", step);
            double[] zz = FeatureGram.rows(net.equilibrium());
            double[] ff = FeatureGram.rows(net.features());
            double lg = SymmetricEigen.of(ff, n, false).min();
            SymmetricEigen he = SymmetricEigen.of(ntk(net, zz, ff), n, false);
            double lh = he.min();
            double lz = SymmetricEigen.of(zz, n, false).min();
            out[1] = lg;
            out[2] = lh;
            out[3] = lz;
            if (lg < minG) {
                minG = lg;
                minGStep = step;
            }
            record.put("lambda_min_G", lg);
            record.put("lambda_min_H", lh);
            record.put("lambda_max_H", he.max());
            record.put("lambda_min_zz", lz);
            if (step == 0) {
                initial.clear();
                initial.putAll(record);
            }
            last.clear();
            last.putAll(record);
        } else {
            out[1] = Double.NaN;
            out[2] = Double.NaN;
            out[3] = Double.NaN;
        }
        nanos += System.nanoTime() - t0;
    }

    /**
     * H = JJᵀ over the trained groups (n×n, row-major, double), from ZZᵀ and ΦΦᵀ (given) and, when A or W is trained,
     * PPᵀ and GGᵀ of the output sensitivities.
     */
    double[] ntk(ImplicitNetwork net, double[] zz, double[] ff) {
        ImplicitNetwork.Config c = net.config();
        double[] h = new double[n * n];
        if (c.trains("u")) {
            add(h, zz);
        }
        if (c.outputSkip() && c.trains("v")) {
            add(h, ff);
        }
        if (c.trains("A") || c.trains("W")) {
            int m = c.width();
            if (pBuf == null || pBuf.cols() != m) {
                closeBuffers();
                pBuf = FloatMatrix.allocate(n, m);
                scratchBuf = FloatMatrix.allocate(n, m);
                gBuf = FloatMatrix.allocate(n, m);
            }
            net.outputSensitivities(ones, pBuf, scratchBuf, gBuf);
            if (c.trains("A")) {
                double a2 = net.equilibriumScale() * net.equilibriumScale();
                double[] pp = FeatureGram.rows(pBuf);
                for (int i = 0; i < h.length; i++) {
                    h[i] += a2 * pp[i] * zz[i];
                }
            }
            if (c.trains("W")) {
                double s2 = net.featureScale() * net.featureScale();
                double[] gg = FeatureGram.rows(gBuf);
                for (int i = 0; i < h.length; i++) {
                    h[i] += s2 * gg[i] * inner[i];
                }
            }
        }
        return h;
    }

    private static void add(double[] h, double[] x) {
        for (int i = 0; i < h.length; i++) {
            h[i] += x[i];
        }
    }

    /** ½c‖ŷ − y‖² of the network's last forward pass (c = 1 or 1/n). */
    private double currentLoss(ImplicitNetwork net) {
        FloatMatrix yhat = net.predictions();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = (double) yhat.get(i, 0) - y.get(i, 0);
            s += r * r;
        }
        return 0.5 * (loss == LossKind.SUM ? 1 : 1.0 / n) * s;
    }

    /** m ≥ (n²/λ₀)·log(n/δ), the GD theorem's width as printed, constant 1. */
    public double requiredWidthGd() {
        return (double) n * n / lambda0 * Math.log(n / delta);
    }

    /** m ≥ (n²/λ₀²)·log(n/δ), the gradient-flow theorem's width, constant 1. */
    public double requiredWidthFlow() {
        return (double) n * n / (lambda0 * lambda0) * Math.log(n / delta);
    }

    /** The largest step the GD theorem allows, α = λ₀/n² on the summed loss (λ₀/n on the mean), constant 1. */
    public double stepBound() {
        double sum = lambda0 / ((double) n * n);
        return loss == LossKind.SUM ? sum : sum * n;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    /** λ₀, λ_max, the conditions and the measured Grams at the first and last evaluation, for theory.json. */
    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", "implicit");
        s.put("paper", "Gao, Liu, Liu, Rajan & Gao, ICLR 2022 (arXiv 2110.05645)");
        s.put("n", n);
        s.put("lambda_0", lambda0);
        s.put("lambda_max_G_inf", lambdaMax);
        s.put("lambda_0_half", lambda0 / 2);
        s.put("lambda_min_G_min", Double.isInfinite(minG) ? null : minG);
        s.put("lambda_min_G_min_step", minGStep < 0 ? null : minGStep);
        s.put("lambda_min_G_above_half_lambda_0", Double.isInfinite(minG) ? null : minG >= lambda0 / 2);
        s.put("lr", lr);
        s.put("loss", loss.toString());
        s.put("predicted_rate", predictedRate());
        s.put("loss_0", loss0);
        s.put("step_bound", stepBound());
        s.put("step_within_bound", lr <= stepBound());
        s.put("delta", delta);
        s.put("width", width);
        s.put("required_width_gd", requiredWidthGd());
        s.put("required_width_flow", requiredWidthFlow());
        s.put("width_within_bound", width >= requiredWidthGd());
        s.put(
                "constants",
                "the theorems' hidden constants are set to 1: width m >= (n^2/lambda_0) log(n/delta) (GD, as printed;"
                        + " gradient flow: n^2/lambda_0^2), step <= lambda_0/n^2 on the summed loss (lambda_0/n on the mean)");
        s.put("init", new LinkedHashMap<>(initial));
        s.put("last", new LinkedHashMap<>(last));
        s.put("seconds", seconds());
        return s;
    }

    private void closeBuffers() {
        for (FloatMatrix b : new FloatMatrix[] {pBuf, scratchBuf, gBuf}) {
            if (b != null) {
                b.close();
            }
        }
    }

    @Override
    public void close() {
        closeBuffers();
        ones.close();
    }
}
