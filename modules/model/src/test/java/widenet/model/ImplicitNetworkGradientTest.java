package widenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import widenet.kernel.KernelProvider;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/**
 * The implicit-differentiation gradient of {@link ImplicitNetwork} (float, through the kernels, fixed points to a
 * tolerance) against central finite differences of the loss of {@link ImplicitReference} (double, equilibria to
 * 1e-14), for every option, at the cold first pass and again warm-started after two gradient steps.
 *
 * <p>Tolerance, derived (Frobenius norms over each parameter block; u = 2⁻²⁴ the float unit roundoff, γ_k = ku/(1−ku)
 * the worst-case error factor of a k-term float sum; ρ = ‖Ã‖₂ &lt; 1 the contraction factor of both fixed-point maps,
 * row by row in the 2-norm and therefore for the batch in the Frobenius norm):
 * <ul>
 *   <li>Φ: each entry is a d-term dot product times s (1/√m or 1/√d): |δφ| ≤ γ_{d+1}·sΣ_k|W_jk x_k| =: e_φ.</li>
 *   <li>Z: one float application of z ↦ relu(Ãz + φ) errs by e_z ≤ γ_{m+2}(Σ_k|Ã_jk z_k| + |φ_j|) per entry. If the
 *       iteration stopped with relative change ρ_f (recorded by the network) then
 *       ‖Z − Z*‖ ≤ (ρ·ρ_f·‖Z‖ + ‖e_z‖ + ‖e_φ‖)/(1 − ρ) =: E_z (the last term: z* is 1/(1−ρ)-Lipschitz in φ).</li>
 *   <li>r: ‖δr‖ ≤ ‖u‖E_z + ‖v‖‖e_φ‖ + ‖γ_{m+1}(|Z||u| + |Φ||v|)‖ + u‖|ŷ| + |y|‖ =: E_r.</li>
 *   <li>P: the adjoint is linear in r with ‖∂P/∂r‖ ≤ c‖u‖/(1−ρ), one application errs by
 *       e_p ≤ γ_{m+3}(Σ_k|p_k Ã_kj| + |c rᵢ u_j|), so ‖P − P*‖ ≤ (ρ·ρ_b·‖P‖ + ‖e_p‖ + c‖u‖E_r)/(1 − ρ) =: E_p.</li>
 *   <li>∂A = αPᵀZ: α(E_p‖Z‖ + ‖P‖E_z) + γ_{b+1}α‖|P|ᵀ|Z|‖; ∂W = sG_φᵀX with ‖δG_φ‖ ≤ E_p + c‖v‖E_r +
 *       2u‖|P| + c|r||v|ᵀ‖: s(‖δG_φ‖‖X‖ + γ_{b+1}‖|G_φ|ᵀ|X|‖); ∂u = cZᵀr: c(E_z‖r‖ + ‖Z‖E_r) + γ_{b+1}c‖|Z|ᵀ|r|‖;
 *       ∂v = cΦᵀr: c(‖e_φ‖‖r‖ + ‖Φ‖E_r) + γ_{b+1}c‖|Φ|ᵀ|r|‖.</li>
 * </ul>
 * These are first-order bounds evaluated at the double-precision solution; the factor 2 applied to them covers the
 * second-order terms (products of two errors, relatively ~1e-5 smaller) and the float-versus-double norms. The finite
 * difference adds its own error, bounded per entry by the loss's rounding 2·1e-13·ℓ/(2h) plus the truncation error,
 * estimated by Richardson as |D(2h) − D(h)|/3. A kink of a ReLU inside a finite-difference step would break the
 * comparison, so every perturbed solve must keep the base activation pattern (else the seed is unusable and the test
 * says so).
 */
class ImplicitNetworkGradientTest {
    static final double U = Math.ulp(1f) / 2;
    static final double H = 1e-5;
    static final double TOL = 1e-6;

    static double gammaK(int k) {
        return k * U / (1 - k * U);
    }

    static Stream<Arguments> cases() {
        String[] providers = KernelProviders.all().stream()
                .filter(KernelProvider::isAvailable)
                .map(KernelProvider::name)
                .toArray(String[]::new);
        Object[][] options = {
            // phiRelu, skip, loss, frozen, paper (φ scale 1/√m, Rademacher u, v) or the earlier 1/√d, Gaussian
            {true, true, "sum", "", true}, // Gao et al.'s network as printed
            {true, true, "mean", "", true},
            {true, true, "sum", "W", true},
            {true, true, "sum", "u,v", true},
            {false, false, "sum", "", false},
            {true, false, "sum", "", false},
            {false, true, "sum", "", false},
            {true, true, "mean", "", false},
            {false, false, "mean", "A", false},
            {false, true, "sum", "W", false},
            {true, true, "sum", "A,W", false},
            {true, false, "mean", "u", false},
            {false, true, "sum", "u,v", false},
        };
        return Arrays.stream(providers)
                .flatMap(p -> Arrays.stream(options).map(o -> Arguments.of(p, o[0], o[1], o[2], o[3], o[4])));
    }

