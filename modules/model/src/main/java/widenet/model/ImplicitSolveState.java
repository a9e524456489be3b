package widenet.model;

import widenet.tensor.FloatMatrix;

/**
 * The bookkeeping of an {@link ImplicitNetwork}'s two fixed-point solves besides the buffers: whether a warm start is
 * stored (Z* for how many rows, the adjoint P of that batch), the contraction check's step counter, the last ‖Ã‖₂
 * estimates, and the last solves' iteration counts and residuals; and their exact packing into the checkpoint's
 * {@code solver_scalars} column, so that a resumed run continues bit for bit.
 */
final class ImplicitSolveState implements AutoCloseable {
    /** The scalar fields {@link #pack} writes. */
    private static final int SCALAR_STATE = 10;

    private final PackedScalars scalars = new PackedScalars(SCALAR_STATE);

    int storedRows = -1; // rows of the equilibrium held in zs[zCurrent] for the input in lastInput (−1: none)
    boolean adjointStored; // ps[pCurrent] holds the adjoint of that batch
    long stepsSinceCheck = -1;
    double lastNorm = Double.NaN;
    double initialNorm = Double.NaN; // ‖Ã(0)‖₂, the first estimate after markInitialState (NaN: none yet)
    int forwardIterations;
    double forwardResidual = Double.NaN;
    int adjointIterations;
    double adjointResidual = Double.NaN;

    /** The state as of this call, with the power iteration's iterate norm, as one column (the checkpoint's). */
    FloatMatrix pack(SpectralNorm spectralNorm) {
        scalars.rewind()
                .put(storedRows)
                .put(adjointStored)
                .put(stepsSinceCheck)
                .put(lastNorm)
                .put(forwardIterations)
                .put(forwardResidual)
                .put(adjointIterations)
                .put(adjointResidual)
                .put(spectralNorm.iterateNorm())
                .put(initialNorm);
        return scalars.column();
    }

    /**
     * Reads back what {@link #pack} wrote, after the checkpoint loaded the column: the stored rows must be within
     * {@code capacity}; a bad value leaves the state as it was.
     */
    void unpack(int capacity, SpectralNorm spectralNorm) {
        scalars.rewind();
        int rows = scalars.getInt(-1, capacity, "stored equilibrium rows");
        boolean adjoint = scalars.getBoolean("adjoint stored flag");
        long sinceCheck = scalars.getLong();
        if (sinceCheck < -1) {
            throw new IllegalArgumentException(
                    "steps since the contraction check is " + sinceCheck + ", expected ≥ −1");
        }
        double norm = scalars.getDouble();
        int fwdIterations = scalars.getInt(0, Integer.MAX_VALUE, "forward iterations");
        double fwdResidual = scalars.getDouble();
        int adjIterations = scalars.getInt(0, Integer.MAX_VALUE, "adjoint iterations");
        double adjResidual = scalars.getDouble();
        spectralNorm.restoreIterateNorm(scalars.getDouble());
        double initial = scalars.getDouble();
        storedRows = rows;
        adjointStored = adjoint;
        stepsSinceCheck = sinceCheck;
        lastNorm = norm;
        initialNorm = initial;
        forwardIterations = fwdIterations;
        forwardResidual = fwdResidual;
        adjointIterations = adjIterations;
        adjointResidual = adjResidual;
    }

    @Override
    public void close() {
        scalars.close();
    }
}
