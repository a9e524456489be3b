package widenet.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The implicit (equilibrium) ReLU network of Gao, Liu, Liu, Rajan &amp; Gao (ICLR 2022): the prediction is defined by
 * the equilibrium
 * <pre>
 *   z* = relu(Ã z* + φ(x)),   Ã = (γ/√m)·A,   φ(x) = (1/√d)·B x   (optionally relu((1/√d)·B x)),
 *   ŷ = uᵀz*                  (optionally + vᵀφ(x)),
 * </pre>
 * with A ∈ ℝ^{m×m}, B ∈ ℝ^{m×d}, A_ij, B_ij ~ N(0, 1) and u, v ~ N(0, s²) at initialisation (s = 1 by default, see
 * {@link Config#outputInitStd()}). ‖A‖₂ ≈ 2√m at initialisation, so ‖Ã‖₂ ≈ 2γ: for γ &lt; ½ the map z ↦ relu(Ãz + φ) is
 * a contraction (relu is 1-Lipschitz) with a unique fixed point reached geometrically.
 *
 * <p>Batched over b samples, rows of Z (b×m) are the zᵢ*ᵀ. With the loss L = ½·c·Σᵢ rᵢ², rᵢ = ŷᵢ − yᵢ (c = 1 for the
 * sum, 1/b for the mean):
 * <pre>
 *   forward:  Φ = (1/√d) X Bᵀ                         (NT GEMM; its ReLU epilogue writes D_φ)
 *             Z ← relu(Z Ãᵀ + Φ), D = 1{Z Ãᵀ + Φ &gt; 0}  (one NT GEMM per iteration on a copy of Φ, β = 1, fused ReLU)
 *             until ‖Z_{t+1} − Z_t‖_F ≤ tol·‖Z_{t+1}‖_F
 *             ŷ = Z u (+ Φ v),  r = ŷ − y
 *   backward: per sample the adjoint (I − ÃᵀDᵢ) wᵢ = c·rᵢ·u; the quantity used is pᵢ = Dᵢwᵢ, the fixed point of
 *             pᵢ = Dᵢ(Ãᵀpᵢ + c·rᵢ·u); as rows (pᵢᵀÃ = (Ãᵀpᵢ)ᵀ):
 *             P ← D ⊙ (P Ã + c·r uᵀ)                   (rank-one term masked, NN GEMM with β = 1, mask)
 *             ∂L/∂A = (γ/√m) Pᵀ Z                     (∂L/∂Ã = Σᵢ Dᵢwᵢ zᵢᵀ)
 *             G_φ = (P + c·r vᵀ) ⊙ D_φ                (∂L/∂φᵢ; the skip and the φ-ReLU terms only when enabled)
 *             ∂L/∂B = (1/√d) G_φᵀ X
 *             ∂L/∂u = c Zᵀ r,  ∂L/∂v = c Φᵀ r
 * </pre>
 * Both fixed-point iterations are warm-started from the previous pass's solution when the batch is the same (the
 * inputs are compared bit for bit); otherwise the forward starts from Z = 0 (first iterate relu(Φ)) and the adjoint
 * from P = 0 (first iterate D ⊙ c·r uᵀ). Frozen parameters get no gradient; with A and B both frozen the adjoint is
 * not solved at all. All buffers are sized once; after warm-up forward and backward allocate nothing.
 *
 * <p>Everything the next steps depend on besides the weights (the warm starts Z* and P with the input they belong
 * to, the power-iteration iterate of ‖Ã‖₂, the contraction check's step counter, the last solves' counts) is in
 * {@link #extraState()}, so a run resumed from a checkpoint continues bit for bit.
 *
 * <p>A forward or adjoint iteration that does not reach its tolerance, iterates that overflow, or (when required)
 * ‖Ã‖₂ ≥ 1 at a check throw {@link FixedPointException}: the state would otherwise be meaningless or NaN.
 */
public final class ImplicitNetwork implements Network {
    public static final String KIND = "implicit";

    /** Parameter names, in {@link #parameters()} order (v only with the output skip). */
    public static final List<String> PARAMETER_NAMES = List.of("A", "B", "u", "v");

    /**
     * How the two fixed points are solved: stop when ‖X_{t+1} − X_t‖_F ≤ tol·‖X_{t+1}‖_F, fail after
     * {@code maxIterations}. What float32 can reach: near the fixed point the float map is a deterministic function
     * whose iterates end up changing only in the last bit of a few entries, so the relative change stalls at a few
     * times 1e-8 (measured: 2.6e-8 at m = 500, 4–5e-8 at m = 2000, scalar and simd providers). The default 1e-6 is
     * 20× above that. The change is not the error: with contraction ρ the iterate is within
     * (ρ·tol·‖Z‖ + e)/(1 − ρ) of the exact z*, e the rounding of one application (up to ≈ √m·ε·‖Z‖ worst case).
     */
    public record Solver(double tol, int maxIterations) {
        public static final Solver DEFAULT = new Solver(1e-6, 500);

        public Solver {
            if (!(tol > 0 && tol < 1)) {
                throw new IllegalArgumentException("fixed-point tolerance must be in (0, 1), got " + tol);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("fixed-point iteration budget must be at least 1, got " + maxIterations);
            }
        }
    }

    /**
     * The settings. {@code capacity}: the largest batch, usually n. {@code gamma}: γ in Ã = (γ/√m)A.
     * {@code phiRelu}: φ(x) = relu((1/√d)Bx) instead of (1/√d)Bx. {@code outputSkip}: ŷ = uᵀz* + vᵀφ(x).
     * {@code outputInitStd}: s in u, v ~ N(0, s²); the default s = 1 draws every weight N(0, 1) as the paper does. With
     * ‖xᵢ‖ = 1 the entries of φ are N(0, 1/d), ‖z*‖² ≈ (m/2d)(1 + O(γ²)), so ŷ(0) is of order √(m/d) and the step
     * size must scale like d/(m·n) for the summed loss; s = 1/√m gives the NTK-style O(1/√d) outputs instead.
     * {@code frozen}: names of parameters gradient descent leaves fixed (subset of A, B, u, v).
     * {@code requireContraction}: check ‖Ã‖₂ &lt; 1 at the first forward pass and at the first one after every
     * {@code contractionCheckEvery} backward passes (training steps), failing otherwise.
     */
    public record Config(int inputDim, int width, int capacity, double gamma, boolean phiRelu, boolean outputSkip,
                         double outputInitStd, LossKind loss, Set<String> frozen, Solver solver,
                         boolean requireContraction, long contractionCheckEvery) {
        public Config {
            positive(inputDim, "input dimension d");
            positive(width, "width m");
            positive(capacity, "batch capacity");
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("γ must be non-negative and finite, got " + gamma);
            }
            if (!(outputInitStd >= 0) || Double.isInfinite(outputInitStd)) {
                throw new IllegalArgumentException("output init std must be non-negative and finite, got " + outputInitStd);
            }
            if (contractionCheckEvery < 1) {
                throw new IllegalArgumentException("contraction check interval must be at least 1, got " + contractionCheckEvery);
            }
            frozen = Set.copyOf(frozen);
            for (String f : frozen) {
                if (!PARAMETER_NAMES.contains(f) || (f.equals("v") && !outputSkip)) {
                    throw new IllegalArgumentException("cannot freeze '" + f + "': the implicit network's parameters are A, B, u"
                            + (outputSkip ? ", v" : " (and v with the output skip)"));
                }
            }
        }

        /** The defaults: φ without ReLU, no skip, u ~ N(0, 1), everything trained, the default solver, no check. */
        public static Config of(int inputDim, int width, int capacity, double gamma, LossKind loss) {
            return new Config(inputDim, width, capacity, gamma, false, false, 1.0, loss, Set.of(), Solver.DEFAULT, false, 1);
        }

        public boolean trains(String name) {
            return !frozen.contains(name);
        }
    }

    private static final Activation RELU = Activation.relu(false);   // σ′(0) = 0: D = 1{h > 0}
    private static final int POWER_ITERATIONS = 200;
    private static final double POWER_TOL = 1e-6;
    /** The scalar fields {@link #extraState()} packs: see {@link #packScalars()}. */
    private static final int SCALAR_STATE = 9;

    private final Kernels kernels;
    private final Config config;
    private final int d;
    private final int m;
    private final float alpha;      // γ/√m: Ã = alpha·A
    private final float phiScale;   // 1/√d
    private final boolean trainA, trainB, trainU, trainV;

    private final FloatMatrix a, gradA, a0;     // m×m
    private final FloatMatrix b, gradB, b0;     // m×d
    private final FloatMatrix u, gradU, u0;     // m×1
    private final FloatMatrix v, gradV, v0;     // m×1
    private final FloatVec uVec, gradUVec, vVec, gradVVec;
    private final FloatMatrix phi;              // Φ: capacity×m
    private final FloatMatrix phiMask;          // D_φ (only with the φ-ReLU)
    private final FloatMatrix[] zs;             // Z double buffer: capacity×m each
    private final FloatMatrix mask;             // D = 1{ZÃᵀ + Φ > 0}
    private final FloatMatrix[] ps;             // P double buffer (P = D ⊙ W, the masked adjoint)
    private final FloatMatrix out;              // ŷ: capacity×1
    private final FloatMatrix residual;         // r: capacity×1
    private final FloatMatrix lastInput;        // X of the stored equilibrium: capacity×d
    private final SpectralNorm spectralNorm;
    private final PackedScalars scalars = new PackedScalars(SCALAR_STATE);
    private final List<Parameter> parameters;
    private final BatchViews<Batch> batches;

    private Batch last;
    private FloatMatrix lastX;
    private float lastFactor;
    private int zCurrent;          // which Z buffer holds the equilibrium
    private int pCurrent;          // which P buffer holds the adjoint
    private int storedRows = -1;   // rows of the equilibrium held in zs[zCurrent] for the input in lastInput (−1: none)
    private boolean adjointStored; // ps[pCurrent] holds the adjoint of that batch
    private long stepsSinceCheck = -1;
    private double lastNorm = Double.NaN;
    private int forwardIterations;
    private double forwardResidual = Double.NaN;
    private int adjointIterations;
    private double adjointResidual = Double.NaN;

    /** Views of the buffers for one batch size, with the epilogues that write into them. */
    private final class Batch {
        final int rows;
        final FloatMatrix phi, phiMask, mask, y, r, input;
        final FloatMatrix[] z = new FloatMatrix[2], p = new FloatMatrix[2];
        final FloatVec yVec, rVec;
        final Epilogue phiEpilogue, relu;

        Batch(int rows) {
            this.rows = rows;
            phi = ImplicitNetwork.this.phi.rows(0, rows);
            phiMask = config.phiRelu() ? ImplicitNetwork.this.phiMask.rows(0, rows) : null;
            mask = ImplicitNetwork.this.mask.rows(0, rows);
            for (int i = 0; i < 2; i++) {
                z[i] = zs[i].rows(0, rows);
                p[i] = ps[i].rows(0, rows);
            }
            y = out.rows(0, rows);
            r = residual.rows(0, rows);
            input = lastInput.rows(0, rows);
            yVec = y.asVector();
            rVec = r.asVector();
            phiEpilogue = config.phiRelu() ? Epilogue.relu(phiMask, false) : Epilogue.NONE;
            relu = Epilogue.relu(mask, false);   // D = 1{h > 0}
        }
    }

    /** A network with A, B ~ N(0, 1) and u (then v) ~ N(0, s²), drawn from {@code rng} in that order, row by row. */
    public ImplicitNetwork(Kernels kernels, Config config, SplittableRandom rng) {
        this(kernels, config);
        Gaussian.fill(a, rng, 1.0);
        Gaussian.fill(b, rng, 1.0);
        Gaussian.fill(u, rng, config.outputInitStd());
        if (config.outputSkip()) {
            Gaussian.fill(v, rng, config.outputInitStd());
        }
    }

    private ImplicitNetwork(Kernels kernels, Config config) {
        this.kernels = kernels;
        this.config = config;
        this.d = config.inputDim();
        this.m = config.width();
        this.alpha = (float) (config.gamma() / Math.sqrt(m));
        this.phiScale = (float) (1 / Math.sqrt(d));
        this.trainA = config.trains("A");
        this.trainB = config.trains("B");
        this.trainU = config.trains("u");
        this.trainV = config.outputSkip() && config.trains("v");
        int cap = config.capacity();
        a = FloatMatrix.allocate(m, m);
        gradA = FloatMatrix.allocate(m, m);
        a0 = FloatMatrix.allocate(m, m);
        b = FloatMatrix.allocate(m, d);
        gradB = FloatMatrix.allocate(m, d);
        b0 = FloatMatrix.allocate(m, d);
        u = FloatMatrix.allocate(m, 1);
        gradU = FloatMatrix.allocate(m, 1);
        u0 = FloatMatrix.allocate(m, 1);
        v = FloatMatrix.allocate(m, 1);
        gradV = FloatMatrix.allocate(m, 1);
        v0 = FloatMatrix.allocate(m, 1);
        uVec = u.asVector();
        gradUVec = gradU.asVector();
        vVec = v.asVector();
        gradVVec = gradV.asVector();
        phi = FloatMatrix.allocate(cap, m);
        phiMask = config.phiRelu() ? FloatMatrix.allocate(cap, m) : null;
        zs = new FloatMatrix[] {FloatMatrix.allocate(cap, m), FloatMatrix.allocate(cap, m)};
        mask = FloatMatrix.allocate(cap, m);
        ps = new FloatMatrix[] {FloatMatrix.allocate(cap, m), FloatMatrix.allocate(cap, m)};
        out = FloatMatrix.allocate(cap, 1);
        residual = FloatMatrix.allocate(cap, 1);
        lastInput = FloatMatrix.allocate(cap, d);
        spectralNorm = new SpectralNorm(kernels, m, m, POWER_ITERATIONS, POWER_TOL);
        List<Parameter> list = new ArrayList<>(List.of(
                Parameter.matrix("A", a, gradA, trainA),
                Parameter.matrix("B", b, gradB, trainB),
                Parameter.vector("u", u, gradU, trainU)));
        if (config.outputSkip()) {
            list.add(Parameter.vector("v", v, gradV, trainV));
        }
        parameters = List.copyOf(list);
        batches = new BatchViews<>(Batch::new);
        metricNames = config.outputSkip() ? METRICS_WITH_V : METRICS;
    }

    private static void positive(int v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }

    @Override public String kind() { return KIND; }
    @Override public int inputDim() { return d; }
    @Override public int outputDim() { return 1; }
    @Override public int capacity() { return config.capacity(); }
    @Override public List<Parameter> parameters() { return parameters; }

    /**
     * The warm starts and solver state, as of this call: {@code Z_star} (the stored equilibrium, capacity×m),
     * {@code P} (the stored adjoint), {@code X_last} (the input they belong to), {@code power_iterate} (the power
     * iteration's vector for ‖Ã‖₂) and {@code solver_scalars} (the counters, flags and residuals, packed exactly).
     * Which of the double buffers holds Z* and P is not state: both iterations overwrite the other buffer before
     * reading it, so the values are restored into whichever is current.
     */
    @Override
    public List<Parameter> extraState() {
        packScalars();
        return List.of(
                Parameter.matrix("Z_star", zs[zCurrent], null, false),
                Parameter.matrix("P", ps[pCurrent], null, false),
                Parameter.matrix("X_last", lastInput, null, false),
                Parameter.vector("power_iterate", spectralNorm.iterate(), null, false),
                Parameter.vector("solver_scalars", scalars.column(), null, false));
    }

    private void packScalars() {
        scalars.rewind().put(storedRows).put(adjointStored).put(stepsSinceCheck).put(lastNorm)
                .put(forwardIterations).put(forwardResidual).put(adjointIterations).put(adjointResidual)
                .put(spectralNorm.iterateNorm());
    }

    @Override
    public void extraStateLoaded() {
        scalars.rewind();
        int rows = scalars.getInt(-1, config.capacity(), "stored equilibrium rows");
        boolean adjoint = scalars.getBoolean("adjoint stored flag");
        long sinceCheck = scalars.getLong();
        if (sinceCheck < -1) {
            throw new IllegalArgumentException("steps since the contraction check is " + sinceCheck + ", expected ≥ −1");
        }
        double norm = scalars.getDouble();
        int fwdIterations = scalars.getInt(0, Integer.MAX_VALUE, "forward iterations");
        double fwdResidual = scalars.getDouble();
        int adjIterations = scalars.getInt(0, Integer.MAX_VALUE, "adjoint iterations");
        double adjResidual = scalars.getDouble();
        spectralNorm.restoreIterateNorm(scalars.getDouble());
        storedRows = rows;
        adjointStored = adjoint;
        stepsSinceCheck = sinceCheck;
        lastNorm = norm;
        forwardIterations = fwdIterations;
        forwardResidual = fwdResidual;
        adjointIterations = adjIterations;
        adjointResidual = adjResidual;
        last = null;   // a backward pass needs a forward pass on the restored state first
    }
    public Config config() { return config; }
    /** The equilibrium features Z* of the last forward pass (b×m, row i is zᵢ*). */
    public FloatMatrix equilibrium() { return last == null ? zs[0].rows(0, 0) : last.z[zCurrent]; }
    /** Iterations the last forward pass took (counting the first iterate relu(Φ) of a cold start). */
    public int forwardIterations() { return forwardIterations; }
    /** ‖Z_{t+1} − Z_t‖_F / ‖Z_{t+1}‖_F at the end of the last forward pass. */
    public double forwardResidual() { return forwardResidual; }
    /** Iterations the last adjoint solve took (0 if it was not needed). */
    public int adjointIterations() { return adjointIterations; }
    /** The relative residual at the end of the last adjoint solve (NaN if none). */
    public double adjointResidual() { return adjointResidual; }

    /**
     * ‖Ã‖₂ = (γ/√m)·σ_max(A) by power iteration (GEMVs with A and Aᵀ), continuing from the previous estimate's
     * iterate; a lower bound that is tight once converged (see {@link SpectralNorm}).
     */
    public double spectralNorm() {
        lastNorm = alpha * spectralNorm.estimate(a);
        return lastNorm;
    }

    @Override
    public double forward(FloatMatrix x, FloatMatrix y) {
        int rows = x.rows();
        if (x.cols() != d) {
            throw new IllegalArgumentException("forward: X has " + x.cols() + " columns, the network's input dimension d is " + d);
        }
        if (y.rows() != rows || y.cols() != 1) {
            throw new IllegalArgumentException("forward: labels are " + y.shape() + ", expected " + rows + "×1");
        }
        if (rows > config.capacity() || rows == 0) {
            throw new IllegalArgumentException("forward: batch of " + rows + " rows, capacity is " + config.capacity());
        }
        if (config.requireContraction() && (stepsSinceCheck < 0 || stepsSinceCheck >= config.contractionCheckEvery())) {
            stepsSinceCheck = 0;
            if (!(spectralNorm() < 1)) {
                invalidate();
                throw FixedPointException.notContraction(lastNorm, config.gamma());
            }
        }
        Batch t = batches.forRows(rows);
        boolean warm = rows == storedRows && kernels.countDifferent(x, t.input) == 0;
        if (!warm) {
            kernels.copy(x, t.input);
            storedRows = -1;
            adjointStored = false;
        }
        last = null;
        kernels.gemm(Op.N, Op.T, phiScale, x, b, 0f, t.phi, t.phiEpilogue);       // Φ = (1/√d) X Bᵀ  (relu: D_φ)
        solveEquilibrium(t, warm);
        FloatMatrix z = t.z[zCurrent];
        kernels.gemv(Op.N, 1f, z, uVec, 0f, t.yVec);                              // ŷ = Z u
        if (config.outputSkip()) {
            kernels.gemv(Op.N, 1f, t.phi, vVec, 1f, t.yVec);                      //   + Φ v
        }
        kernels.copy(t.y, t.r);
        kernels.axpy(-1f, y, t.r);                                                // r = ŷ − y
        storedRows = Double.isFinite(forwardResidual) ? rows : -1;
        last = t;
        lastX = x;
        lastFactor = config.loss().factor(rows);
        return 0.5 * lastFactor * kernels.sumOfSquares(t.r);
    }

    /** Z ← relu(Z Ãᵀ + Φ) until the relative change is within tol; leaves Z* in zs[zCurrent] and D in the mask. */
    private void solveEquilibrium(Batch t, boolean warm) {
        double tol = config.solver().tol();
        int max = config.solver().maxIterations();
        int iterations = 0;
        double res = Double.POSITIVE_INFINITY;
        if (!warm) {
            zCurrent = 1 - zCurrent;
            kernels.activate(RELU, t.phi, t.z[zCurrent], t.mask);   // Z₁ = relu(Ã·0 + Φ)
            iterations = 1;
            res = firstResidual(t.z[zCurrent]);
        }
        while (!(res <= tol)) {
            if (iterations >= max || !Double.isFinite(res) && iterations > 0) {
                forwardIterations = iterations;
                forwardResidual = res;
                if (!Double.isFinite(res) && !weightsFinite()) {
                    break;   // the weights themselves are NaN/Inf (a too-large step): the loss shows it, the trainer stops
                }
                invalidate();
                throw FixedPointException.notConverged(FixedPointException.Kind.FORWARD, iterations, res, tol, spectralNorm());
            }
            FloatMatrix cur = t.z[zCurrent], next = t.z[1 - zCurrent];
            kernels.copy(t.phi, next);
            kernels.gemm(Op.N, Op.T, alpha, cur, a, 1f, next, t.relu);              // Z' = relu(Z Ãᵀ + Φ), D
            iterations++;
            res = relativeChange(next, cur);
            zCurrent = 1 - zCurrent;
        }
        forwardIterations = iterations;
        forwardResidual = res;
    }

    @Override
    public void backward() {
        if (last == null) {
            throw new IllegalStateException("backward before forward");
        }
        Batch t = last;
        float c = lastFactor;
        FloatMatrix z = t.z[zCurrent];
        if (trainU) {
            kernels.gemv(Op.T, c, z, t.rVec, 0f, gradUVec);                     // ∂L/∂u = c Zᵀ r
        }
        if (trainV) {
            kernels.gemv(Op.T, c, t.phi, t.rVec, 0f, gradVVec);                 // ∂L/∂v = c Φᵀ r
        }
        if (trainA || trainB) {
            solveAdjoint(t, c);
            FloatMatrix p = t.p[pCurrent];
            if (trainA) {
                kernels.gemm(Op.T, Op.N, alpha, p, z, 0f, gradA);                // ∂L/∂A = (γ/√m) Pᵀ Z
            }
            if (trainB) {
                FloatMatrix g = p;                                               // ∂L/∂φ = P (+ c r vᵀ), ⊙ D_φ
                if (config.outputSkip() || config.phiRelu()) {
                    g = t.p[1 - pCurrent];
                    kernels.copy(p, g);
                    if (config.outputSkip()) {
                        kernels.gemm(Op.N, Op.T, c, t.r, v, 1f, g);            //   + c r vᵀ (rank one)
                    }
                    if (config.phiRelu()) {
                        kernels.hadamard(g, t.phiMask, g);
                    }
                }
                kernels.gemm(Op.T, Op.N, phiScale, g, lastX, 0f, gradB);         // ∂L/∂B = (1/√d) G_φᵀ X
            }
        } else {
            adjointIterations = 0;
            adjointResidual = Double.NaN;
        }
        if (stepsSinceCheck >= 0) {
            stepsSinceCheck++;
        }
    }

    /** P ← D ⊙ (P Ã + c·r uᵀ) until the relative change is within tol; leaves P in ps[pCurrent]. */
    private void solveAdjoint(Batch t, float c) {
        double tol = config.solver().tol();
        int max = config.solver().maxIterations();
        int iterations = 0;
        double res = Double.POSITIVE_INFINITY;
        if (!adjointStored) {
            pCurrent = 1 - pCurrent;
            kernels.scaleOuterMasked(c, t.rVec, uVec, t.mask, t.p[pCurrent]);     // P₁ = D ⊙ c r uᵀ
            iterations = 1;
            res = firstResidual(t.p[pCurrent]);
        }
        while (!(res <= tol)) {
            if (iterations >= max || !Double.isFinite(res) && iterations > 0) {
                adjointIterations = iterations;
                adjointResidual = res;
                if (!Double.isFinite(res) && !(weightsFinite() && Double.isFinite(kernels.sumOfSquares(t.r)))) {
                    adjointStored = false;
                    return;  // NaN/Inf weights or residuals: the gradient is NaN and so will be the next loss
                }
                invalidate();
                throw FixedPointException.notConverged(FixedPointException.Kind.ADJOINT, iterations, res, tol, spectralNorm());
            }
            FloatMatrix cur = t.p[pCurrent], next = t.p[1 - pCurrent];
            kernels.scaleOuterMasked(c, t.rVec, uVec, t.mask, next);            // D ⊙ c r uᵀ
            kernels.gemm(Op.N, Op.N, alpha, cur, a, 1f, next);                   //   + P Ã
            kernels.hadamard(next, t.mask, next);                                // D ⊙ (…)
            iterations++;
            res = relativeChange(next, cur);
            pCurrent = 1 - pCurrent;
        }
        adjointStored = true;
        adjointIterations = iterations;
        adjointResidual = res;
    }

    /** The relative change of a cold start's first iterate from 0: 1, or 0 if it is 0 too, NaN if not finite. */
    private double firstResidual(FloatMatrix first) {
        double norm = kernels.sumOfSquares(first);
        return !Double.isFinite(norm) ? Double.NaN : norm > 0 ? 1 : 0;
    }

    private boolean weightsFinite() {
        return Double.isFinite(kernels.sumOfSquares(a) + kernels.sumOfSquares(b) + kernels.sumOfSquares(u) + kernels.sumOfSquares(v));
    }

    /** ‖next − prev‖_F / ‖next‖_F (0 when both are 0, +∞ when only next is 0, NaN when anything overflowed). */
    private double relativeChange(FloatMatrix next, FloatMatrix prev) {
        double diff = kernels.sumOfSquaredDifferences(next, prev);
        double norm = kernels.sumOfSquares(next);
        if (!Double.isFinite(diff) || !Double.isFinite(norm)) {
            return Double.NaN;
        }
        if (norm == 0) {
            return diff == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(diff / norm);
    }

    /** Forgets the stored equilibrium and adjoint: the next passes start cold, and backward needs a new forward. */
    private void invalidate() {
        storedRows = -1;
        adjointStored = false;
        last = null;
    }

    @Override
    public FloatMatrix predictions() {
        return last == null ? out.rows(0, 0) : last.y;
    }

    @Override
    public void markInitialState() {
        a0.copyFrom(a);
        b0.copyFrom(b);
        u0.copyFrom(u);
        v0.copyFrom(v);
    }

    private static final List<String> METRICS = List.of("a_tilde_norm", "fwd_iters", "fwd_residual", "bwd_iters",
            "bwd_residual", "A_dist_fro", "B_dist_fro", "u_dist");
    private static final List<String> METRICS_WITH_V;
    static {
        List<String> l = new ArrayList<>(METRICS);
        l.add("v_dist");
        METRICS_WITH_V = List.copyOf(l);
    }
    private final List<String> metricNames;

    /**
     * {@code a_tilde_norm} = ‖Ã‖₂ (power iteration, continued from the previous row's); {@code fwd_iters},
     * {@code fwd_residual}: iterations and final relative residual of the last forward pass (the one on this row's
     * weights); {@code bwd_iters}, {@code bwd_residual}: the same for the last adjoint solve (the previous step's
     * backward pass; NaN before the first); {@code A_dist_fro} = ‖A(k) − A(0)‖_F, {@code B_dist_fro} = ‖B(k) − B(0)‖_F,
     * {@code u_dist} = ‖u(k) − u(0)‖ (and {@code v_dist} with the output skip).
     */
    @Override
    public List<String> metricNames() {
        return metricNames;
    }

    @Override
    public void measure(double[] values) {
        values[0] = spectralNorm();
        values[1] = forwardIterations;
        values[2] = forwardResidual;
        values[3] = adjointIterations == 0 ? Double.NaN : adjointIterations;
        values[4] = adjointResidual;
        values[5] = Math.sqrt(kernels.sumOfSquaredDifferences(a, a0));
        values[6] = Math.sqrt(kernels.sumOfSquaredDifferences(b, b0));
        values[7] = Math.sqrt(kernels.sumOfSquaredDifferences(u, u0));
        if (config.outputSkip()) {
            values[8] = Math.sqrt(kernels.sumOfSquaredDifferences(v, v0));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "implicit d=%d m=%d γ=%s%s%s", d, m, config.gamma(),
                config.phiRelu() ? " φ-relu" : "", config.outputSkip() ? " skip" : "");
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(List.of(a, gradA, a0, b, gradB, b0, u, gradU, u0, v, gradV, v0, phi,
                zs[0], zs[1], mask, ps[0], ps[1], out, residual, lastInput, spectralNorm, scalars));
        if (phiMask != null) {
            all.add(phiMask);
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