    @ParameterizedTest(name = "{0}: phiRelu={1} skip={2} loss={3} frozen=[{4}] paper scale/init={5}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferencesColdAndWarm(
            String provider, boolean phiRelu, boolean skip, String loss, String frozen, boolean paper) {
        int n = 5, d = 4, m = 12;
        double gamma = 0.3;
        Set<String> frozenSet = frozen.isEmpty() ? Set.of() : Set.of(frozen.split(","));
        SplittableRandom rng =
                new SplittableRandom(2022 + (phiRelu ? 1 : 0) + (skip ? 2 : 0) + frozen.hashCode() + (paper ? 7 : 0));
        var cfg = new ImplicitNetwork.Config(
                d,
                m,
                n,
                gamma,
                phiRelu,
                paper ? ImplicitNetwork.FeatureScale.SQRT_M : ImplicitNetwork.FeatureScale.SQRT_D,
                skip,
                paper ? ImplicitNetwork.OutputInit.RADEMACHER : ImplicitNetwork.OutputInit.GAUSSIAN,
                1.0,
                LossKind.parse(loss),
                frozenSet,
                new ImplicitNetwork.Solver(TOL, 1000),
                false,
                1);
        try (Kernels k = KernelProviders.open(provider, 2);
                FloatMatrix x = FloatMatrix.allocate(n, d);
                FloatMatrix y = FloatMatrix.allocate(n, 1);
                ImplicitNetwork net = new ImplicitNetwork(k, cfg, rng)) {
            unitRows(x, rng);
            Gaussian.fill(y, rng, 1.0);
            for (Parameter p : net.parameters()) {
                assertEquals(!frozenSet.contains(p.name()), p.trainable(), p.name() + " trainable");
            }
            check(net, x, y, "cold");
            assertTrue(net.forwardIterations() > 3, "cold start iterates");
            for (int step = 0; step < 2; step++) {
                for (Parameter p : net.parameters()) {
                    if (p.trainable()) {
                        k.axpy(-0.02f, p.gradient(), p.value());
                    }
                }
                net.forward(x, y);
                net.backward();
            }
            int coldIterations = net.forwardIterations();
            check(net, x, y, "warm");
            assertTrue(net.forwardIterations() <= coldIterations, "a warm start needs no more iterations");
        }
    }

