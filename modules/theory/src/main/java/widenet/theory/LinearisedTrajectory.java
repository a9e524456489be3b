package widenet.theory;

/**
 * GD on the linearised predictions, u(k+1) − u(k) = −η K (u(k) − y) with a fixed kernel K = Σᵢ λᵢ vᵢvᵢᵀ, has the
 * residual r(k) = y − u(k) = (I − ηK)^k r(0), so ‖r(k)‖² = Σᵢ (1 − ηλᵢ)^{2k} (vᵢᵀr(0))². With u(0) = 0 (κ → 0)
 * this is Arora et al. (2019)'s ‖y − u(k)‖ ≈ sqrt(Σᵢ (1 − ηλᵢ)^{2k} (vᵢᵀy)²); widenet uses the run's own
 * u(0), which matters for κ = 1 where ‖u(0)‖ is comparable to ‖y‖.
 */
public final class LinearisedTrajectory {
    private final double[] lambdas;
    private final double[] squaredCoordinates;
    private final double eta;

    /**
     * @param lambdas eigenvalues λᵢ of K
     * @param coordinates vᵢᵀr(0) in the same order
     * @param eta the step in the kernel's units (η for the sum loss, η/n for the mean loss)
     */
    public LinearisedTrajectory(double[] lambdas, double[] coordinates, double eta) {
        if (lambdas.length != coordinates.length) {
            throw new IllegalArgumentException(
                    lambdas.length + " eigenvalues but " + coordinates.length + " coordinates");
        }
        this.lambdas = lambdas.clone();
        this.squaredCoordinates = new double[coordinates.length];
        for (int i = 0; i < coordinates.length; i++) {
            squaredCoordinates[i] = coordinates[i] * coordinates[i];
        }
        this.eta = eta;
    }

    /** ‖r(k)‖² = Σᵢ (1 − ηλᵢ)^{2k} (vᵢᵀr(0))². */
    public double residualNormSquared(long k) {
        double s = 0;
        for (int i = 0; i < lambdas.length; i++) {
            s += Math.pow(1 - eta * lambdas[i], 2.0 * k) * squaredCoordinates[i];
        }
        return s;
    }

    /** ‖r(k)‖. */
    public double residualNorm(long k) {
        return Math.sqrt(residualNormSquared(k));
    }
}
