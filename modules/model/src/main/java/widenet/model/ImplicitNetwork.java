package widenet.model;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * The implicit (equilibrium) ReLU network of Gao, Liu, Liu, Rajan &amp; Gao (ICLR 2022): the prediction is defined by
 * the equilibrium
 * <pre>
 *   z* = relu(Ã z* + φ(x)),   Ã = (γ/√m)·A,   φ(x) = (1/√m)·relu(W x),
 *   ŷ = uᵀz* + vᵀφ(x),
 * </pre>
 * with A ∈ ℝ^{m×m}, W ∈ ℝ^{m×d}, A_ij, W_ij ~ N(0, 1) and u, v Rademacher (±1) at initialisation, all four trained:
 * this is the paper's network ({@link Config#paper}). ‖A‖₂ ≈ 2√m at initialisation, so ‖Ã‖₂ ≈ 2γ: for γ &lt; ½ the
 * map z ↦ relu(Ãz + φ) is a contraction (relu is 1-Lipschitz) with a unique fixed point reached geometrically.
 *
 * <p>An earlier variant stays reachable through the settings, each named for what it changes: a linear feature map
 * ({@code phiRelu} false), the factor 1/√d instead of 1/√m ({@link FeatureScale#SQRT_D}), no skip term
 * ({@code outputSkip} false), Gaussian output weights ({@link OutputInit#GAUSSIAN}), frozen parameters. With the
 * factor 1/√d, ‖φ‖² ≈ m/d grows with the width and so do the initial outputs; with 1/√m, ‖φ‖² ≈ ½ and ŷ(0) = O(1).
 *
 * <p>Batched over b samples, rows of Z (b×m) are the zᵢ*ᵀ. With the loss L = ½·c·Σᵢ rᵢ², rᵢ = ŷᵢ − yᵢ (c = 1 for the
 * sum, 1/b for the mean):
 * <pre>
 *   forward:  Φ = s·relu(X Wᵀ), s = 1/√m (or 1/√d)   (NT GEMM; its ReLU epilogue writes D_φ)
 *             Z ← relu(Z Ãᵀ + Φ), D = 1{Z Ãᵀ + Φ &gt; 0}  (one NT GEMM per iteration on a copy of Φ, β = 1, fused ReLU)
 *             until ‖Z_{t+1} − Z_t‖_F ≤ tol·‖Z_{t+1}‖_F
 *             ŷ = Z u (+ Φ v),  r = ŷ − y
 *   backward: per sample the adjoint (I − ÃᵀDᵢ) wᵢ = c·rᵢ·u; the quantity used is pᵢ = Dᵢwᵢ, the fixed point of
 *             pᵢ = Dᵢ(Ãᵀpᵢ + c·rᵢ·u); as rows (pᵢᵀÃ = (Ãᵀpᵢ)ᵀ):
 *             P ← D ⊙ (P Ã + c·r uᵀ)                   (rank-one term masked, NN GEMM with β = 1, mask)
 *             ∂L/∂A = (γ/√m) Pᵀ Z                     (∂L/∂Ã = Σᵢ Dᵢwᵢ zᵢᵀ)
 *             G_φ = (P + c·r vᵀ) ⊙ D_φ                (∂L/∂φᵢ; the skip and the φ-ReLU terms only when enabled)
 *             ∂L/∂W = s G_φᵀ X
 *             ∂L/∂u = c Zᵀ r,  ∂L/∂v = c Φᵀ r
 * </pre>
 * Both fixed-point iterations are warm-started from the previous pass's solution when the batch is the same (the
 * inputs are compared bit for bit); otherwise the forward starts from Z = 0 (first iterate relu(Φ)) and the adjoint
 * from P = 0 (first iterate D ⊙ c·r uᵀ). Frozen parameters get no gradient; with A and W both frozen the adjoint is
 * not solved at all. All buffers are sized once; after warm-up forward and backward allocate nothing.
 *
 * <p>Everything the next steps depend on besides the weights (the warm starts Z* and P with the input they belong
 * to, the power-iteration iterate of ‖Ã‖₂, the contraction check's step counter, the last solves' counts) is in
 * {@link #extraState()}, so a run resumed from a checkpoint continues bit for bit.
 *
 * <p>A forward or adjoint iteration that does not reach its tolerance, iterates that overflow, or (when required)
 * ‖Ã‖₂ ≥ 1 at a check throw {@link FixedPointException}: the state would otherwise be meaningless or NaN.
 */
public final class ImplicitNetwork implements Network, ImplicitNetworkSettings {
    public static final String KIND = "implicit";

    private static final int POWER_ITERATIONS = 200;
    private static final double POWER_TOL = 1e-6;

    private final Kernels kernels;
    private final Config config;
    private final int d;
    private final int m;
    private final float alpha; // γ/√m: Ã = alpha·A
    private final float phiScale; // s: 1/√m (the paper's) or 1/√d
    private final ImplicitWeights weights; // A, W, u, v with their gradients and step-0 copies
    private final ImplicitBuffers buffers; // Φ, Z, P, D, ŷ, r and the stored input, capacity rows each
    private final SpectralNorm spectralNorm;
    private final FixedPointIterations iterations; // the forward and adjoint solves
    private final FixedPointIterations
            sensitivities; // the output sensitivities' solve (leaves the other's counts alone)
    private final ImplicitSolveState state = new ImplicitSolveState(); // warm-start flags, counters, residuals
    private final BatchViews<ImplicitBuffers.Batch> batches;

    private ImplicitBuffers.Batch last;
    private FloatMatrix lastX;
    private float lastFactor;
    private int zCurrent; // which Z buffer holds the equilibrium
    private int pCurrent; // which P buffer holds the adjoint

    /**
     * A network with A, W ~ N(0, 1) and u (then v) Rademacher ±s or N(0, s²), drawn from {@code rng} in that order,
     * row by row.
     */
    public ImplicitNetwork(Kernels kernels, Config config, SplittableRandom rng) {
        this(kernels, config);
        weights.draw(kernels, config, rng);
    }

    private ImplicitNetwork(Kernels kernels, Config config) {
        this.kernels = kernels;
        this.config = config;
        this.d = config.inputDim();
        this.m = config.width();
        this.alpha = (float) (config.gamma() / Math.sqrt(m));
        this.phiScale = (float) config.featureFactor();
        this.weights = new ImplicitWeights(config);
        this.buffers = new ImplicitBuffers(config);
        spectralNorm = new SpectralNorm(kernels, m, m, POWER_ITERATIONS, POWER_TOL);
        iterations = new FixedPointIterations(kernels, weights.a, weights.uVec, alpha, config.solver());
        sensitivities = new FixedPointIterations(kernels, weights.a, weights.uVec, alpha, config.solver());
        batches = new BatchViews<>(buffers::batch);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int inputDim() {
        return d;
    }

    @Override
    public int outputDim() {
        return 1;
    }

    @Override
    public int capacity() {
        return config.capacity();
    }

    @Override
    public List<Parameter> parameters() {
        return weights.parameters;
    }

    /**
     * The warm starts and solver state, as of this call: {@code Z_star} (the stored equilibrium, capacity×m),
     * {@code P} (the stored adjoint), {@code X_last} (the input they belong to), {@code power_iterate} (the power
     * iteration's vector for ‖Ã‖₂) and {@code solver_scalars} (the counters, flags and residuals, packed exactly).
     * Which of the double buffers holds Z* and P is not state: both iterations overwrite the other buffer before
     * reading it, so the values are restored into whichever is current.
     */
    @Override
    public List<Parameter> extraState() {
        FloatMatrix packed = state.pack(spectralNorm);
        return List.of(
                Parameter.matrix("Z_star", buffers.zs[zCurrent], null, false),
                Parameter.matrix("P", buffers.ps[pCurrent], null, false),
                Parameter.matrix("X_last", buffers.lastInput, null, false),
                Parameter.vector("power_iterate", spectralNorm.iterate(), null, false),
                Parameter.vector("solver_scalars", packed, null, false));
    }

    @Override
    public void extraStateLoaded() {
        state.unpack(config.capacity(), spectralNorm);
        last = null; // a backward pass needs a forward pass on the restored state first
    }

    public Config config() {
        return config;
    }
    /** ‖Ã‖₂ at the first estimate since {@link #markInitialState()} (step 0 of a run), NaN before it. */
    public double initialSpectralNorm() {
        return state.initialNorm;
    }
    /** The equilibrium features Z* of the last forward pass (b×m, row i is zᵢ*). */
    public FloatMatrix equilibrium() {
        return last == null ? buffers.zs[0].rows(0, 0) : last.z[zCurrent];
    }
    /** Iterations the last forward pass took (counting the first iterate relu(Φ) of a cold start). */
    public int forwardIterations() {
        return state.forwardIterations;
    }
    /** ‖Z_{t+1} − Z_t‖_F / ‖Z_{t+1}‖_F at the end of the last forward pass. */
    public double forwardResidual() {
        return state.forwardResidual;
    }
    /** Iterations the last adjoint solve took (0 if it was not needed). */
    public int adjointIterations() {
        return state.adjointIterations;
    }
    /** The relative residual at the end of the last adjoint solve (NaN if none). */
    public double adjointResidual() {
        return state.adjointResidual;
    }

    /**
     * ‖Ã‖₂ = (γ/√m)·σ_max(A) by power iteration (GEMVs with A and Aᵀ), continuing from the previous estimate's
     * iterate; a lower bound that is tight once converged (see {@link SpectralNorm}).
     */
    public double spectralNorm() {
        state.lastNorm = alpha * spectralNorm.estimate(weights.a);
        if (Double.isNaN(state.initialNorm)) {
            state.initialNorm = state.lastNorm;
        }
        return state.lastNorm;
    }

    @Override
    public double forward(FloatMatrix x, FloatMatrix y) {
        int rows = x.rows();
        ForwardArguments.check(this, x, y);
        if (config.requireContraction()
                && (state.stepsSinceCheck < 0 || state.stepsSinceCheck >= config.contractionCheckEvery())) {
            state.stepsSinceCheck = 0;
            if (!(spectralNorm() < 1)) {
                invalidate();
                throw FixedPointException.notContraction(state.lastNorm, state.initialNorm, config.gamma());
            }
        }
        ImplicitBuffers.Batch t = batches.forRows(rows);
        boolean warm = rows == state.storedRows && kernels.countDifferent(x, t.input) == 0;
        if (!warm) {
            kernels.copy(x, t.input);
            state.storedRows = -1;
            state.adjointStored = false;
        }
        last = null;
        kernels.gemm(Op.N, Op.T, phiScale, x, weights.w, 0f, t.phi, t.phiEpilogue); // Φ = s·relu(X Wᵀ), D_φ
        solveEquilibrium(t, warm);
        FloatMatrix z = t.z[zCurrent];
        kernels.gemv(Op.N, 1f, z, weights.uVec, 0f, t.yVec); // ŷ = Z u
        if (config.outputSkip()) {
            kernels.gemv(Op.N, 1f, t.phi, weights.vVec, 1f, t.yVec); //   + Φ v
        }
        kernels.copy(t.y, t.r);
        kernels.axpy(-1f, y, t.r); // r = ŷ − y
        state.storedRows = Double.isFinite(state.forwardResidual) ? rows : -1;
        last = t;
        lastX = x;
        lastFactor = config.loss().factor(rows);
        return 0.5 * lastFactor * kernels.sumOfSquares(t.r);
    }

    /** Z ← relu(Z Ãᵀ + Φ) until the relative change is within tol; leaves Z* in zs[zCurrent] and D in the mask. */
    private void solveEquilibrium(ImplicitBuffers.Batch t, boolean warm) {
        zCurrent = iterations.forward(t.phi, t.z, zCurrent, warm, t.mask, t.relu);
        state.forwardIterations = iterations.iterations();
        state.forwardResidual = iterations.residual();
        if (iterations.failed()) {
            if (!Double.isFinite(state.forwardResidual) && !weights.finite(kernels)) {
                return; // the weights themselves are NaN/Inf (a too-large step): the loss shows it, the trainer stops
            }
            invalidate();
            throw FixedPointException.notConverged(
                    FixedPointException.Kind.FORWARD,
                    state.forwardIterations,
                    state.forwardResidual,
                    iterations.tol(),
                    spectralNorm(),
                    state.initialNorm);
        }
    }

    @Override
    public void backward() {
        if (last == null) {
            throw new IllegalStateException("backward before forward");
        }
        ImplicitBuffers.Batch t = last;
        float c = lastFactor;
        FloatMatrix z = t.z[zCurrent];
        if (weights.trainU) {
            kernels.gemv(Op.T, c, z, t.rVec, 0f, weights.gradUVec); // ∂L/∂u = c Zᵀ r
        }
        if (weights.trainV) {
            kernels.gemv(Op.T, c, t.phi, t.rVec, 0f, weights.gradVVec); // ∂L/∂v = c Φᵀ r
        }
        if (weights.trainA || weights.trainW) {
            solveAdjoint(t, c);
            FloatMatrix p = t.p[pCurrent];
            if (weights.trainA) {
                kernels.gemm(Op.T, Op.N, alpha, p, z, 0f, weights.gradA); // ∂L/∂A = (γ/√m) Pᵀ Z
            }
            if (weights.trainW) {
                FloatMatrix g = p; // ∂L/∂φ = P (+ c r vᵀ), ⊙ D_φ
                if (config.outputSkip() || config.phiRelu()) {
                    g = t.p[1 - pCurrent];
                    kernels.copy(p, g);
                    if (config.outputSkip()) {
                        kernels.gemm(Op.N, Op.T, c, t.r, weights.v, 1f, g); //   + c r vᵀ (rank one)
                    }
                    if (config.phiRelu()) {
                        kernels.hadamard(g, t.phiMask, g);
                    }
                }
                kernels.gemm(Op.T, Op.N, phiScale, g, lastX, 0f, weights.gradW); // ∂L/∂W = s G_φᵀ X
            }
        } else {
            state.adjointIterations = 0;
            state.adjointResidual = Double.NaN;
        }
        if (state.stepsSinceCheck >= 0) {
            state.stepsSinceCheck++;
        }
    }

    /** P ← D ⊙ (P Ã + c·r uᵀ) until the relative change is within tol; leaves P in ps[pCurrent]. */
    private void solveAdjoint(ImplicitBuffers.Batch t, float c) {
        pCurrent = iterations.adjoint(c, t.rVec, t.mask, t.p, pCurrent, state.adjointStored);
        state.adjointIterations = iterations.iterations();
        state.adjointResidual = iterations.residual();
        if (iterations.failed()) {
            if (!Double.isFinite(state.adjointResidual)
                    && !(weights.finite(kernels) && Double.isFinite(kernels.sumOfSquares(t.r)))) {
                state.adjointStored = false;
                return; // NaN/Inf weights or residuals: the gradient is NaN and so will be the next loss
            }
            invalidate();
            throw FixedPointException.notConverged(
                    FixedPointException.Kind.ADJOINT,
                    state.adjointIterations,
                    state.adjointResidual,
                    iterations.tol(),
                    spectralNorm(),
                    state.initialNorm);
        }
        state.adjointStored = true;
    }

    /**
     * The derivatives of the outputs (not of the loss) at the last forward pass, for the empirical NTK H = JJᵀ of
     * Gao et al.'s eq. (14): {@code p} (b×m) with pᵢ = Dᵢ(Ãᵀpᵢ + u), the adjoint with the residual replaced by 1, so
     * that ∂ŷᵢ/∂A = (γ/√m) pᵢ zᵢ*ᵀ; and {@code g} (b×m) with gᵢ = (pᵢ + v) ⊙ D_φᵢ = ∂ŷᵢ/∂φᵢ, so that
     * ∂ŷᵢ/∂W = s gᵢ xᵢᵀ (∂ŷᵢ/∂u = zᵢ*, ∂ŷᵢ/∂v = φᵢ). {@code ones} is b×1 of ones, {@code scratch} b×m; all are the
     * caller's, and the network's own state (its warm starts) is left untouched. Returns the iterations taken.
     */
    public int outputSensitivities(FloatMatrix ones, FloatMatrix p, FloatMatrix scratch, FloatMatrix g) {
        if (last == null) {
            throw new IllegalStateException("output sensitivities before a forward pass");
        }
        ImplicitBuffers.Batch t = last;
        int rows = t.rows;
        if (ones.rows() != rows || p.rows() != rows || scratch.rows() != rows || g.rows() != rows) {
            throw new IllegalArgumentException(
                    "output sensitivities: buffers must have the last batch's " + rows + " rows");
        }
        FloatMatrix[] buffers = {scratch, p};
        int at = sensitivities.adjoint(
                1f, ones.asVector(), t.mask, buffers, 0, false); // cold: the first iterate goes to p
        if (sensitivities.failed()) {
            throw FixedPointException.notConverged(
                    FixedPointException.Kind.ADJOINT,
                    sensitivities.iterations(),
                    sensitivities.residual(),
                    sensitivities.tol(),
                    spectralNorm(),
                    state.initialNorm);
        }
        if (buffers[at] != p) {
            kernels.copy(buffers[at], p);
        }
        kernels.copy(p, g);
        if (config.outputSkip()) {
            kernels.gemm(Op.N, Op.T, 1f, ones, weights.v, 1f, g); //   + 1 vᵀ
        }
        if (config.phiRelu()) {
            kernels.hadamard(g, t.phiMask, g); // ⊙ D_φ
        }
        return sensitivities.iterations();
    }

    /** Φ of the last forward pass (b×m, row i is φ(xᵢ)ᵀ). */
    public FloatMatrix features() {
        return last == null ? buffers.phi.rows(0, 0) : last.phi;
    }

    /** γ/√m, the factor of Ã = (γ/√m)A. */
    public double equilibriumScale() {
        return alpha;
    }

    /** s, the factor of φ(x) = s·(relu)(Wx) (as the float the forward pass uses). */
    public double featureScale() {
        return phiScale;
    }

    /** Forgets the stored equilibrium and adjoint: the next passes start cold, and backward needs a new forward. */
    private void invalidate() {
        state.storedRows = -1;
        state.adjointStored = false;
        last = null;
    }

    @Override
    public FloatMatrix predictions() {
        return last == null ? buffers.out.rows(0, 0) : last.y;
    }

    @Override
    public void markInitialState() {
        state.initialNorm = Double.NaN; // the next estimate is ‖Ã(0)‖₂
        weights.markInitial();
    }

    /**
     * {@code a_tilde_norm} = ‖Ã‖₂ (power iteration, continued from the previous row's); {@code fwd_iters},
     * {@code fwd_residual}: iterations and final relative residual of the last forward pass (the one on this row's
     * weights); {@code bwd_iters}, {@code bwd_residual}: the same for the last adjoint solve (the previous step's
     * backward pass; NaN before the first); {@code A_dist_fro} = ‖A(k) − A(0)‖_F, {@code W_dist_fro} = ‖W(k) − W(0)‖_F,
     * {@code u_dist} = ‖u(k) − u(0)‖ (and {@code v_dist} with the output skip).
     */
    @Override
    public List<String> metricNames() {
        return ImplicitMetrics.names(config.outputSkip());
    }

    @Override
    public void measure(double[] values) {
        values[0] = spectralNorm();
        ImplicitMetrics.solves(state, values);
        weights.distances(kernels, config.outputSkip(), values, ImplicitMetrics.DISTANCES);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "implicit d=%d m=%d γ=%s φ=%s%s(Wx)%s u,v %s",
                d,
                m,
                config.gamma(),
                config.phiScale(),
                config.phiRelu() ? "·relu" : "·",
                config.outputSkip() ? " skip" : " no-skip",
                config.outputInit());
    }

    @Override
    public void close() {
        weights.close();
        buffers.close();
        spectralNorm.close();
        state.close();
    }
}
