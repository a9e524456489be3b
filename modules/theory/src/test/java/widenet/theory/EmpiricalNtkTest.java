package widenet.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.Gaussian;
import widenet.model.LossKind;
import widenet.model.WeightInit;
import widenet.tensor.FloatMatrix;

/**
 * {@link EmpiricalNtk}'s per-layer Gram identity against the definition K = J Jᵀ, with J built explicitly in double
 * precision, row i = (∂f(xᵢ)/∂W₁, ∂f(xᵢ)/∂b₁, …) over the trained layers, by the chain rule on a double forward
 * pass; J itself is checked against central finite differences of that forward pass (smooth activation, where
 * the finite difference is clean).
 *
 * <p>Tolerance, derived as in the model's gradient tests: the float forward features F_l and the float
 * backpropagated Δ_l carry rounding errors bounded by propagating √k·ε·Σ|terms| per k-long sum and ε per elementwise
 * operation through absolute values; an entry (aᵢ·aⱼ) of a Gram formed (in double) from such a float matrix is off
 * by Σ_q (e_iq|a_jq| + |a_iq|e_jq); the test allows 4× the resulting bound on K_ij.
 */
class EmpiricalNtkTest {
    static final double EPS = Math.ulp(1f) / 2;

    @ParameterizedTest(name = "{0} {1} init={2} biases={3} frozen={4}")
    @CsvSource({
        "5-12-7-1,     relu,                    he,       false, -",
        "5-12-7-1,     smooth-leaky-relu:0.2:3, ntk:2,    true,  -",
        "4-9-9-6-1,    leaky-relu:0.1,          lecun,    true,  2",
        "6-3-8-1,      smooth-leaky-relu:0.1:4, xavier,   false, 1/3",
        "4-1,          identity,                ntk:1,    true,  -",
    })
    void perLayerIdentityEqualsTheExplicitJacobianGram(
            String widths, String activation, String init, boolean biases, String frozen) {
        int[] w = Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        Set<Integer> fz = new TreeSet<>();
        if (!frozen.equals("-")) {
            for (String s : frozen.split("/")) {
                fz.add(Integer.parseInt(s));
            }
        }
        int rows = 8;
        var cfg = new DeepNetwork.Config(
                w,
                rows,
                Activation.parse(activation, false),
                List.of(WeightInit.parse(init)),
                1.0,
                biases,
                LossKind.SUM,
                fz);
        SplittableRandom rng = new SplittableRandom(widths.hashCode() + 17L * activation.hashCode());
        try (Kernels k = KernelProviders.open("scalar", 1);
                FloatMatrix x = FloatMatrix.allocate(rows, w[0]);
                FloatMatrix y = FloatMatrix.allocate(rows, 1);
                DeepNetwork net = new DeepNetwork(k, cfg, rng)) {
            Gaussian.fill(x, rng, 1.0);
            if (biases) {
                for (int l = 1; l <= net.depth(); l++) {
                    Gaussian.fill(net.bias(l), rng, 0.3);
                }
            }
            net.forward(x, y);
            double[] got = EmpiricalNtk.compute(k, net);
            Reference ref = new Reference(net, x);
            double[][] jac = ref.jacobian();
            if (activation.startsWith("smooth") || activation.equals("identity")) {
                ref.checkJacobianByFiniteDifferences(jac);
            }
            double[][] bound = ref.ntkErrorBound();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < rows; j++) {
                    double expected = 0;
                    for (int p = 0; p < jac[i].length; p++) {
                        expected += jac[i][p] * jac[j][p];
                    }
                    double tol = 4 * bound[i][j] + 1e-12 * Math.abs(expected);
                    assertEquals(expected, got[i * rows + j], tol, "K[" + i + "][" + j + "]");
                }
            }
            assertTrue(got[0] > 0, "K is not empty");
        }
    }

    /** A double-precision forward pass and chain rule for f(x) = F_L, with float-rounding bounds of F_l and Δ_l. */
    static final class Reference {
        final DeepNetwork net;
        final int depth, rows;
        final int[] n;
        final double[] s;
        final double[][][] w;
        final double[][] b;
        final double[][] x;
        final Activation act;
        double[][][] z, f, ez, ef, delta, edelta;

        Reference(DeepNetwork net, FloatMatrix xs) {
            this.net = net;
            depth = net.depth();
            rows = xs.rows();
            n = net.config().widths();
            act = net.config().activation();
            s = new double[depth + 1];
            w = new double[depth + 1][][];
            b = new double[depth + 1][];
            for (int l = 1; l <= depth; l++) {
                WeightInit init = net.config().inits().get(l - 1);
                s[l] = init.kind() == WeightInit.Kind.NTK ? Math.sqrt(init.parameter() / n[l - 1]) : 1;
                w[l] = toDouble(net.weight(l));
                if (net.bias(l) != null) {
                    b[l] = new double[n[l]];
                    for (int q = 0; q < n[l]; q++) {
                        b[l][q] = net.bias(l).get(q, 0);
                    }
                }
            }
            x = toDouble(xs);
            forward();
            backward();
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

        double sigma(double t) {
            double a = act.alpha(), beta = act.beta();
            return switch (act.kind()) {
                case IDENTITY -> t;
                case RELU -> Math.max(t, 0);
                case LEAKY_RELU -> t > 0 ? t : a * t;
                case SMOOTH_LEAKY_RELU -> a * t + (1 - a) * softplus(beta * t) / beta;
            };
        }

        double sigmaPrime(double t) {
            double a = act.alpha(), beta = act.beta();
            return switch (act.kind()) {
                case IDENTITY -> 1;
                case RELU -> t > 0 ? 1 : 0;
                case LEAKY_RELU -> t > 0 ? 1 : a;
                case SMOOTH_LEAKY_RELU -> a + (1 - a) / (1 + Math.exp(-beta * t));
            };
        }

        static double softplus(double t) {
            return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
        }

        double sigmaError(double t) {
            return act.kind() == Activation.Kind.SMOOTH_LEAKY_RELU
                    ? 4 * EPS * (Math.abs(t) + (1 - act.alpha()) * softplus(act.beta() * t) / act.beta())
                    : EPS * Math.abs(sigma(t));
        }

        double sigmaPrimeError(double e) {
            return act.kind() == Activation.Kind.SMOOTH_LEAKY_RELU
                    ? (1 - act.alpha()) * act.beta() / 4 * e + 4 * EPS
                    : 0;
        }

        void forward() {
            z = new double[depth + 1][rows][];
            f = new double[depth + 1][rows][];
            ez = new double[depth + 1][rows][];
            ef = new double[depth + 1][rows][];
            f[0] = x;
            ef[0] = new double[rows][n[0]];
            for (int l = 1; l <= depth; l++) {
                for (int i = 0; i < rows; i++) {
                    z[l][i] = new double[n[l]];
                    ez[l][i] = new double[n[l]];
                    f[l][i] = new double[n[l]];
                    ef[l][i] = new double[n[l]];
                    for (int q = 0; q < n[l]; q++) {
                        double sum = 0, abs = 0, prop = 0;
                        for (int a = 0; a < n[l - 1]; a++) {
                            sum += f[l - 1][i][a] * w[l][a][q];
                            abs += Math.abs(f[l - 1][i][a] * w[l][a][q]);
                            prop += ef[l - 1][i][a] * Math.abs(w[l][a][q]);
                        }
                        double v = s[l] * sum + (b[l] != null ? b[l][q] : 0);
                        z[l][i][q] = v;
                        ez[l][i][q] = s[l] * (prop + Math.sqrt(n[l - 1]) * EPS * abs) + 2 * EPS * Math.abs(v);
                        boolean hidden = l < depth;
                        f[l][i][q] = hidden ? sigma(v) : v;
                        ef[l][i][q] = ez[l][i][q] + (hidden ? sigmaError(v) : 0);
                    }
                }
            }
        }

        /** Δ_l = ∂f/∂Z_l per sample, and bounds on the float recursion's error. */
        void backward() {
            delta = new double[depth + 1][rows][];
            edelta = new double[depth + 1][rows][];
            for (int i = 0; i < rows; i++) {
                delta[depth][i] = new double[] {1};
                edelta[depth][i] = new double[] {0};
                for (int l = depth; l >= 2; l--) {
                    delta[l - 1][i] = new double[n[l - 1]];
                    edelta[l - 1][i] = new double[n[l - 1]];
                    for (int a = 0; a < n[l - 1]; a++) {
                        double sum = 0, abs = 0, prop = 0;
                        for (int q = 0; q < n[l]; q++) {
                            sum += delta[l][i][q] * w[l][a][q];
                            abs += Math.abs(delta[l][i][q] * w[l][a][q]);
                            prop += edelta[l][i][q] * Math.abs(w[l][a][q]);
                        }
                        double g = s[l] * sum;
                        double eg = s[l] * (prop + Math.sqrt(n[l]) * EPS * abs) + 2 * EPS * Math.abs(g);
                        double d = sigmaPrime(z[l - 1][i][a]);
                        delta[l - 1][i][a] = g * d;
                        edelta[l - 1][i][a] = eg * Math.abs(d)
                                + Math.abs(g) * sigmaPrimeError(ez[l - 1][i][a])
                                + EPS * Math.abs(g * d);
                    }
                }
            }
        }

        /** J (rows × trained parameters): ∂f(xᵢ)/∂W_l[a][q] = s_l f_{l−1,i,a} Δ_{l,i,q}; ∂f(xᵢ)/∂b_l[q] = Δ_{l,i,q}. */
        double[][] jacobian() {
            int p = 0;
            for (int l = 1; l <= depth; l++) {
                if (net.isTrainable(l)) {
                    p += n[l - 1] * n[l] + (b[l] != null ? n[l] : 0);
                }
            }
            double[][] jac = new double[rows][p];
            for (int i = 0; i < rows; i++) {
                int at = 0;
                for (int l = 1; l <= depth; l++) {
                    if (!net.isTrainable(l)) {
                        continue;
                    }
                    for (int a = 0; a < n[l - 1]; a++) {
                        for (int q = 0; q < n[l]; q++) {
                            jac[i][at++] = s[l] * f[l - 1][i][a] * delta[l][i][q];
                        }
                    }
                    if (b[l] != null) {
                        for (int q = 0; q < n[l]; q++) {
                            jac[i][at++] = delta[l][i][q];
                        }
                    }
                }
            }
            return jac;
        }

        /** The Jacobian's columns against central differences of f (h = 1e-6, error ≈ 1e-10, allowed 1e-7). */
        void checkJacobianByFiniteDifferences(double[][] jac) {
            double h = 1e-6;
            double[][][] savedF = f;
            int at = 0;
            for (int l = 1; l <= depth; l++) {
                if (!net.isTrainable(l)) {
                    continue;
                }
                for (int a = 0; a < n[l - 1]; a++) {
                    for (int q = 0; q < n[l]; q++) {
                        double v = w[l][a][q];
                        w[l][a][q] = v + h;
                        forward();
                        double[][] plus = f[depth];
                        w[l][a][q] = v - h;
                        forward();
                        double[][] minus = f[depth];
                        w[l][a][q] = v;
                        for (int i = 0; i < rows; i++) {
                            assertEquals((plus[i][0] - minus[i][0]) / (2 * h), jac[i][at], 1e-7, "J[" + i + "] W" + l);
                        }
                        at++;
                    }
                }
                if (b[l] != null) {
                    at += n[l];
                }
            }
            forward();
            assertEquals(savedF[depth][0][0], f[depth][0][0]);
        }

        /** Bound on |K̂ᵢⱼ − Kᵢⱼ| from the float F_{l−1} and Δ_l the identity multiplies. */
        double[][] ntkErrorBound() {
            double[][] e = new double[rows][rows];
            for (int l = 1; l <= depth; l++) {
                if (!net.isTrainable(l)) {
                    continue;
                }
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < rows; j++) {
                        double ff = 0, eff = 0, dd = 0, edd = 0;
                        for (int a = 0; a < n[l - 1]; a++) {
                            ff += Math.abs(f[l - 1][i][a] * f[l - 1][j][a]);
                            eff += ef[l - 1][i][a] * Math.abs(f[l - 1][j][a])
                                    + Math.abs(f[l - 1][i][a]) * ef[l - 1][j][a];
                        }
                        for (int q = 0; q < n[l]; q++) {
                            dd += Math.abs(delta[l][i][q] * delta[l][j][q]);
                            edd += edelta[l][i][q] * Math.abs(delta[l][j][q])
                                    + Math.abs(delta[l][i][q]) * edelta[l][j][q];
                        }
                        e[i][j] += s[l] * s[l] * (eff * dd + ff * edd + 2 * EPS * ff * dd) + (b[l] != null ? edd : 0);
                    }
                }
            }
            return e;
        }
    }
}
