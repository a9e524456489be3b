package widenet.kernel.simd;

/**
 * The smooth leaky ReLU σ(x) = αx + (1−α)·softplus(βx)/β and σ′(x) = α + (1−α)·sigmoid(βx) in float, with exp and
 * log1p as fixed polynomials — only IEEE add, subtract, multiply, divide, fused multiply-add and exact integer bit
 * operations, in a fixed order. Such a result does not depend on the compilation tier (interpreter, C1, C2 all
 * round these operations the same way), on the vector width or on the lane: {@link VectorActivation} performs
 * exactly these operations lane-wise, and row tails call this class, so every element gets the same bits wherever
 * it is computed. The Vector API's {@code EXP}/{@code LOG} do not have that property: C2 calls an intrinsic stub, the
 * interpreter and C1 a Java fallback, and their last bits differ (issue 17's non-deterministic runs).
 *
 * <p>Accuracy (against the double-precision reference {@link widenet.kernel.Activation}): e = exp(a) for a ≤ 0 by
 * Cody–Waite reduction a = n·ln2 + r, |r| ≤ ln2/2, and the degree-7 Taylor polynomial of eʳ (truncation ≤ 5·10⁻⁹
 * relative): within 3u (u = 2⁻²⁴). log1p(e) for e ∈ [0, 1] as 2·atanh(s), s = e/(2 + e) ∈ [0, 1/3], by its series to
 * s¹⁷ (truncation ≤ 2·10⁻⁹ relative): within 6u of log1p(e), plus e's error. Below a = −87 the exponential is
 * flushed to 0 (the reference's value there is under 2⁻¹²⁵, which changes σ by less than the smallest normal float).
 */
final class SmoothLeakyMath {
    /** The Taylor coefficients 1/k! of eʳ, k = 7 down to 0. */
    static final float E7 = 1f / 5040, E6 = 1f / 720, E5 = 1f / 120, E4 = 1f / 24, E3 = 1f / 6, E2 = 0.5f;
    /** log2(e); ln2 split as LN2_HI + LN2_LO with LN2_HI the float nearest ln2. */
    static final float LOG2E = 1.44269504f, LN2_HI = 0.693147182f, LN2_LO = -1.90465421e-09f;
    /** 1.5·2²³: adding it rounds a float of magnitude &lt; 2²² to an integer, which sits in the low mantissa bits. */
    static final float ROUNDER = 12582912f;

    static final int ROUNDER_BITS = 0x4B400000;
    /** Below this exponent argument e is flushed to 0 (2ⁿ would be subnormal). */
    static final float EXP_MIN = -87f;
    /** 2/(2k + 1) for k = 8 down to 0: log1p(e) = 2·atanh(s) = s·Σ 2/(2k+1)·s²ᵏ. */
    static final float L8 = 2f / 17,
            L7 = 2f / 15,
            L6 = 2f / 13,
            L5 = 2f / 11,
            L4 = 2f / 9,
            L3 = 2f / 7,
            L2 = 2f / 5,
            L1 = 2f / 3,
            L0 = 2f;

    private SmoothLeakyMath() {}

    /** e^a for a ≤ 0 (NaN stays NaN, −∞ gives 0). */
    static float expNonPositive(float a) {
        boolean under = a < EXP_MIN;
        float ac = under ? EXP_MIN : a;
        float k = ac * LOG2E + ROUNDER;
        float n = k - ROUNDER;
        float r = Math.fma(-n, LN2_HI, ac);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(E7, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(k) - ROUNDER_BITS + 127) << 23);
        float e = p * scale;
        return under ? 0f : e;
    }

    /** log(1 + e) for e ∈ [0, 1]. */
    static float log1pUnit(float e) {
        float s = e / (2f + e);
        float s2 = s * s;
        float q = Math.fma(L8, s2, L7);
        q = Math.fma(q, s2, L6);
        q = Math.fma(q, s2, L5);
        q = Math.fma(q, s2, L4);
        q = Math.fma(q, s2, L3);
        q = Math.fma(q, s2, L2);
        q = Math.fma(q, s2, L1);
        q = Math.fma(q, s2, L0);
        return q * s;
    }

    /** σ(x) = αx + (1−α)·softplus(βx)/β, softplus(t) = max(t, 0) + log1p(e^−|t|). */
    static float value(float x, float alpha, float beta) {
        float t = x * beta;
        float e = expNonPositive(-Math.abs(t));
        float softplus = (t < 0f ? 0f : t) + log1pUnit(e);
        return x * alpha + softplus * (1f - alpha) / beta;
    }

    /** σ′(x) = α + (1−α)·sigmoid(βx), sigmoid(t) = (t ≥ 0 ? 1 : e)/(1 + e), e = e^−|t|. */
    static float derivative(float x, float alpha, float beta) {
        float t = x * beta;
        float e = expNonPositive(-Math.abs(t));
        float num = t >= 0f ? 1f : e;
        return num / (e + 1f) * (1f - alpha) + alpha;
    }
}
