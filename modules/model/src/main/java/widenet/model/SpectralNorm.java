package widenet.model;

import java.util.SplittableRandom;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * ‖M‖₂ = σ_max(M) of a square or rectangular matrix by power iteration on MᵀM, one GEMV with M and one with Mᵀ per
 * iteration, through the kernel API. The iterate is kept between calls, so after the first call (e.g. after one
 * gradient step, when M has barely moved) a few iterations suffice.
 *
 * <p>Each iteration gives σ_t = ‖Mᵀy‖/‖y‖ with y = Mx_t, ‖x_t‖ = 1: the square root of the Rayleigh quotient of MMᵀ
 * at y, hence a lower bound σ_t ≤ σ_max that increases to it. It stops when the relative change of σ_t drops below
 * {@code relTol} or after {@code maxIterations}. For a Gaussian matrix the top singular values crowd together
 * (relative gap of order m^{−2/3}), so the first call may stop on the iteration budget a little below σ_max; the
 * kept iterate makes later calls more precise. Allocates nothing after construction.
 */
public final class SpectralNorm implements AutoCloseable {
    private final Kernels kernels;
    private final int maxIterations;
    private final double relTol;
    private final FloatVec x; // right singular vector estimate, not normalised: ‖x‖ = xNorm
    private final FloatVec y; // M x/‖x‖
    private final FloatVec start; // a fixed unit vector
    private final FloatMatrix xColumn, yColumn; // the vectors as m×1 views, for sumOfSquares
    private double xNorm;
    private int lastIterations;

    /** For matrices of {@code rows}×{@code cols}; the start vector is a fixed pseudo-random unit vector. */
    public SpectralNorm(Kernels kernels, int rows, int cols, int maxIterations, double relTol) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("power iteration needs at least one iteration, got " + maxIterations);
        }
        this.kernels = kernels;
        this.maxIterations = maxIterations;
        this.relTol = relTol;
        x = FloatVec.allocate(cols);
        y = FloatVec.allocate(rows);
        start = FloatVec.allocate(cols);
        xColumn = x.asColumn();
        yColumn = y.asColumn();
        SplittableRandom rng = new SplittableRandom(0x5eed);
        double norm2 = 0;
        for (int j = 0; j < cols; j++) {
            float v = (float) rng.nextGaussian();
            start.set(j, v);
            norm2 += (double) v * v;
        }
        float inv = (float) (1 / Math.sqrt(norm2));
        for (int j = 0; j < cols; j++) {
            start.set(j, start.get(j) * inv);
        }
        restart();
    }

    private void restart() {
        x.copyFrom(start);
        xNorm = 1;
    }

    /** σ_max(M), continuing from the previous call's iterate. 0 for M = 0; NaN if M holds a non-finite value. */
    public double estimate(FloatMatrix m) {
        if (m.rows() != y.length() || m.cols() != x.length()) {
            throw new IllegalArgumentException(
                    "spectral norm sized for " + y.length() + "×" + x.length() + ", got " + m.shape());
        }
        double sigma = 0;
        lastIterations = 0;
        // The normalisations ride on the GEMVs' α, so an iteration is two GEMVs and two sums of squares. (Not dot and
        // scale, nor sums over 1×m rows: in the simd provider some of those allocate for short vectors.)
        for (int t = 1; t <= maxIterations; t++) {
            lastIterations = t;
            kernels.gemv(Op.N, (float) (1 / xNorm), m, x, 0f, y); // y = M x̂, x̂ = x/‖x‖
            double ny = Math.sqrt(kernels.sumOfSquares(yColumn));
            if (!(ny > 0) || !Double.isFinite(ny)) {
                restart(); // M x̂ = 0 (or NaN): restart next time
                return ny == 0 ? 0 : Double.NaN;
            }
            kernels.gemv(Op.T, (float) (1 / ny), m, y, 0f, x); // x = Mᵀy/‖y‖, so ‖x‖ = σ_t
            double next = Math.sqrt(kernels.sumOfSquares(xColumn));
            if (!(next > 0) || !Double.isFinite(next)) {
                restart();
                return next == 0 ? 0 : Double.NaN;
            }
            xNorm = next;
            boolean settled = Math.abs(next - sigma) <= relTol * next;
            sigma = next;
            if (settled) {
                break;
            }
        }
        return sigma;
    }

    /**
     * The kept iterate x (‖x‖ = {@link #iterateNorm()}) as a column: the state the next {@link #estimate} continues
     * from, for a model to save and restore with its checkpoint state.
     */
    FloatMatrix iterate() {
        return xColumn;
    }

    double iterateNorm() {
        return xNorm;
    }

    /** Sets ‖x‖ after the iterate's values were restored (a positive finite norm). */
    void restoreIterateNorm(double norm) {
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("power-iteration norm must be positive and finite, got " + norm);
        }
        xNorm = norm;
    }

    /** Iterations the last {@link #estimate} took. */
    public int lastIterations() {
        return lastIterations;
    }

    @Override
    public void close() {
        x.close();
        y.close();
        start.close();
    }
}
