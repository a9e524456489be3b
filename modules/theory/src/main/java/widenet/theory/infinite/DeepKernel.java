package widenet.theory.infinite;

import widenet.model.DeepNetwork;
import widenet.model.WeightInit;
import widenet.tensor.FloatMatrix;

/**
 * The NNGP Σ and the NTK Θ of a {@link DeepNetwork} in the limit of infinite widths, by the layer recursion
 * (Neal 1996, Lee et al. 2018, Jacot et al. 2018), matched to how DeepNetwork parameterises and initialises:
 * Z_l = s_l F_{l−1} W_l (+ b_l), W_l ~ N(0, std_l²) entrywise ({@link WeightInit#std}, the output layer's draw times
 * the output scale), s_l = √(c/n_{l−1}) for {@code ntk:c} and 1 otherwise, biases starting at 0, frozen layers not
 * trained. With the effective weight variance v_l = n_{l−1}·s_l²·std_l² (1 for LeCun, 2 for He, c for ntk:c,
 * 2n_{l−1}/(n_{l−1} + n_l) for Xavier: the same at any scale of the widths) and the dual (q, ṗ) of σ
 * ({@link DualActivation}), per pair of inputs:
 * <pre>
 *   Σ¹ = v₁·xᵀx′/d,   q⁰ = xᵀx′/d
 *   qˡ = q(Σˡ),  ṗˡ = ṗ(Σˡ),  Σ^{l+1} = v_{l+1}·qˡ                      l = 1..L−1  (variances from the diagonal)
 *   Θ¹ = [t₁q⁰ + β₁],  Θ^{l+1} = v_{l+1}ṗˡ·Θˡ + [t_{l+1}qˡ + β_{l+1}]    [·] only for trained layers
 *   NNGP = Σᴸ,  NTK = Θᴸ
 * </pre>
 * t_l = s_l²·n_{l−1} is what the gradient with respect to the stored W_l carries: c_l in the NTK parameterisation
 * (the limit is finite), n_{l−1} in the standard one; β_l = 1 for a trained bias (∂f/∂b_l = Δ_l), else 0. This is
 * exactly the per-layer identity {@code EmpiricalNtk} forms, K = Σ_l s_l²(F_{l−1}F_{l−1}ᵀ)⊙(Δ_lΔ_lᵀ) (+ Δ_lΔ_lᵀ),
 * with F_{l−1}F_{l−1}ᵀ → n_{l−1}q^{l−1} and Δ_lΔ_lᵀ → Bˡ = Π_{k≥l} v_{k+1}ṗᵏ.
 *
 * <p>Normalisation. In the standard parameterisation a hidden layer's term grows like its fan-in, so Θ has no finite
 * limit; widenet reports it at the network's own widths — the limit of K(0)/n̄ with all widths growing in proportion
 * (n_l = α_l·n̄), multiplied back by n̄ — so that the empirical K(0) of a wide network is Θ·(1 + O(1/√n̄)) and the
 * stable step 2/λ_max(Θ) applies to that network as it is. (Only {@code standard:v} draws at a hidden layer make
 * v_l itself grow with the width; the recursion then uses v_l at the given widths.) One output: the kernel of each
 * of k outputs is the same Θ and outputs do not couple in the limit.
 */
public final class DeepKernel implements InfiniteWidthKernel {
    /** The Gauss–Hermite order per dimension for activations without a closed form. */
    public static final int DEFAULT_QUADRATURE = 64;

    private final int depth;
    private final int inputDim;
    private final double[] v; // v_l, index 1..L
    private final double[] t; // t_l (0 when the layer is frozen)
    private final double[] beta; // β_l
    private final DualActivation dual;
    private final boolean standardGrowth;

    /** The kernel of a network with these settings; {@code quadrature} as in {@link DualActivation#of}. */
    public DeepKernel(DeepNetwork.Config config, int quadrature) {
        int[] n = config.widths();
        depth = n.length - 1;
        inputDim = n[0];
        v = new double[depth + 1];
        t = new double[depth + 1];
        beta = new double[depth + 1];
        boolean growth = false;
        for (int l = 1; l <= depth; l++) {
            WeightInit init = config.inits().get(l - 1);
            double std = init.std(n[l - 1], n[l]) * (l == depth ? config.outputScale() : 1);
            double s = init.forwardScale(n[l - 1]);
            v[l] = n[l - 1] * s * s * std * std;
            boolean trained = !config.frozen().contains(l);
            t[l] = trained ? s * s * n[l - 1] : 0;
            beta[l] = trained && config.biases() ? 1 : 0;
            growth |= trained && l > 1 && init.kind() != WeightInit.Kind.NTK;
        }
        standardGrowth = growth;
        dual = DualActivation.of(config.activation(), quadrature);
    }

