package widenet.model;

import java.util.List;
import java.util.SplittableRandom;
import widenet.kernel.Epilogue;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The two-layer ReLU network of Du, Zhai, Póczos &amp; Singh (ICLR 2019):
 * f(W, a, x) = (1/√m) Σ_{r=1..m} a_r · relu(w_rᵀx), W ∈ ℝ^{m×d} (row r is w_r), a ∈ {−1, +1}^m, no bias.
 *
 * <p>For a batch X (b×d) with labels y and residual r = u − y, the loss L = ½·c·Σᵢ rᵢ² (c = 1 for the sum,
 * 1/b for the mean) has
 * <pre>
 *   forward:  H = relu(X Wᵀ), S = 1{X Wᵀ ≥ 0}      (one NT GEMM with the ReLU epilogue; S is σ′)
 *             u = (1/√m) H a                        (GEMV)
 *   backward: ∂L/∂a = (c/√m) Hᵀ r                  (GEMV, only when a is trained)
 *             G_ir = (c/√m) rᵢ a_r S_ir              (one elementwise pass, written over H)
 *             ∂L/∂W = Gᵀ X                          (one TN GEMM)
 * </pre>
 * i.e. ∂L/∂w_r = (c/√m) a_r Σᵢ rᵢ 1{w_rᵀxᵢ ≥ 0} xᵢ, the paper's formula. ReLU′(0) is 1 as in the paper, or 0.
 */
public final class TwoLayerNetwork implements Network {
    public static final String KIND = "two-layer";

    /** The settings; {@code capacity} is the largest batch, usually n. */
    public record Config(
            int inputDim,
            int width,
            int capacity,
            double kappa,
            boolean trainOutputLayer,
            LossKind loss,
            boolean reluGradAtZero) {
        public Config {
            positive(inputDim, "input dimension d");
            positive(width, "width m");
            positive(capacity, "batch capacity");
            if (!(kappa > 0) || Double.isInfinite(kappa)) {
                throw new IllegalArgumentException("κ (init scale) must be positive and finite, got " + kappa);
            }
        }
    }

    private final Kernels kernels;
    private final Config config;
    private final int d;
    private final int m;
    private final float invSqrtM;

    private final FloatMatrix w;
    private final FloatMatrix gradW;
    private final FloatMatrix w0;
    private final FloatMatrix a; // m×1
    private final FloatMatrix gradA; // m×1
    private final FloatMatrix a0;
    private final FloatVec aVec;
    private final FloatVec gradAVec;
    private final FloatMatrix hidden; // H, then G in backward: capacity×m
    private final FloatMatrix mask; // S = σ′(X Wᵀ): capacity×m
    private final FloatMatrix out; // u: capacity×1
    private final FloatMatrix residual; // r: capacity×1
    private final FloatVec rowDistances; // m
    private FloatMatrix mask0; // S(0) on the data of the initial forward pass
    private final List<Parameter> parameters;
    private final BatchViews<Batch> batches;

    private Batch last;
    private FloatMatrix lastX;
    private float lastFactor;

    /** Views of the buffers for one batch size, with the GEMM epilogue that writes into them. */
    private final class Batch {
        final int rows;
        final FloatMatrix h, s, u, r;
        final FloatVec uVec, rVec;
        final Epilogue relu;

        Batch(int rows) {
            this.rows = rows;
            h = hidden.rows(0, rows);
            s = mask.rows(0, rows);
            u = out.rows(0, rows);
            r = residual.rows(0, rows);
            uVec = u.asVector();
            rVec = r.asVector();
            relu = Epilogue.relu(s, config.reluGradAtZero());
        }
    }

    /** A network with W ~ N(0, κ²) and a uniform on {−1, +1}, drawn from {@code rng} (W row by row, then a). */
    public TwoLayerNetwork(Kernels kernels, Config config, SplittableRandom rng) {
        this(kernels, config);
        Gaussian.fill(w, rng, config.kappa());
        Gaussian.fillSigns(a, rng);
    }

    private TwoLayerNetwork(Kernels kernels, Config config) {
        this.kernels = kernels;
        this.config = config;
        this.d = config.inputDim();
        this.m = config.width();
        this.invSqrtM = (float) (1.0 / Math.sqrt(m));
        int cap = config.capacity();
        w = FloatMatrix.allocate(m, d);
        gradW = FloatMatrix.allocate(m, d);
        w0 = FloatMatrix.allocate(m, d);
        a = FloatMatrix.allocate(m, 1);
        gradA = FloatMatrix.allocate(m, 1);
        a0 = FloatMatrix.allocate(m, 1);
        aVec = a.asVector();
        gradAVec = gradA.asVector();
        hidden = FloatMatrix.allocate(cap, m);
        mask = FloatMatrix.allocate(cap, m);
        out = FloatMatrix.allocate(cap, 1);
        residual = FloatMatrix.allocate(cap, 1);
        rowDistances = FloatVec.allocate(m);
        parameters = List.of(
                Parameter.matrix("W", w, gradW, true), Parameter.vector("a", a, gradA, config.trainOutputLayer()));
        batches = new BatchViews<>(Batch::new);
    }

