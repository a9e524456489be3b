package widenet.theory;

import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.Network;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The empirical neural tangent kernel K = J Jᵀ of any of widenet's networks with one output, over its trained
 * parameters, at the state of its last forward pass (on the N rows of {@code x}): J's row i is ∂f(xᵢ)/∂θ. Each model
 * forms it without J from its outer-product Jacobians, in double (the Grams by {@link FeatureGram}):
 * <ul>
 *   <li>two-layer (Du et al. 2019): ∂f/∂w_r = (1/√m) a_r 1{w_rᵀx ≥ 0} x and ∂f/∂a_r = (1/√m) relu(w_rᵀx), so
 *       K = (1/m)(XXᵀ)⊙(S diag(a²) Sᵀ) [+ (1/m) relu(XWᵀ) relu(XWᵀ)ᵀ when a is trained] — H(k) of eq. (5) when
 *       a = ±1;</li>
 *   <li>deep: the layer recursion of {@link EmpiricalNtk};</li>
 *   <li>implicit (Gao et al. 2022, eq. 14): (γ²/m)(PPᵀ)⊙(ZZᵀ) + s²(GGᵀ)⊙(XXᵀ) + ZZᵀ + ΦΦᵀ over the trained groups, the
 *       sensitivities P, G from {@link ImplicitNetwork#outputSensitivities} (as {@link ImplicitTheoryProbe}).</li>
 * </ul>
 * Cost: a few N×N Grams of N×m (N×n_l) matrices, N²·m multiply-adds each, and N×m float buffers for the call.
 */
public final class EmpiricalKernel {
    private EmpiricalKernel() {}

    /** K (N×N, row-major) of {@code net} at its last forward pass, which was on the N rows of {@code x}. */
    public static double[] of(Kernels kernels, Network net, FloatMatrix x) {
        if (net.outputDim() != 1) {
            throw new IllegalArgumentException(
                    "the empirical NTK here is for one output; the network has " + net.outputDim());
        }
        return switch (net) {
            case TwoLayerNetwork t -> twoLayer(kernels, t, x);
            case DeepNetwork d -> EmpiricalNtk.compute(kernels, d);
            case ImplicitNetwork i -> implicit(i, x);
            default -> throw new IllegalArgumentException("no empirical NTK for the " + net.kind() + " network");
        };
    }

    private static double[] twoLayer(Kernels kernels, TwoLayerNetwork net, FloatMatrix x) {
        FloatMatrix mask = net.activationMask();
        int n = x.rows(), m = net.config().width();
        if (mask.rows() != n) {
            throw new IllegalArgumentException("the last forward pass had " + mask.rows() + " rows, x has " + n);
        }
        FloatMatrix a = net.outputWeights();
        double[] k;
        try (FloatMatrix weighted = FloatMatrix.allocate(n, m)) {
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < m; r++) {
                    weighted.set(i, r, mask.get(i, r) * Math.abs(a.get(r, 0))); // S diag(|a|)
                }
            }
            k = FeatureGram.rows(weighted);
        }
        double[] inner = FeatureGram.rows(x);
        for (int i = 0; i < k.length; i++) {
            k[i] *= inner[i] / m;
        }
        if (net.config().trainOutputLayer()) {
            try (FloatMatrix h = FloatMatrix.allocate(n, m)) {
                kernels.gemm(Op.N, Op.T, 1f, x, net.weights(), 0f, h); // X Wᵀ
                kernels.hadamard(h, mask, h); // relu(X Wᵀ) (S is 0 where XWᵀ < 0)
                double[] hh = FeatureGram.rows(h);
                for (int i = 0; i < k.length; i++) {
                    k[i] += hh[i] / m;
                }
            }
        }
        return k;
    }

    /** Gao et al.'s H = JJᵀ at the implicit network's last forward pass on {@code x}. */
    static double[] implicit(ImplicitNetwork net, FloatMatrix x) {
        int n = x.rows();
        if (net.equilibrium().rows() != n) {
            throw new IllegalArgumentException(
                    "the last forward pass had " + net.equilibrium().rows() + " rows, x has " + n);
        }
        double[] zz = FeatureGram.rows(net.equilibrium());
        double[] ff = FeatureGram.rows(net.features());
        ImplicitNetwork.Config c = net.config();
        if (!c.trains("A") && !c.trains("W")) {
            return implicit(net, x, zz, ff, null, null);
        }
        int m = c.width();
        try (FloatMatrix ones = FloatMatrix.allocate(n, 1);
                FloatMatrix p = FloatMatrix.allocate(n, m);
                FloatMatrix scratch = FloatMatrix.allocate(n, m);
                FloatMatrix g = FloatMatrix.allocate(n, m)) {
            ones.fill(1f);
            net.outputSensitivities(ones, p, scratch, g);
            return implicit(net, x, zz, ff, p, g);
        }
    }

    /**
     * H from ZZᵀ and ΦΦᵀ (given) and the output sensitivities P, G (null when neither A nor W is trained).
     */
    private static double[] implicit(
            ImplicitNetwork net, FloatMatrix x, double[] zz, double[] ff, FloatMatrix p, FloatMatrix g) {
        ImplicitNetwork.Config c = net.config();
        double[] h = new double[zz.length];
        if (c.trains("u")) {
            add(h, 1, zz);
        }
        if (c.outputSkip() && c.trains("v")) {
            add(h, 1, ff);
        }
        if (p != null && c.trains("A")) {
            double a2 = net.equilibriumScale() * net.equilibriumScale();
            double[] pp = FeatureGram.rows(p);
            for (int i = 0; i < h.length; i++) {
                h[i] += a2 * pp[i] * zz[i];
            }
        }
        if (g != null && c.trains("W")) {
            double s2 = net.featureScale() * net.featureScale();
            double[] gg = FeatureGram.rows(g);
            double[] inner = FeatureGram.rows(x);
            for (int i = 0; i < h.length; i++) {
                h[i] += s2 * gg[i] * inner[i];
            }
        }
        return h;
    }

    private static void add(double[] h, double c, double[] x) {
        for (int i = 0; i < h.length; i++) {
            h[i] += c * x[i];
        }
    }
}
