package widenet.model;

import java.util.Locale;

/**
 * An equilibrium network could not produce its fixed point: the forward iteration z ← relu(Ãz + φ) or the adjoint
 * iteration did not reach its tolerance within the iteration budget or overflowed, or ‖Ã‖₂ ≥ 1 although the run
 * asked for a guaranteed contraction. Training cannot continue from such a state (the values would be meaningless
 * or NaN); the trainer turns this into a divergence stop. The message says which iteration failed and by how much.
 */
public class FixedPointException extends ArithmeticException {

    /** Which guarantee failed. */
    public enum Kind {
        /** The forward iteration z ← relu(Ãz + φ). */
        FORWARD,
        /** The adjoint iteration w ← Ãᵀ(D w) + r·u of the backward pass. */
        ADJOINT,
        /** ‖Ã‖₂ ≥ 1 with the contraction required. */
        CONTRACTION
    }

    private final Kind kind;
    private final int iterations;
    private final double residual;
    private final double spectralNorm;

    private FixedPointException(Kind kind, int iterations, double residual, double spectralNorm, String message) {
        super(message);
        this.kind = kind;
        this.iterations = iterations;
        this.residual = residual;
        this.spectralNorm = spectralNorm;
    }

    /**
     * The iteration of {@code kind} (FORWARD or ADJOINT) stopped after {@code iterations} with relative residual
     * {@code residual} > {@code tol} (or non-finite: the iterates overflowed). {@code norm} is the estimate of ‖Ã‖₂ at
     * that moment.
     */
    static FixedPointException notConverged(Kind kind, int iterations, double residual, double tol, double norm) {
        String what = kind == Kind.FORWARD ? "forward fixed point z = relu(Ãz + φ)" : "adjoint fixed point (I − ÃᵀD)w = r·u";
        String how = Double.isFinite(residual)
                ? String.format(Locale.ROOT, "did not converge in %d iterations: relative residual %.2e > tol %.1e",
                        iterations, residual, tol)
                : String.format(Locale.ROOT, "diverged: the iterates overflowed float32 after %d iterations", iterations);
        return new FixedPointException(kind, iterations, residual, norm, what + " " + how + " (" + diagnosis(norm) + ")");
    }

    /** ‖Ã‖₂ ≥ 1 although the contraction was required. */
    static FixedPointException notContraction(double norm, double gamma) {
        String msg = String.format(Locale.ROOT,
                "‖Ã‖₂ = %.4f ≥ 1 (over by %.2f%%) but the contraction is required (--require-contraction): the equilibrium"
                        + " map z ↦ relu(Ãz + φ) is not guaranteed to have a unique fixed point; lower --gamma (now %s) or the step size",
                norm, 100 * (norm - 1), gamma);
        return new FixedPointException(Kind.CONTRACTION, 0, Double.NaN, norm, msg);
    }

    private static String diagnosis(double norm) {
        if (!(norm < 1)) {
            return String.format(Locale.ROOT, "‖Ã‖₂ = %.3g ≥ 1: the equilibrium map is not a contraction; lower --gamma", norm);
        }
        return String.format(Locale.ROOT, "‖Ã‖₂ = %.3g < 1, so the map contracts by at least that factor per iteration:"
                + " raise --max-iter, or raise --tol if the residual has stalled at float32 rounding (a few times 1e-8)", norm);
    }

    public Kind kind() { return kind; }
    /** Iterations done before giving up (0 for {@link Kind#CONTRACTION}). */
    public int iterations() { return iterations; }
    /** The last relative residual (NaN for {@link Kind#CONTRACTION}). */
    public double residual() { return residual; }
    /** The estimate of ‖Ã‖₂ when it failed. */
    public double spectralNorm() { return spectralNorm; }
}