    public DeepKernel(DeepNetwork.Config config) {
        this(config, DEFAULT_QUADRATURE);
    }

    /** v_l = n_{l−1}·s_l²·std_l², l = 1..L. */
    public double weightVariance(int l) {
        return v[l];
    }

    @Override
    public String normalisation() {
        return standardGrowth
                ? "standard parameterisation: Θ grows with the hidden widths; evaluated at the network's widths "
                        + "(lim K(0)/n̄ with widths n_l = α_l·n̄ growing in proportion, times n̄), so K(0)/Θ → 1"
                : "NTK parameterisation (or only the first layer trained): Θ is the finite infinite-width limit";
    }

    @Override
    public double[] ntk(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, false, true)[1];
    }

    @Override
    public double[] nngp(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, true, false)[0];
    }

    /** {NNGP, NTK}, each rows(X₁)×rows(X₂) row-major (x2 null: X₁ with itself). */
    public double[][] compute(FloatMatrix x1, FloatMatrix x2, int threads) {
        return compute(x1, x2, threads, true, true);
    }

    /** As {@link #compute(FloatMatrix, FloatMatrix, int)}; an output not wanted is null (one output: one n² array). */
    private double[][] compute(FloatMatrix x1, FloatMatrix x2, int threads, boolean wantNngp, boolean wantNtk) {
        if (x1.cols() != inputDim || (x2 != null && x2.cols() != inputDim)) {
            throw new IllegalArgumentException("inputs must have d = " + inputDim + " features");
        }
        PairGrid grid = new PairGrid(x1, x2);
        double[][] pre1 = variances(grid.sq1), pre2 = grid.symmetric ? pre1 : variances(grid.sq2);
        double[] nngp = wantNngp ? (wantNtk ? new double[grid.rows * grid.cols] : grid.inner) : null;
        double[] ntk = wantNtk ? grid.inner : null;
        PairGrid.Entry entry = (i, j, gij, scratch, out) -> entry(pre1[i], pre2[j], gij, scratch, out);
        if (wantNngp && wantNtk) {
            grid.fill(threads, 2, entry, nngp, ntk);
        } else {
            double[] only = wantNtk ? ntk : nngp;
            int index = wantNtk ? 1 : 0;
            grid.fill(
                    threads,
                    3,
                    (i, j, gij, scratch, out) -> {
                        entry.eval(i, j, gij, scratch, scratch); // scratch[0..1] = {NNGP, NTK}, scratch[2] unused
                        out[0] = scratch[index];
                    },
                    only);
        }
        return new double[][] {nngp, ntk};
    }

    /** Per sample, the pre-activation variance Σˡ(x, x) for l = 1..L (index l). */
    private double[][] variances(double[] squares) {
        double[][] out = new double[squares.length][depth + 1];
        double[] qp = new double[2];
        for (int i = 0; i < squares.length; i++) {
            double a = v[1] * squares[i] / inputDim;
            out[i][1] = a;
            for (int l = 1; l < depth; l++) {
                dual.evalDiagonal(a, qp);
                a = v[l + 1] * qp[0];
                out[i][l + 1] = a;
            }
        }
        return out;
    }

    private void entry(double[] ai, double[] bj, double gij, double[] qp, double[] out) {
        double q = gij / inputDim; // q⁰
        double c = v[1] * q; // Σ¹
        double theta = t[1] * q + beta[1];
        for (int l = 1; l < depth; l++) {
            dual.eval(ai[l], bj[l], c, qp);
            q = qp[0];
            c = v[l + 1] * q;
            theta = v[l + 1] * qp[1] * theta + t[l + 1] * q + beta[l + 1];
        }
        out[0] = c;
        out[1] = theta;
    }
}
