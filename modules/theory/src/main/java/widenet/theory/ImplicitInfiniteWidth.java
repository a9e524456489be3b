package widenet.theory;

import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/**
 * The infinite-width limit of the implicit network's NTK H(0) = JJᵀ at Gao et al.'s initialisation (A, W ~ N(0, 1),
 * u, v Rademacher, φ = relu(Wx)/√m, all four trained), to leading order in γ — our derivation, not the paper's: for
 * small γ the equilibrium is z* = φ + O(γ), the activation D ≈ 1{Wx &gt; 0}, and the output sensitivity
 * p = D(Ãᵀp + u) ≈ D u, so term by term (θᵢⱼ the angle between xᵢ and xⱼ, unit inputs):
 * <pre>
 *   u:  ZZᵀ → G∞                        v:  ΦΦᵀ → G∞
 *   W:  s²(GGᵀ)⊙XXᵀ, gᵣ = (uᵣ + vᵣ)1{wᵣᵀx &gt; 0}, E(uᵣ + vᵣ)² = 2  →  2 H∞
 *   A:  (γ²/m)(PPᵀ)⊙ZZᵀ, (1/m)Σᵣ pᵣ(xᵢ)pᵣ(xⱼ) → (π − θᵢⱼ)/(2π)   →  γ² K⁰⊙G∞
 *   H∞_implicit ≈ 2G∞ + 2H∞ + γ² K⁰⊙G∞
 * </pre>
 * with G∞ the degree-1 arc-cosine kernel and H∞ Du et al.'s NTK ({@link InfiniteWidthGram}). Its λ_max sets the
 * step: GD on the linearised predictions is stable for η &lt; 2/λ_max on the summed loss, so η = 1/λ_max is the
 * largest step with a margin of 2 — the derivation {@code reproduce gao2022} uses for the step the paper does not give.
 */
public final class ImplicitInfiniteWidth {
    private ImplicitInfiniteWidth() {}

    /** 2G∞ + 2H∞ + γ²K⁰⊙G∞ of the rows of x. */
    public static Gram ntk(Kernels kernels, FloatMatrix x, double gamma) {
        try (FloatMatrix inner = InfiniteWidthGram.inner(kernels, x)) {
            Gram g = InfiniteWidthGram.arcCosineFromInner(inner);
            Gram h = InfiniteWidthGram.ntkFromInner(inner);
            int n = x.rows();
            double[] out = new double[n * n];
            double[] gv = g.raw(), hv = h.raw();
            for (int i = 0; i < n; i++) {
                double ni = Math.sqrt(Math.max(0, inner.get(i, i)));
                for (int j = 0; j < n; j++) {
                    double nj = Math.sqrt(Math.max(0, inner.get(j, j)));
                    double c = ni == 0 || nj == 0 ? 0 : Math.max(-1, Math.min(1, inner.get(i, j) / (ni * nj)));
                    double k0 = (Math.PI - Math.acos(c)) / (2 * Math.PI);
                    out[i * n + j] = 2 * gv[i * n + j] + 2 * hv[i * n + j] + gamma * gamma * k0 * gv[i * n + j];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double s = 0.5 * (out[i * n + j] + out[j * n + i]);
                    out[i * n + j] = s;
                    out[j * n + i] = s;
                }
            }
            return new Gram(n, out);
        }
    }
}