    static void unitRows(FloatMatrix x, SplittableRandom rng) {
        Gaussian.fill(x, rng, 1.0);
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int j = 0; j < x.cols(); j++) {
                s += x.get(i, j) * x.get(i, j);
            }
            for (int j = 0; j < x.cols(); j++) {
                x.set(i, j, (float) (x.get(i, j) / Math.sqrt(s)));
            }
        }
    }

    private static void check(ImplicitNetwork net, FloatMatrix x, FloatMatrix y, String when) {
        double lossF = net.forward(x, y);
        net.backward();
        ImplicitReference ref = new ImplicitReference(net, x, y);
        double loss = ref.loss();
        ref.adjoint();
        boolean[] pattern = ref.pattern();
        double rho = ref.spectralNorm() * (1 + 1e-9);
        assertTrue(rho < 1, "test set-up: ‖Ã‖₂ = " + rho + " must be < 1");
        assertTrue(net.forwardResidual() <= TOL, "forward residual " + net.forwardResidual());
        boolean adjointSolved = net.config().trains("A") || net.config().trains("W");
        assertEquals(adjointSolved, net.adjointIterations() > 0, "adjoint solved iff A or B is trained");
        if (adjointSolved) {
            assertTrue(net.adjointResidual() <= TOL, "adjoint residual " + net.adjointResidual());
        }
        Bounds e = new Bounds(ref, rho, net.forwardResidual(), adjointSolved ? net.adjointResidual() : 0);
        assertEquals(loss, lossF, 2 * e.loss + 1e-13 * loss, when + ": loss");
        // The equilibrium itself.
        FloatMatrix z = net.equilibrium();
        double dz = 0;
        for (int i = 0; i < ref.n; i++) {
            for (int j = 0; j < ref.m; j++) {
                dz += Math.pow(z.get(i, j) - ref.z[i][j], 2);
            }
        }
        assertTrue(Math.sqrt(dz) <= 2 * e.z, when + ": ‖Z − Z*‖ = " + Math.sqrt(dz) + " > 2·" + e.z);

        compare(net, ref, "A", ref.a, e.gradA, loss, pattern, when);
        compare(net, ref, "W", ref.b, e.gradW, loss, pattern, when);
        compare(net, ref, "u", column(ref.u), e.gradU, loss, pattern, when);
        if (ref.skip) {
            compare(net, ref, "v", column(ref.v), e.gradV, loss, pattern, when);
        }
    }

    /** u or v shaped as m×1 for the entry loop (the perturbations go to the vector itself). */
    private static double[][] column(double[] v) {
        double[][] out = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            out[i][0] = v[i];
        }
        return out;
    }

    private static void compare(
            ImplicitNetwork net,
            ImplicitReference ref,
            String name,
            double[][] values,
            double floatBound,
            double loss,
            boolean[] pattern,
            String when) {
        Parameter p = net.parameters().stream()
                .filter(q -> q.name().equals(name))
                .findFirst()
                .orElseThrow();
        FloatMatrix g = p.gradient();
        boolean vector = name.equals("u") || name.equals("v");
        double[] target = name.equals("u") ? ref.u : name.equals("v") ? ref.v : null;
        double diff2 = 0, fdErr2 = 0, norm2 = 0;
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[i].length; j++) {
                double d1 = central(ref, vector ? target : null, values, i, j, H, pattern, name, when);
                double d2 = central(ref, vector ? target : null, values, i, j, 2 * H, pattern, name, when);
                double err = 2 * 1e-13 * Math.max(loss, 1e-300) / (2 * H) + Math.abs(d2 - d1) / 3;
                double got = g.get(i, j);
                if (!p.trainable()) {
                    assertEquals(0.0, got, name + " is frozen: its gradient stays unwritten (zero)");
                    continue;
                }
                diff2 += (got - d1) * (got - d1);
                fdErr2 += err * err;
                norm2 += d1 * d1;
            }
        }
        if (!p.trainable()) {
            return;
        }
        double tol = 2 * floatBound + Math.sqrt(fdErr2);
        assertTrue(norm2 > 0, name + " gradient is not trivially zero");
        assertTrue(
                Math.sqrt(diff2) <= tol,
                when + ": ‖∂L/∂" + name + " − finite difference‖_F = " + Math.sqrt(diff2) + " > tolerance " + tol
                        + " (gradient norm " + Math.sqrt(norm2) + ")");
        // The tolerance must be far below the gradient itself, or the comparison would prove nothing.
        assertTrue(
                tol < 1e-3 * Math.sqrt(norm2), name + ": tolerance " + tol + " vs gradient norm " + Math.sqrt(norm2));
    }

    /** (L(θ + h) − L(θ − h))/(2h) for the entry (i, j) of {@code values} (or entry i of {@code vector}). */
    private static double central(
            ImplicitReference ref,
            double[] vector,
            double[][] values,
            int i,
            int j,
            double h,
            boolean[] pattern,
            String name,
            String when) {
        double saved = vector != null ? vector[i] : values[i][j];
        set(vector, values, i, j, saved + h);
        double lp = ref.loss();
        boolean samePlus = Arrays.equals(pattern, ref.pattern());
        set(vector, values, i, j, saved - h);
        double lm = ref.loss();
        boolean sameMinus = Arrays.equals(pattern, ref.pattern());
        set(vector, values, i, j, saved);
        assertFalse(
                !samePlus || !sameMinus,
                when + ": a ReLU kink lies within ±" + h + " of " + name + "[" + i + "][" + j + "]: pick another seed");
        return (lp - lm) / (2 * h);
    }

    private static void set(double[] vector, double[][] values, int i, int j, double v) {
        if (vector != null) {
            vector[i] = v;
        } else {
            values[i][j] = v;
        }
    }

    /** The first-order float error bounds of the class comment, at the reference solution. */
    static final class Bounds {
        final double z, loss, gradA, gradW, gradU, gradV;

        Bounds(ImplicitReference ref, double rho, double fwdRes, double adjRes) {
            int n = ref.n, m = ref.m, d = ref.d;
            double c = ref.c;
            double ePhi2 = 0, eZ2 = 0, zNorm2 = 0, phiNorm2 = 0, ePred2 = 0, rNorm2 = 0, uNorm2 = 0, vNorm2 = 0;
            double pNorm2 = 0, eP2 = 0;
            for (int j = 0; j < m; j++) {
                uNorm2 += ref.u[j] * ref.u[j];
                vNorm2 += ref.v[j] * ref.v[j];
            }
            for (int i = 0; i < n; i++) {
                double predAbs = 0;
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += Math.abs(ref.b[j][k] * ref.x[i][k]);
                    }
                    ePhi2 += Math.pow(gammaK(d + 1) * s * ref.phiScale, 2);
                    double t = Math.abs(ref.phi[i][j]);
                    for (int k = 0; k < m; k++) {
                        t += Math.abs(ref.alpha * ref.a[j][k] * ref.z[i][k]);
                    }
                    eZ2 += Math.pow(gammaK(m + 2) * t, 2);
                    zNorm2 += ref.z[i][j] * ref.z[i][j];
                    phiNorm2 += ref.phi[i][j] * ref.phi[i][j];
                    predAbs += Math.abs(ref.u[j] * ref.z[i][j]) + Math.abs(ref.v[j] * ref.phi[i][j]);
                    pNorm2 += ref.p[i][j] * ref.p[i][j];
                    double q = Math.abs(c * ref.r[i] * ref.u[j]);
                    for (int k = 0; k < m; k++) {
                        q += Math.abs(ref.p[i][k] * ref.alpha * ref.a[k][j]);
                    }
                    eP2 += Math.pow(gammaK(m + 3) * q, 2);
                }
                double yhat = ref.r[i] + ref.y[i];
                ePred2 += Math.pow(gammaK(m + 1) * predAbs + U * (Math.abs(yhat) + Math.abs(ref.y[i])), 2);
                rNorm2 += ref.r[i] * ref.r[i];
            }
            double ePhi = Math.sqrt(ePhi2), zNorm = Math.sqrt(zNorm2), phiNorm = Math.sqrt(phiNorm2);
            double uNorm = Math.sqrt(uNorm2),
                    vNorm = Math.sqrt(vNorm2),
                    rNorm = Math.sqrt(rNorm2),
                    pNorm = Math.sqrt(pNorm2);
            z = (rho * fwdRes * zNorm + Math.sqrt(eZ2) + ePhi) / (1 - rho);
            double eR = uNorm * z + vNorm * ePhi + Math.sqrt(ePred2);
            double eP = (rho * adjRes * pNorm + Math.sqrt(eP2) + c * uNorm * eR) / (1 - rho);
            loss = c * rNorm * eR;

            double pz = 0, gx = 0, zr = 0, phir = 0, gPhiAbs2 = 0;
            double[][] gPhi = new double[n][m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double g = ref.p[i][j] + (ref.skip ? c * ref.r[i] * ref.v[j] : 0);
                    gPhi[i][j] = ref.phiRelu && ref.prePhi[i][j] <= 0 ? 0 : g;
                    gPhiAbs2 += Math.pow(Math.abs(ref.p[i][j]) + Math.abs(c * ref.r[i] * ref.v[j]), 2);
                }
            }
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < m; k++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += Math.abs(ref.p[i][j] * ref.z[i][k]);
                    }
                    pz += s * s;
                }
                for (int k = 0; k < d; k++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += Math.abs(gPhi[i][j] * ref.x[i][k]);
                    }
                    gx += s * s;
                }
                double s1 = 0, s2 = 0;
                for (int i = 0; i < n; i++) {
                    s1 += Math.abs(ref.z[i][j] * ref.r[i]);
                    s2 += Math.abs(ref.phi[i][j] * ref.r[i]);
                }
                zr += s1 * s1;
                phir += s2 * s2;
            }
            double xNorm = 0;
            for (double[] row : ref.x) {
                for (double v : row) {
                    xNorm += v * v;
                }
            }
            xNorm = Math.sqrt(xNorm);
            gradA = ref.alpha * (eP * zNorm + pNorm * z) + gammaK(n + 1) * ref.alpha * Math.sqrt(pz);
            double eG = eP + c * vNorm * eR + 2 * U * Math.sqrt(gPhiAbs2);
            gradW = (eG * xNorm + gammaK(n + 1) * Math.sqrt(gx)) * ref.phiScale;
            gradU = c * (z * rNorm + zNorm * eR) + gammaK(n + 1) * c * Math.sqrt(zr);
            gradV = c * (ePhi * rNorm + phiNorm * eR) + gammaK(n + 1) * c * Math.sqrt(phir);
        }
    }
}
