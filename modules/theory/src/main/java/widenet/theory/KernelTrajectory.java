package widenet.theory;

/**
 * Gradient descent on the network linearised at its initialisation, with a fixed kernel K on n training points and
 * its test–train block K_tx on n_t test points, stepwise: with the training residual r(k) = u(k) − y,
 * <pre>
 *   r(k+1)      = r(k) − η′ K r(k)               ⇒  u(k) = y + (I − η′K)^k (u(0) − y)
 *   f_test(k+1) = f_test(k) − η′ K_tx r(k)        ⇒  f_test(k) = f_test(0) + K_tx K⁻¹ (I − (I − η′K)^k)(y − u(0))
 * </pre>
 * (the linear model f(x; θ) = f(x; θ₀) + ∇f(x; θ₀)ᵀ(θ − θ₀) takes the step θ −= η c Jᵀ r, so every output moves by
 * −η c ∇f(x)ᵀJᵀ r: η′ = ηc with c = 1 for the summed loss and 1/n for the mean). Matrix–vector products only: no
 * inverse, no eigenvectors, (n + n_t)·n multiply-adds per step in double, and nothing allocated after construction.
 * Once a value stops being finite (η′ beyond 2/λ_max(K)) the trajectory stays where it is, non-finite.
 */
final class KernelTrajectory {
    private final int n;
    private final int nt;
    private final double[] k; // n×n, row-major
    private final double[] kt; // n_t×n, row-major
    private final double eta;
    private final double[] r;
    private final double[] ft;
    private final double[] kr;
    private long step = -1;

    /**
     * @param all the kernel on the n training points followed by the n_t test points ((n + n_t)², row-major)
     * @param eta η′, the step in the kernel's units (η for the summed loss, η/n for the mean)
     */
    KernelTrajectory(double[] all, int n, int nt, double eta) {
        int size = n + nt;
        if (all.length != (long) size * size) {
            throw new IllegalArgumentException(
                    "kernel has " + all.length + " entries, expected (" + n + " + " + nt + ")²");
        }
        this.n = n;
        this.nt = nt;
        this.eta = eta;
        this.k = new double[n * n];
        this.kt = new double[nt * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * size, k, i * n, n);
        }
        for (int i = 0; i < nt; i++) {
            System.arraycopy(all, (n + i) * size, kt, i * n, n);
        }
        this.r = new double[n];
        this.ft = new double[nt];
        this.kr = new double[n];
    }

    /** Starts at step 0 from the residual u(0) − y and the test outputs f_test(0) (copied). */
    void start(double[] residual0, double[] test0) {
        System.arraycopy(residual0, 0, r, 0, n);
        System.arraycopy(test0, 0, ft, 0, nt);
        step = 0;
    }

    /** Takes the steps from the current one to {@code target} (≥ the current step). */
    void advanceTo(long target) {
        if (step < 0 || target < step) {
            throw new IllegalStateException("trajectory at step " + step + " cannot go to step " + target);
        }
        for (; step < target; step++) {
            if (!Double.isFinite(sumOfSquares(r))) {
                step = target;
                return;
            }
            multiply(kt, nt, r, ft, -eta); // f_test −= η′ K_tx r  (with r(k), before r moves)
            java.util.Arrays.fill(kr, 0);
            multiply(k, n, r, kr, 1);
            for (int i = 0; i < n; i++) {
                r[i] -= eta * kr[i]; // r −= η′ K r
            }
        }
    }

    /** out += c·M v for the rows×n matrix M. */
    private void multiply(double[] m, int rows, double[] v, double[] out, double c) {
        for (int i = 0; i < rows; i++) {
            int at = i * n;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                s0 += m[at + j] * v[j];
                s1 += m[at + j + 1] * v[j + 1];
                s2 += m[at + j + 2] * v[j + 2];
                s3 += m[at + j + 3] * v[j + 3];
            }
            for (; j < n; j++) {
                s0 += m[at + j] * v[j];
            }
            out[i] += c * ((s0 + s1) + (s2 + s3));
        }
    }

    long step() {
        return step;
    }

    /** ‖u(k) − y‖². */
    double residualSquared() {
        return sumOfSquares(r);
    }

    /** ‖f_test(k) − y_test‖². */
    double testResidualSquared(double[] yTest) {
        double s = 0;
        for (int i = 0; i < nt; i++) {
            double e = ft[i] - yTest[i];
            s += e * e;
        }
        return s;
    }

    private static double sumOfSquares(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s;
    }
}
