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
    static FixedPointException notConverged(
            Kind kind, int iterations, double residual, double tol, double norm, double initialNorm) {
        String what =
                kind == Kind.FORWARD ? "forward fixed point z = relu(Ãz + φ)" : "adjoint fixed point (I − ÃᵀD)w = r·u";
        String how = Double.isFinite(residual)
                ? String.format(
                        Locale.ROOT,
                        "did not converge in %d iterations: relative residual %.2e > tol %.1e",
                        iterations,
                        residual,
                        tol)
                : String.format(
                        Locale.ROOT, "diverged: the iterates overflowed float32 after %d iterations", iterations);
        return new FixedPointException(
                kind, iterations, residual, norm, what + " " + how + " (" + diagnosis(norm, initialNorm) + ")");
    }

    /** ‖Ã‖₂ ≥ 1 although the contraction was required; {@code initialNorm} is ‖Ã(0)‖₂ (NaN if unknown). */
    static FixedPointException notContraction(double norm, double initialNorm, double gamma) {
        String msg = String.format(
                Locale.ROOT,
                "‖Ã‖₂ = %.4f ≥ 1 (over by %.2f%%) but the contraction is required (--require-contraction): the equilibrium"
                        + " map z ↦ relu(Ãz + φ) is not guaranteed to have a unique fixed point; %s",
                norm,
                100 * (norm - 1),
                cause(norm, initialNorm, gamma));
        return new FixedPointException(Kind.CONTRACTION, 0, Double.NaN, norm, msg);
    }

    /**
     * Why ‖Ã‖₂ reached 1: γ itself when ‖Ã(0)‖₂ = (γ/√m)‖A(0)‖₂ ≈ 2γ was already ≥ 1 (or γ unknown), otherwise gradient
     * descent grew A: the step is too large for this width and loss (the paper's analysis keeps ‖A(k)‖₂ ≤ 2‖A(0)‖₂).
     */
    static String cause(double norm, double initialNorm, double gamma) {
        if (Double.isNaN(initialNorm) || !(initialNorm < 1)) {
            return String.format(
                    Locale.ROOT,
                    "‖Ã‖₂ was %s at step 0 already (≈ 2γ for a Gaussian A): γ is too large, lower --gamma"
                            + (Double.isNaN(gamma) ? "" : " (now %s)"),
                    Double.isNaN(initialNorm) ? "unknown" : String.format(Locale.ROOT, "%.4f", initialNorm),
                    gamma);
        }
        return String.format(
                Locale.ROOT,
                "γ is not the cause: ‖Ã‖₂ was %.4f at step 0 and gradient descent grew it %.2f×"
                        + " (A moved far from its initialisation): the step size is too large, lower --lr",
                initialNorm,
                norm / initialNorm);
    }

    private static String diagnosis(double norm, double initialNorm) {
        if (!(norm < 1)) {
            return String.format(Locale.ROOT, "‖Ã‖₂ = %.3g ≥ 1: the equilibrium map is not a contraction; ", norm)
                    + cause(norm, initialNorm, Double.NaN);
        }
        return String.format(
                Locale.ROOT,
                "‖Ã‖₂ = %.3g < 1, so the map contracts by at least that factor per iteration:"
                        + " raise --max-iter, or raise --tol if the residual has stalled at float32 rounding (a few times 1e-8)",
                norm);
    }

    public Kind kind() {
        return kind;
    }
    /** Iterations done before giving up (0 for {@link Kind#CONTRACTION}). */
    public int iterations() {
        return iterations;
    }
    /** The last relative residual (NaN for {@link Kind#CONTRACTION}). */
    public double residual() {
        return residual;
    }
    /** The estimate of ‖Ã‖₂ when it failed. */
    public double spectralNorm() {
        return spectralNorm;
    }
}
