package widenet.model;

import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The two fixed-point iterations of the {@link ImplicitNetwork}, batched over b samples (rows), on double buffers the
 * network owns: the equilibrium Z ← relu(Z Ãᵀ + Φ) and the masked adjoint P ← D ⊙ (P Ã + c·r uᵀ), each until the
 * relative change ‖X_{t+1} − X_t‖_F / ‖X_{t+1}‖_F is within tol, within the iteration budget. Ã = α·A, α = γ/√m.
 *
 * <p>A solve that does not reach the tolerance, or whose iterates overflow, is reported ({@link #failed()}, with the
 * iterations and the last residual), not thrown: what it means (NaN weights from a too-large step, or a fixed point
 * that does not exist or is not reached) is the network's to decide. Allocates nothing.
 */
final class FixedPointIterations {
    private static final Activation RELU = Activation.relu(false); // σ′(0) = 0: D = 1{h > 0}
    private final Kernels kernels;
    private final FloatMatrix a;
    private final FloatVec u;
    private final float alpha;
    private final double tol;
    private final int maxIterations;

    private int iterations;
    private double residual = Double.NaN;
    private boolean failed;

    FixedPointIterations(Kernels kernels, FloatMatrix a, FloatVec u, float alpha, ImplicitNetwork.Solver solver) {
        this.kernels = kernels;
        this.a = a;
        this.u = u;
        this.alpha = alpha;
        this.tol = solver.tol();
        this.maxIterations = solver.maxIterations();
    }

    /** Iterations of the last solve (counting a cold start's first iterate). */
    int iterations() {
        return iterations;
    }
    /** The relative change at the end of the last solve (NaN: the iterates overflowed). */
    double residual() {
        return residual;
    }
    /** Whether the last solve stopped without reaching the tolerance (budget exhausted or overflow). */
    boolean failed() {
        return failed;
    }

    double tol() {
        return tol;
    }

    /**
     * Z ← relu(Z Ãᵀ + Φ) with D = 1{Z Ãᵀ + Φ &gt; 0} written by {@code relu} (the epilogue writing {@code mask}). Starts
     * from {@code z[current]} when {@code warm}, otherwise from Z = 0 (first iterate relu(Φ)). Returns the index of the
     * buffer holding the last iterate.
     */
    int forward(FloatMatrix phi, FloatMatrix[] z, int current, boolean warm, FloatMatrix mask, Epilogue epilogue) {
        int iterations = 0;
        double res = Double.POSITIVE_INFINITY;
        if (!warm) {
            current = 1 - current;
            kernels.activate(RELU, phi, z[current], mask); // Z₁ = relu(Ã·0 + Φ)
            iterations = 1;
            res = firstResidual(z[current]);
        }
        while (!(res <= tol)) {
            if (iterations >= maxIterations || !Double.isFinite(res) && iterations > 0) {
                return finish(iterations, res, true, current);
            }
            FloatMatrix cur = z[current], next = z[1 - current];
            kernels.copy(phi, next);
            kernels.gemm(Op.N, Op.T, alpha, cur, a, 1f, next, epilogue); // Z' = relu(Z Ãᵀ + Φ), D
            iterations++;
            res = relativeChange(next, cur);
            current = 1 - current;
        }
        return finish(iterations, res, false, current);
    }

    /**
     * P ← D ⊙ (P Ã + c·r uᵀ) (the adjoint pᵢ = Dᵢwᵢ of (I − ÃᵀDᵢ)wᵢ = c·rᵢ·u, as rows), starting from
     * {@code p[current]} when {@code warm}, otherwise from P = 0 (first iterate D ⊙ c·r uᵀ). Returns the index of the
     * buffer holding the last iterate.
     */
    int adjoint(float c, FloatVec r, FloatMatrix mask, FloatMatrix[] p, int current, boolean warm) {
        int iterations = 0;
        double res = Double.POSITIVE_INFINITY;
        if (!warm) {
            current = 1 - current;
            kernels.scaleOuterMasked(c, r, u, mask, p[current]); // P₁ = D ⊙ c r uᵀ
            iterations = 1;
            res = firstResidual(p[current]);
        }
        while (!(res <= tol)) {
            if (iterations >= maxIterations || !Double.isFinite(res) && iterations > 0) {
                return finish(iterations, res, true, current);
            }
            FloatMatrix cur = p[current], next = p[1 - current];
            kernels.scaleOuterMasked(c, r, u, mask, next); // D ⊙ c r uᵀ
            kernels.gemm(Op.N, Op.N, alpha, cur, a, 1f, next); //   + P Ã
            kernels.hadamard(next, mask, next); // D ⊙ (…)
            iterations++;
            res = relativeChange(next, cur);
            current = 1 - current;
        }
        return finish(iterations, res, false, current);
    }

    private int finish(int iterations, double res, boolean failed, int current) {
        this.iterations = iterations;
        this.residual = res;
        this.failed = failed;
        return current;
    }

    /** The relative change of a cold start's first iterate from 0: 1, or 0 if it is 0 too, NaN if not finite. */
    private double firstResidual(FloatMatrix first) {
        double norm = kernels.sumOfSquares(first);
        return !Double.isFinite(norm) ? Double.NaN : norm > 0 ? 1 : 0;
    }

    /** ‖next − prev‖_F / ‖next‖_F (0 when both are 0, +∞ when only next is 0, NaN when anything overflowed). */
    private double relativeChange(FloatMatrix next, FloatMatrix prev) {
        double diff = kernels.sumOfSquaredDifferences(next, prev);
        double norm = kernels.sumOfSquares(next);
        if (!Double.isFinite(diff) || !Double.isFinite(norm)) {
            return Double.NaN;
        }
        if (norm == 0) {
            return diff == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(diff / norm);
    }
}
