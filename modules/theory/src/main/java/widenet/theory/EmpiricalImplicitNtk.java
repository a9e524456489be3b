package widenet.theory;

import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.tensor.FloatMatrix;

/**
 * The empirical NTK H = JJᵀ (n×n, double) of an {@link ImplicitNetwork} at its last forward pass, over the trained
 * parameter groups — Gao et al.'s eq. (14) term by term, as {@link ImplicitTheoryProbe} forms it:
 * H = [u] ZZᵀ + [v] ΦΦᵀ + [A] (γ²/m)(PPᵀ)⊙(ZZᵀ) + [W] s²(GGᵀ)⊙(XXᵀ), from the output sensitivities
 * ({@link ImplicitNetwork#outputSensitivities}); the Grams in double ({@link FeatureGram}).
 */
public final class EmpiricalImplicitNtk {
    private EmpiricalImplicitNtk() {}

    /** H for the rows x of the network's last forward pass (x is that pass's input). */
    public static double[] compute(Kernels kernels, ImplicitNetwork net, FloatMatrix x) {
        ImplicitNetwork.Config c = net.config();
        int n = x.rows();
        if (net.equilibrium().rows() != n) {
            throw new IllegalArgumentException(
                    "the last forward pass had " + net.equilibrium().rows() + " rows, x has " + n);
        }
        double[] zz = FeatureGram.rows(net.equilibrium());
        double[] h = new double[n * n];
        if (c.trains("u")) {
            add(h, 1, zz);
        }
        if (c.outputSkip() && c.trains("v")) {
            add(h, 1, FeatureGram.rows(net.features()));
        }
        if (c.trains("A") || c.trains("W")) {
            int m = c.width();
            try (FloatMatrix ones = FloatMatrix.allocate(n, 1);
                    FloatMatrix p = FloatMatrix.allocate(n, m);
                    FloatMatrix scratch = FloatMatrix.allocate(n, m);
                    FloatMatrix g = FloatMatrix.allocate(n, m)) {
                ones.fill(1f);
                net.outputSensitivities(ones, p, scratch, g);
                if (c.trains("A")) {
                    double a2 = net.equilibriumScale() * net.equilibriumScale();
                    double[] pp = FeatureGram.rows(p);
                    for (int i = 0; i < h.length; i++) {
                        h[i] += a2 * pp[i] * zz[i];
                    }
                }
                if (c.trains("W")) {
                    double s2 = net.featureScale() * net.featureScale();
                    double[] gg = FeatureGram.rows(g);
                    double[] xx = FeatureGram.rows(x);
                    for (int i = 0; i < h.length; i++) {
                        h[i] += s2 * gg[i] * xx[i];
                    }
                }
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
