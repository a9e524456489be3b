package widenet.theory.eigen;

/** Householder reflectors (LAPACK's dlarfg), shared by the reductions. */
final class Householder {
    private Householder() {}

    /**
     * On x = a[x0 .. x0+len): chooses τ and v with (I − τvvᵀ) x = β e₁, β = −sign(x₁)‖x‖, τ = (β − x₁)/β,
     * v = (1, x₂.. / (x₁ − β)); stores v's tail over x's and τ in {@code tau[ti]}, returns β (x₁ itself is left for
     * the caller to overwrite). τ = 0 (H = I) when x's tail is zero or len ≤ 1.
     */
    static double reflect(double[] a, int x0, int len, double[] tau, int ti) {
        double alpha = a[x0];
        double xnorm = len > 1 ? norm(a, x0 + 1, len - 1) : 0;
        if (xnorm == 0) {
            tau[ti] = 0;
            return alpha;
        }
        double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
        tau[ti] = (beta - alpha) / beta;
        DoubleKernels.scale(1 / (alpha - beta), a, x0 + 1, len - 1);
        return beta;
    }

    /** ‖a[off .. off+len)‖₂, rescaled when the plain sum of squares would under- or overflow. */
    static double norm(double[] a, int off, int len) {
        double ss = DoubleKernels.dot(a, off, a, off, len);
        if (ss > 1e-280 && ss < 1e280) {
            return Math.sqrt(ss);
        }
        double scale = 0;
        for (int i = 0; i < len; i++) {
            scale = Math.max(scale, Math.abs(a[off + i]));
        }
        if (scale == 0) {
            return 0;
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            double x = a[off + i] / scale;
            s += x * x;
        }
        return scale * Math.sqrt(s);
    }
}
