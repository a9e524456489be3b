package widenet.model;

import widenet.tensor.FloatMatrix;

/**
 * The implicit network in double precision, sample by sample, from the float network's current weights: the
 * equilibrium solved until the change is below 1e-14 relative (then the loss is exact to ~1e-13 relative), the
 * adjoint likewise, ‖Ã‖₂ by a long power iteration. The oracle of the gradient tests.
 */
final class ImplicitReference {
    final int n, d, m;
    final double gamma, alpha, c, phiScale;
    final boolean phiRelu, skip;
    final double[][] x, a, b;
    final double[] y, u, v;
    // Results of the last solve():
    final double[][] phi, prePhi, z, h, p;
    final double[] r;

    ImplicitReference(ImplicitNetwork net, FloatMatrix xs, FloatMatrix ys) {
        ImplicitNetwork.Config cfg = net.config();
        n = xs.rows();
        d = cfg.inputDim();
        m = cfg.width();
        gamma = cfg.gamma();
        alpha = gamma / Math.sqrt(m);
        c = cfg.loss() == LossKind.SUM ? 1.0 : 1.0 / n;
        phiScale = cfg.phiScale() == ImplicitNetwork.FeatureScale.SQRT_M ? 1 / Math.sqrt(m) : 1 / Math.sqrt(d);
        phiRelu = cfg.phiRelu();
        skip = cfg.outputSkip();
        x = toArray(xs);
        y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = ys.get(i, 0);
        }
        a = toArray(param(net, "A"));
        b = toArray(param(net, "W"));
        u = column(param(net, "u"));
        v = skip ? column(param(net, "v")) : new double[m];
        phi = new double[n][m];
        prePhi = new double[n][m];
        z = new double[n][m];
        h = new double[n][m];
        p = new double[n][m];
        r = new double[n];
    }

    static FloatMatrix param(Network net, String name) {
        return net.parameters().stream()
                .filter(q -> q.name().equals(name))
                .findFirst()
                .orElseThrow()
                .value();
    }

    static double[][] toArray(FloatMatrix f) {
        double[][] out = new double[f.rows()][f.cols()];
        for (int i = 0; i < f.rows(); i++) {
            for (int j = 0; j < f.cols(); j++) {
                out[i][j] = f.get(i, j);
            }
        }
        return out;
    }

    static double[] column(FloatMatrix f) {
        double[] out = new double[f.rows()];
        for (int i = 0; i < f.rows(); i++) {
            out[i] = f.get(i, 0);
        }
        return out;
    }

    /** Solves every equilibrium and returns the loss ½c Σ rᵢ². */
    double loss() {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += b[j][k] * x[i][k];
                }
                prePhi[i][j] = s * phiScale;
                phi[i][j] = phiRelu ? Math.max(0, prePhi[i][j]) : prePhi[i][j];
            }
            double[] zi = z[i];
            java.util.Arrays.fill(zi, 0);
            double[] next = new double[m];
            for (int t = 0; ; t++) {
                double diff = 0, norm = 0;
                for (int j = 0; j < m; j++) {
                    double s = phi[i][j];
                    for (int k = 0; k < m; k++) {
                        s += alpha * a[j][k] * zi[k];
                    }
                    h[i][j] = s;
                    next[j] = Math.max(0, s);
                    diff += (next[j] - zi[j]) * (next[j] - zi[j]);
                    norm += next[j] * next[j];
                }
                System.arraycopy(next, 0, zi, 0, m);
                if (diff <= 1e-28 * norm) {
                    break;
                }
                if (t > 100_000) {
                    throw new AssertionError("reference equilibrium did not converge");
                }
            }
            double yhat = 0;
            for (int j = 0; j < m; j++) {
                yhat += u[j] * zi[j] + v[j] * phi[i][j];
            }
            r[i] = yhat - y[i];
            sum += r[i] * r[i];
        }
        return 0.5 * c * sum;
    }

    /** After {@link #loss()}: pᵢ = Dᵢwᵢ with pᵢ = Dᵢ(Ãᵀpᵢ + c·rᵢ·u), D = 1{h > 0}. */
    void adjoint() {
        for (int i = 0; i < n; i++) {
            double[] pi = p[i];
            java.util.Arrays.fill(pi, 0);
            double[] next = new double[m];
            for (int t = 0; ; t++) {
                double diff = 0, norm = 0;
                for (int j = 0; j < m; j++) {
                    double s = c * r[i] * u[j];
                    for (int k = 0; k < m; k++) {
                        s += alpha * a[k][j] * pi[k];
                    }
                    next[j] = h[i][j] > 0 ? s : 0;
                    diff += (next[j] - pi[j]) * (next[j] - pi[j]);
                    norm += next[j] * next[j];
                }
                System.arraycopy(next, 0, pi, 0, m);
                if (diff <= 1e-28 * norm) {
                    break;
                }
                if (t > 100_000) {
                    throw new AssertionError("reference adjoint did not converge");
                }
            }
        }
    }

    /** The smallest |pre-activation| over the equilibria (and φ's pre-activations with the φ-ReLU). */
    double margin() {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                min = Math.min(min, Math.abs(h[i][j]));
                if (phiRelu) {
                    min = Math.min(min, Math.abs(prePhi[i][j]));
                }
            }
        }
        return min;
    }

    /** The activation pattern of the last solve: 1{h > 0} and (φ-ReLU) 1{Wx > 0}, as one bit string. */
    boolean[] pattern() {
        boolean[] out = new boolean[2 * n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i * m + j] = h[i][j] > 0;
                out[n * m + i * m + j] = prePhi[i][j] > 0;
            }
        }
        return out;
    }

    /** ‖Ã‖₂ by power iteration on ÃᵀÃ in double until it stops changing. */
    double spectralNorm() {
        double[] w = new double[m];
        java.util.Arrays.fill(w, 1 / Math.sqrt(m));
        double sigma = 0;
        for (int t = 0; t < 1_000_000; t++) {
            double[] yv = new double[m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    yv[i] += a[i][j] * w[j];
                }
            }
            double[] xv = new double[m];
            double ny = 0;
            for (int i = 0; i < m; i++) {
                ny += yv[i] * yv[i];
            }
            ny = Math.sqrt(ny);
            double nx = 0;
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < m; i++) {
                    xv[j] += a[i][j] * yv[i];
                }
                nx += xv[j] * xv[j];
            }
            nx = Math.sqrt(nx);
            for (int j = 0; j < m; j++) {
                w[j] = xv[j] / nx;
            }
            double next = nx / ny;
            if (Math.abs(next - sigma) <= 1e-15 * next) {
                return alpha * next;
            }
            sigma = next;
        }
        return alpha * sigma;
    }
}
