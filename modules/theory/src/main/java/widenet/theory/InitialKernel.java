package widenet.theory;

import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.tensor.FloatMatrix;
import widenet.theory.eigen.LanczosExtremes;

/**
 * The empirical neural tangent kernel K(0) = JJᵀ of any of widenet's networks at its current (initial) weights, and
 * the step {@code --lr auto} derives from it.
 *
 * <p>Why η = c/λ_max(K(0)): near initialisation GD on the summed loss moves the predictions as
 * u(k+1) − u(k) ≈ −ηK(u(k) − y), a linear map whose error components shrink by |1 − ηλᵢ| per step, so it is stable
 * only for η &lt; 2/λ_max. c = 1 (the default) halves that limit: the slowest-to-converge top direction then
 * contracts at once (1 − ηλ_max = 0) and the margin of 2 absorbs the kernel's drift during training (λ_max(K(k))
 * rises with k in the deep networks, "progressive sharpening") and the Hessian's residual term Σᵢ rᵢ∇²fᵢ that the
 * linearisation drops. With the mean loss (1/2n)Σᵢ(…)² the same step on the sum is η/n, so η = c·n/λ_max.
 * K is formed in double (n² values) and its λ_max found by Lanczos ({@link LanczosExtremes#largest}), not by a
 * full eigen-decomposition.
 */
public final class InitialKernel {
    /** c in η = c/λ_max(K(0)) when {@code --lr auto} gives none. */
    public static final double DEFAULT_FACTOR = 1.0;

    private InitialKernel() {}

    /**
     * K = JJᵀ (n×n, row-major, double, one output) of {@code net} on the rows of x at its current weights: a forward
     * pass on (x, y), then {@link EmpiricalKernel#of}.
     */
    public static double[] empirical(Kernels kernels, Network net, FloatMatrix x, FloatMatrix y) {
        if (net.outputDim() != 1) {
            throw new IllegalArgumentException(
                    "the empirical NTK is formed for one output; the network has " + net.outputDim());
        }
        net.forward(x, y);
        return EmpiricalKernel.of(kernels, net, x);
    }

    /** Relative accuracy of {@link #lambdaMax}: η is then known far better than any use of it needs. */
    static final double LAMBDA_MAX_TOLERANCE = 1e-10;

    /** Most Lanczos steps {@link #lambdaMax} takes: K(0)'s top eigenvalue is certified in tens. */
    static final int LAMBDA_MAX_STEPS = 300;

    /**
     * λ_max(K(0)) of {@code net} on (x, y), by Lanczos with full reorthogonalisation, stopping when λ_max alone is
     * certified to {@link #LAMBDA_MAX_TOLERANCE} relative; the products Kv on {@code kernels.threads()} threads.
     */
    public static double lambdaMax(Kernels kernels, Network net, FloatMatrix x, FloatMatrix y) {
        double[] k = empirical(kernels, net, x, y);
        return LanczosExtremes.largest(k, x.rows(), kernels.threads(), LAMBDA_MAX_TOLERANCE, LAMBDA_MAX_STEPS)
                .max();
    }

    /** η = c/λ_max for the summed loss, c·n/λ_max for the mean over n samples. */
    public static double step(double c, double lambdaMax, LossKind loss, int n) {
        return loss == LossKind.SUM ? c / lambdaMax : c * n / lambdaMax;
    }
}
