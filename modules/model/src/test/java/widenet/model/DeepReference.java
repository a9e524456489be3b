package widenet.model;

import widenet.kernel.Activation;
import widenet.tensor.FloatMatrix;

/**
 * An independent double-precision implementation of {@link DeepNetwork} (plain loops, the layer factor s_l computed
 * here as √(c/fan_in) in double), plus a running bound on the rounding error of the float32 computation of every
 * quantity, used to derive the tolerances of the tests.
 *
 * <p>Error model: a k-long float sum Σ aᵢbᵢ is off by about √k·ε·Σ|aᵢbᵢ| (ε = 2⁻²⁴; √k·ε is the standard deviation of
 * random rounding, the tests multiply the final bound by 4 for the tail); an error e in an input of a product
 * contributes e·|other factor|; σ is 1-Lipschitz for every activation here, σ′ is exact for the piecewise-linear
 * ones (as long as no pre-activation lies closer to a kink than its own error, which the tests check), and
 * (1−α)β/4-Lipschitz for the smooth leaky ReLU; each elementwise float operation adds ε of its result. The bounds
 * take absolute values throughout, so through several layers they over-estimate (no cancellation of errors), which
 * is on the safe side.
 */
final class DeepReference {
    static final double EPS = Math.ulp(1f) / 2;

    final int depth;
    final int[] n;
    final double[] s;
    final double[][][] w; // [l][a][b], l = 1..L
    final double[][] b; // [l][b], null entries without biases
    final double[][] x, y;
    final Activation act;
    final boolean biases;
    final double c;
    final int rows;

    // State of the last forward() (index l = 0..L), and error bounds of the float computation.
    double[][][] z, f, ez, ef;
    double[][] r, er;

    DeepReference(DeepNetwork net, FloatMatrix xs, FloatMatrix ys) {
        DeepNetwork.Config cfg = net.config();
        n = cfg.widths();
        depth = n.length - 1;
        rows = xs.rows();
        act = cfg.activation();
        biases = cfg.biases();
        c = cfg.loss() == LossKind.SUM ? 1.0 : 1.0 / rows;
        s = new double[depth + 1];
        w = new double[depth + 1][][];
        b = new double[depth + 1][];
        for (int l = 1; l <= depth; l++) {
            WeightInit init = cfg.inits().get(l - 1);
            s[l] = init.kind() == WeightInit.Kind.NTK ? Math.sqrt(init.parameter() / n[l - 1]) : 1.0;
            w[l] = toDouble(net.weight(l));
            if (biases) {
                b[l] = column(net.bias(l));
            }
        }
        x = toDouble(xs);
        y = toDouble(ys);
        forward();
    }