    private static void positive(int v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
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
        return parameters;
    }

    public Config config() {
        return config;
    }
    /** W (m×d), row r is w_r. */
    public FloatMatrix weights() {
        return w;
    }
    /** a as an m×1 matrix. */
    public FloatMatrix outputWeights() {
        return a;
    }
    /** S = σ′(X Wᵀ) of the last forward pass (b×m): the activation patterns 1{w_rᵀxᵢ ≥ 0}. */
    public FloatMatrix activationMask() {
        return last == null ? mask.rows(0, 0) : last.s;
    }

    @Override
    public double forward(FloatMatrix x, FloatMatrix y) {
        int b = x.rows();
        ForwardArguments.check(this, x, y);
        Batch t = batches.forRows(b);
        kernels.gemm(Op.N, Op.T, 1f, x, w, 0f, t.h, t.relu); // H = relu(X Wᵀ), S = σ′
        kernels.gemv(Op.N, invSqrtM, t.h, aVec, 0f, t.uVec); // u = (1/√m) H a
        kernels.copy(t.u, t.r);
        kernels.axpy(-1f, y, t.r); // r = u − y
        last = t;
        lastX = x;
        lastFactor = config.loss().factor(b);
        return 0.5 * lastFactor * kernels.sumOfSquares(t.r);
    }

    @Override
    public void backward() {
        if (last == null) {
            throw new IllegalStateException("backward before forward");
        }
        Batch t = last;
        float c = lastFactor * invSqrtM;
        if (config.trainOutputLayer()) {
            kernels.gemv(Op.T, c, t.h, t.rVec, 0f, gradAVec); // ∂L/∂a = (c/√m) Hᵀ r
        }
        kernels.scaleOuterMasked(c, t.rVec, aVec, t.s, t.h); // G = (c/√m) r aᵀ ⊙ S, over H
        kernels.gemm(Op.T, Op.N, 1f, t.h, lastX, 0f, gradW); // ∂L/∂W = Gᵀ X
    }

    @Override
    public FloatMatrix predictions() {
        return last == null ? out.rows(0, 0) : last.u;
    }

    @Override
    public void markInitialState() {
        w0.copyFrom(w);
        a0.copyFrom(a);
        if (last != null) {
            if (mask0 != null) {
                mask0.close();
            }
            mask0 = FloatMatrix.allocate(last.rows, m);
            mask0.copyFrom(last.s);
        }
    }

    private static final List<String> METRICS = List.of("w_dist_fro", "w_dist_max_row", "pattern_change", "a_dist");

    /**
     * {@code w_dist_fro} = ‖W(k) − W(0)‖_F; {@code w_dist_max_row} = max_r ‖w_r(k) − w_r(0)‖;
     * {@code pattern_change} = (1/(mn)) Σᵢ Σ_r 1{S_ir(k) ≠ S_ir(0)} (NaN unless the last forward pass was on the
     * same n samples as the initial one); {@code a_dist} = ‖a(k) − a(0)‖.
     */
    @Override
    public List<String> metricNames() {
        return METRICS;
    }

    @Override
    public void measure(double[] values) {
        values[0] = Math.sqrt(kernels.sumOfSquaredDifferences(w, w0));
        kernels.rowSumsOfSquaredDifferences(w, w0, rowDistances);
        float max = 0f;
        for (int r = 0; r < m; r++) {
            max = Math.max(max, rowDistances.get(r));
        }
        values[1] = Math.sqrt(max);
        values[2] = last != null && mask0 != null && last.rows == mask0.rows()
                ? (double) kernels.countDifferent(last.s, mask0) / ((double) last.rows * m)
                : Double.NaN;
        values[3] = Math.sqrt(kernels.sumOfSquaredDifferences(a, a0));
    }

    @Override
    public void close() {
        for (AutoCloseable c :
                new AutoCloseable[] {w, gradW, w0, a, gradA, a0, hidden, mask, out, residual, rowDistances}) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (mask0 != null) {
            mask0.close();
        }
    }
}
