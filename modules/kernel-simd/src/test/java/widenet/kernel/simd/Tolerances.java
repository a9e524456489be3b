package widenet.kernel.simd;

import widenet.kernel.Activation;

/**
 * Every error bound the tests allow between the SIMD and the scalar provider, derived here in one place. Both
 * providers compute in float (unit roundoff u = 2⁻²⁴) but round in different orders (blocked K, FMA, vector lanes),
 * so each bound is the sum of the two providers' own worst-case errors against exact arithmetic.
 */
final class Tolerances {
    /** Unit roundoff of float. */
    static final double U = 0x1p-24;

    private Tolerances() {}

    /** γ_n = n·u/(1 − n·u): the classic bound on the relative error of n chained roundings (Higham, §3.1). */
    static double gamma(int n) {
        double nu = n * U;
        return nu / (1 - nu);
    }

    /**
     * Bound on |ĉ_simd − ĉ_scalar| for one element of α·Σ_p a_ip·b_pj + β·c_ij, given the magnitude
     * {@code mag} = |α|·Σ_p |a_ip·b_pj| + |β·c_ij|.
     *
     * <p>Derivation: any order of summing k products, with or without FMA, in one accumulator or in KC blocks added
     * to C one after another, has |error| ≤ γ_k·Σ|a_ip·b_pj| (each product and partial sum is rounded at most once per
     * step along its path to the result, and no path is longer than k + the number of blocks). Scaling by α, β·c and
     * the final additions add at most 3 more roundings, and up to ⌈k/KC⌉ block additions — both fit in γ_{k+4} as
     * long as there are fewer blocks than products, which holds for every k ≥ 1. Two providers: twice that. This is
     * the worst case (≈ √k times what random data typically shows), yet still far tighter than any indexing mistake
     * would produce: dropping or repeating one product changes an element by about mag/k, which exceeds 2γ_{k+4}·mag
     * by a factor of 1/(2k·u) > 30 for every k the tests use (k ≤ 10⁵).
     */
    static double gemm(int k, double mag) {
        return 2 * gamma(k + 4) * mag;
    }

    /**
     * Bound on the difference of a sum of n terms with magnitudes summing to {@code mag}, one provider summing in
     * float in index order, the other in float lanes and chunks combined in double: 2γ_n·mag (worst case, as above).
     */
    static double sum(long n, double mag) {
        return 2 * gamma((int) Math.min(n + 2, Integer.MAX_VALUE / 2)) * mag;
    }

    /**
     * Bound on the SIMD smooth leaky ReLU σ(x) against {@link Activation#apply}. The reference evaluates softplus in
     * double (≤ 1 float rounding). The SIMD code works in float: e = EXP(−|βx|) (≤ 1 ulp ≤ 2u relative),
     * log1p(e) = LOG(w)·e/(w − 1) with w = 1 ⊕ e, which is within 5u of log1p of its argument when LOG is correctly
     * rounded (Goldberg 1991, thm. 4) — say 8u with a 1-ulp LOG — and log1p's condition number at e &gt; 0 is ≤ 1, so
     * it carries e's 2u too; adding max(βx, 0) rounds once more: softplus within 11u. The final αx + (1−α)·sp/β
     * rounds 4 times in each implementation. The two terms may have opposite signs (σ crosses 0 at some x &lt; 0), so
     * the bound is relative to |αx| + |(1−α)·sp/β|, not to |σ(x)|: (11 + 4 + 1 + 4)u = 20u, rounded up to 24u.
     */
    static double smoothLeakyValue(Activation act, float x) {
        double a = act.alpha();
        double b = act.beta();
        double t = b * x;
        double softplus = Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
        return 24 * U * (Math.abs(a * x) + (1 - a) * softplus / b);
    }

    /**
     * Bound on the SIMD σ′(x) = α + (1−α)·sigmoid(βx) against {@link Activation#derivative}: sigmoid from one vector
     * EXP (≤ 2u), the rounded 1 + e and a divide in float, against the reference's double evaluation rounded once;
     * then a multiply and an add on both sides. All terms are positive, so the bound is relative: 16u·σ′(x).
     */
    static double smoothLeakyDerivative(Activation act, float x) {
        return 16 * U * Math.abs(act.derivative(x));
    }
}