    static double[][] toDouble(FloatMatrix m) {
        double[][] out = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                out[i][j] = m.get(i, j);
            }
        }
        return out;
    }

    static double[] column(FloatMatrix m) {
        double[] out = new double[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            out[i] = m.get(i, 0);
        }
        return out;
    }

    // ---- the activation in double --------------------------------------------------------------------------

    double sigma(double t) {
        double a = act.alpha(), beta = act.beta();
        return switch (act.kind()) {
            case IDENTITY -> t;
            case RELU -> t > 0 ? t : 0;
            case LEAKY_RELU -> t > 0 ? t : a * t;
            case SMOOTH_LEAKY_RELU -> a * t + (1 - a) * softplus(beta * t) / beta;
        };
    }

    double sigmaPrime(double t) {
        double a = act.alpha(), beta = act.beta();
        boolean g0 = act.gradAtZero();
        return switch (act.kind()) {
            case IDENTITY -> 1;
            case RELU -> t > 0 || (g0 && t == 0) ? 1 : 0;
            case LEAKY_RELU -> t > 0 || (g0 && t == 0) ? 1 : a;
            case SMOOTH_LEAKY_RELU -> a + (1 - a) / (1 + Math.exp(-beta * t));
        };
    }

    static double softplus(double t) {
        return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    }

    boolean piecewiseLinear() {
        return act.kind() != Activation.Kind.SMOOTH_LEAKY_RELU;
    }

    /** Rounding error of the float evaluation of σ(t) (the formula's few operations, each ε of its magnitude). */
    double sigmaError(double t) {
        return switch (act.kind()) {
            case IDENTITY, RELU -> 0;
            case LEAKY_RELU -> EPS * Math.abs(sigma(t));
            case SMOOTH_LEAKY_RELU ->
                4 * EPS * (Math.abs(t) + (1 - act.alpha()) * softplus(act.beta() * t) / act.beta());
        };
    }

    /** Error of the float σ′ from an error e in its argument (exact for the piecewise-linear activations). */
    double sigmaPrimeError(double e) {
        return piecewiseLinear() ? 0 : (1 - act.alpha()) * act.beta() / 4 * e + 4 * EPS;
    }

    // ---- forward -------------------------------------------------------------------------------------------

    /** The loss ½·c·‖F_L − Y‖² in double, keeping Z_l, F_l, R and their float-error bounds. */
    double forward() {
        z = new double[depth + 1][][];
        f = new double[depth + 1][][];
        ez = new double[depth + 1][][];
        ef = new double[depth + 1][][];
        f[0] = x;
        ef[0] = new double[rows][n[0]];
        for (int l = 1; l <= depth; l++) {
            z[l] = new double[rows][n[l]];
            ez[l] = new double[rows][n[l]];
            for (int i = 0; i < rows; i++) {
                for (int q = 0; q < n[l]; q++) {
                    double sum = 0, abs = 0, prop = 0;
                    for (int a = 0; a < n[l - 1]; a++) {
                        sum += f[l - 1][i][a] * w[l][a][q];
                        abs += Math.abs(f[l - 1][i][a] * w[l][a][q]);
                        prop += ef[l - 1][i][a] * Math.abs(w[l][a][q]);
                    }
                    double v = s[l] * sum + (biases ? b[l][q] : 0);
                    z[l][i][q] = v;
                    ez[l][i][q] = s[l] * (prop + Math.sqrt(n[l - 1]) * EPS * abs) + 2 * EPS * Math.abs(v);
                }
            }
            if (l < depth) {
                f[l] = new double[rows][n[l]];
                ef[l] = new double[rows][n[l]];
                for (int i = 0; i < rows; i++) {
                    for (int q = 0; q < n[l]; q++) {
                        f[l][i][q] = sigma(z[l][i][q]);
                        ef[l][i][q] = ez[l][i][q] + sigmaError(z[l][i][q]); // σ is 1-Lipschitz
                    }
                }
            } else {
                f[l] = z[l];
                ef[l] = ez[l];
            }
        }
        int k = n[depth];
        r = new double[rows][k];
        er = new double[rows][k];
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            for (int q = 0; q < k; q++) {
                r[i][q] = f[depth][i][q] - y[i][q];
                er[i][q] = ef[depth][i][q] + EPS * Math.abs(r[i][q]);
                sum += r[i][q] * r[i][q];
            }
        }
        return 0.5 * c * sum;
    }

    /** Bound on the float loss's error: c·Σ|R|·e_R plus the rounding of the n·k-long sum of squares. */
    double lossErrorBound() {
        double prop = 0, sq = 0;
        for (int i = 0; i < rows; i++) {
            for (int q = 0; q < n[depth]; q++) {
                prop += Math.abs(r[i][q]) * er[i][q];
                sq += r[i][q] * r[i][q];
            }
        }
        return c * prop + Math.sqrt((double) rows * n[depth]) * EPS * 0.5 * c * sq + EPS * 0.5 * c * sq;
    }

    // ---- backward ------------------------------------------------------------------------------------------

    /** ∂Φ/∂W_l and ∂Φ/∂b_l in double, and bounds on the float computation's error: filled by {@link #backward()}. */
    double[][][] gw, egw;

    double[][] gb, egb;

    void backward() {
        gw = new double[depth + 1][][];
        egw = new double[depth + 1][][];
        gb = new double[depth + 1][];
        egb = new double[depth + 1][];
        int k = n[depth];
        double[][] delta = new double[rows][k];
        double[][] edelta = new double[rows][k];
        for (int i = 0; i < rows; i++) {
            for (int q = 0; q < k; q++) {
                delta[i][q] = c * r[i][q];
                edelta[i][q] = c * (er[i][q] + EPS * Math.abs(r[i][q]));
            }
        }
        for (int l = depth; l >= 1; l--) {
            // ∇W_l = s_l F_{l−1}ᵀ δ_l
            gw[l] = new double[n[l - 1]][n[l]];
            egw[l] = new double[n[l - 1]][n[l]];
            for (int a = 0; a < n[l - 1]; a++) {
                for (int q = 0; q < n[l]; q++) {
                    double sum = 0, abs = 0, prop = 0;
                    for (int i = 0; i < rows; i++) {
                        sum += f[l - 1][i][a] * delta[i][q];
                        abs += Math.abs(f[l - 1][i][a] * delta[i][q]);
                        prop += ef[l - 1][i][a] * Math.abs(delta[i][q]) + Math.abs(f[l - 1][i][a]) * edelta[i][q];
                    }
                    gw[l][a][q] = s[l] * sum;
                    egw[l][a][q] = s[l] * (prop + Math.sqrt(rows) * EPS * abs) + 2 * EPS * Math.abs(s[l] * sum);
                }
            }
            if (biases) {
                gb[l] = new double[n[l]];
                egb[l] = new double[n[l]];
                for (int q = 0; q < n[l]; q++) {
                    double sum = 0, abs = 0, prop = 0;
                    for (int i = 0; i < rows; i++) {
                        sum += delta[i][q];
                        abs += Math.abs(delta[i][q]);
                        prop += edelta[i][q];
                    }
                    gb[l][q] = sum;
                    egb[l][q] = prop + Math.sqrt(rows) * EPS * abs + EPS * Math.abs(sum);
                }
            }
            if (l == 1) {
                break;
            }
            // δ_{l−1} = s_l (δ_l W_lᵀ) ⊙ σ′(Z_{l−1})
            double[][] next = new double[rows][n[l - 1]];
            double[][] enext = new double[rows][n[l - 1]];
            for (int i = 0; i < rows; i++) {
                for (int a = 0; a < n[l - 1]; a++) {
                    double sum = 0, abs = 0, prop = 0;
                    for (int q = 0; q < n[l]; q++) {
                        sum += delta[i][q] * w[l][a][q];
                        abs += Math.abs(delta[i][q] * w[l][a][q]);
                        prop += edelta[i][q] * Math.abs(w[l][a][q]);
                    }
                    double g = s[l] * sum;
                    double eg = s[l] * (prop + Math.sqrt(n[l]) * EPS * abs) + 2 * EPS * Math.abs(g);
                    double zz = z[l - 1][i][a];
                    double d = sigmaPrime(zz);
                    next[i][a] = g * d;
                    enext[i][a] =
                            eg * Math.abs(d) + Math.abs(g) * sigmaPrimeError(ez[l - 1][i][a]) + EPS * Math.abs(g * d);
                }
            }
            delta = next;
            edelta = enext;
        }
    }

    /** Whether every pre-activation keeps its side of every kink under this state vs {@code other} (FD check). */
    boolean samePatterns(double[][][] otherZ) {
        if (!piecewiseLinear()) {
            return true;
        }
        for (int l = 1; l < depth; l++) {
            for (int i = 0; i < rows; i++) {
                for (int q = 0; q < n[l]; q++) {
                    if ((z[l][i][q] > 0) != (otherZ[l][i][q] > 0)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Whether the float network's σ′(Z_l) equals the reference's everywhere: for piecewise-linear activations a
     * pre-activation within its rounding error of a kink could legitimately differ; the tests' seeds avoid that.
     */
    String derivativeMismatch(DeepNetwork net) {
        for (int l = 1; l < depth; l++) {
            FloatMatrix d = net.activationDerivative(l);
            for (int i = 0; i < rows; i++) {
                for (int q = 0; q < n[l]; q++) {
                    double expected = sigmaPrime(z[l][i][q]);
                    double tol = 4 * (sigmaPrimeError(ez[l][i][q]) + EPS);
                    if (Math.abs(d.get(i, q) - expected) > tol) {
                        return "σ′(Z_" + l + ")[" + i + "][" + q + "] = " + d.get(i, q) + ", reference " + expected
                                + " at Z = " + z[l][i][q] + " ± " + ez[l][i][q];
                    }
                }
            }
        }
        return null;
    }
}
