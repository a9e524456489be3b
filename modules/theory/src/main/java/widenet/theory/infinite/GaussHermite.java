package widenet.theory.infinite;

/**
 * Gauss–Hermite quadrature for the standard normal: E[f(z)], z ~ N(0, 1), ≈ Σ_k w_k f(z_k), exact for polynomials
 * of degree ≤ 2N − 1. The nodes are the roots of the physicists' Hermite polynomial H_N found by Newton's method
 * from the classical asymptotic starting points (Numerical Recipes' {@code gauher}), then mapped z = √2·x,
 * w = w_x/√π so that Σ_k w_k = 1.
 */
public final class GaussHermite {
    private final double[] nodes;
    private final double[] weights;

    private GaussHermite(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** The N-point rule, 1 ≤ N ≤ 200. */
    public static GaussHermite of(int points) {
        if (points < 1 || points > 200) {
            throw new IllegalArgumentException("Gauss–Hermite points must be in 1..200, got " + points);
        }
        int n = points;
        double[] x = new double[n];
        double[] w = new double[n];
        int half = (n + 1) / 2;
        double z = 0;
        for (int i = 0; i < half; i++) {
            if (i == 0) {
                z = Math.sqrt(2.0 * n + 1) - 1.85575 * Math.pow(2.0 * n + 1, -1.0 / 6);
            } else if (i == 1) {
                z -= 1.14 * Math.pow(n, 0.426) / z;
            } else if (i == 2) {
                z = 1.86 * z - 0.86 * x[0];
            } else if (i == 3) {
                z = 1.91 * z - 0.91 * x[1];
            } else {
                z = 2.0 * z - x[i - 2];
            }
            double pp = 0;
            for (int it = 0; it < 100; it++) {
                // Orthonormal recurrence for H_N / normalisation (stable for large N).
                double p1 = Math.pow(Math.PI, -0.25), p2 = 0;
                for (int j = 0; j < n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.sqrt(2.0 / (j + 1)) * p2 - Math.sqrt((double) j / (j + 1)) * p3;
                }
                pp = Math.sqrt(2.0 * n) * p2;
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) {
                    break;
                }
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        double[] nodes = new double[n];
        double[] weights = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            nodes[i] = Math.sqrt(2) * x[n - 1 - i];
            weights[i] = w[n - 1 - i] / Math.sqrt(Math.PI);
            sum += weights[i];
        }
        // The weights sum to 1 up to rounding; renormalise so that E[1] = 1 exactly in floating point terms.
        for (int i = 0; i < n; i++) {
            weights[i] /= sum;
        }
        return new GaussHermite(nodes, weights);
    }

    public int size() {
        return nodes.length;
    }

    public double node(int k) {
        return nodes[k];
    }

    public double weight(int k) {
        return weights[k];
    }
}
