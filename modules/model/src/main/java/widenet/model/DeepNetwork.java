package widenet.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import widenet.kernel.Epilogue;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * A deep fully-connected network (Nguyen &amp; Mondelli, NeurIPS 2020; Nguyen, ICML 2021) of widths
 * d = n₀, n₁, …, n_L, k = n_L outputs:
 * <pre>
 *   F₀ = X,   Z_l = s_l·F_{l−1} W_l (+ b_l),   F_l = σ(Z_l)   for l = 1..L−1,   F_L = s_L·F_{L−1} W_L (+ b_L)
 * </pre>
 * with W_l ∈ ℝ^{n_{l−1}×n_l}, s_l the NTK factor of the layer's {@link WeightInit} (1 unless {@code ntk}), no
 * biases unless asked (b_l is added to every row). Loss Φ = ½·c·‖F_L − Y‖²_F (c = 1, or 1/b for the mean).
 *
 * <p>Backward, with R = F_L − Y and δ_l = ∂Φ/∂Z_l:
 * <pre>
 *   δ_L = c·R
 *   ∇W_l = s_l F_{l−1}ᵀ δ_l                       (one TN GEMM)
 *   ∇b_l = Σ_rows δ_l                              (column sums)
 *   δ_{l−1} = s_l (δ_l W_lᵀ) ⊙ σ′(Z_{l−1})         (one NT GEMM, one Hadamard product)
 * </pre>
 * The forward pass is one NN GEMM per layer whose epilogue writes σ(Z_l) and σ′(Z_l) (without biases; with them
 * the bias is added between the GEMM and the activation). Scalars c and s_l ride on the GEMMs' α, so there is no
 * separate scaling pass. Every buffer is sized once for {@code capacity} rows; the δ_l of consecutive layers
 * alternate between two buffers (only δ_{l+1} is needed to make δ_l), so the backward pass needs 2·capacity·max n_l
 * floats however deep the network is.
 */
public final class DeepNetwork implements Network, DeepNetworkSettings {
    public static final String KIND = "deep";

    private final Kernels kernels;
    private final Config config;
    private final int depth; // L
    private final int[] n; // n₀..n_L
    private final float[] scale; // s_l, index 1..L
    private final boolean[] trainable; // index 1..L
    private final int lowestTrainable; // the smallest trainable l, L+1 if none

    // Index 1..L (index 0 unused) so that the code reads like the math.
    private final FloatMatrix[] w, gradW;
    private final FloatMatrix[] b, gradB; // n_l×1, only with biases
    private final FloatVec[] bVec, gradBVec; // the same as vectors, made once (a view is an object)
    private final FloatMatrix[] features; // F_l: capacity×n_l, l = 1..L (F_L: the output)
    private final FloatMatrix[] derivative; // σ′(Z_l): capacity×n_l, l = 1..L−1
    private final FloatMatrix[] deltaBuffer; // two capacity×max(n_1..n_{L−1}) buffers, δ_l in deltaBuffer[l % 2]
    private final FloatMatrix residual; // R = F_L − Y: capacity×k
    private final List<Parameter> parameters;
    private final BatchViews<Batch> batches;
    private final DeepMovement movement; // W_l(k) − W_l(0) and the flipped patterns: the metrics

    private Batch last;
    private FloatMatrix lastX;
    private float lastFactor;

    /** Views of every buffer for one batch size, and the GEMM epilogues that write into them. */
    private final class Batch {
        final int rows;
        final FloatMatrix[] f = new FloatMatrix[depth + 1];
        final FloatMatrix[] d = new FloatMatrix[depth];
        final FloatMatrix[] delta = new FloatMatrix[depth];
        final Epilogue[] act = new Epilogue[depth];
        final FloatMatrix r;

        Batch(int rows) {
            this.rows = rows;
            for (int l = 1; l <= depth; l++) {
                f[l] = features[l].rows(0, rows);
            }
            for (int l = 1; l < depth; l++) {
                d[l] = derivative[l].rows(0, rows);
                delta[l] = deltaBuffer[l % 2].block(0, rows, 0, n[l]);
                act[l] = Epilogue.activation(config.activation(), d[l]);
            }
            r = residual.rows(0, rows);
        }
    }

    /**
     * A network whose weights are drawn from {@code rng}, W₁ row by row, then W₂, …, W_L, each by its layer's
     * {@link WeightInit}; W_L's draw is multiplied by the output scale (a zero output layer draws nothing).
     * Biases start at 0.
     */
    public DeepNetwork(Kernels kernels, Config config, SplittableRandom rng) {
        this(kernels, config);
        for (int l = 1; l <= depth; l++) {
            double std = config.inits().get(l - 1).std(n[l - 1], n[l]);
            if (l == depth) {
                std *= config.outputScale();
            }
            if (std == 0) {
                w[l].fill(0f);
            } else {
                Gaussian.fill(w[l], rng, std);
            }
        }
    }

    private DeepNetwork(Kernels kernels, Config config) {
        this.kernels = kernels;
        this.config = config;
        this.n = config.widths();
        this.depth = n.length - 1;
        int cap = config.capacity();
        scale = new float[depth + 1];
        trainable = new boolean[depth + 1];
        int lowest = depth + 1;
        for (int l = depth; l >= 1; l--) {
            scale[l] = (float) config.inits().get(l - 1).forwardScale(n[l - 1]);
            trainable[l] = !config.frozen().contains(l);
            if (trainable[l]) {
                lowest = l;
            }
        }
        lowestTrainable = lowest;
        w = new FloatMatrix[depth + 1];
        gradW = new FloatMatrix[depth + 1];
        b = new FloatMatrix[depth + 1];
        gradB = new FloatMatrix[depth + 1];
        bVec = new FloatVec[depth + 1];
        gradBVec = new FloatVec[depth + 1];
        features = new FloatMatrix[depth + 1];
        derivative = new FloatMatrix[depth];
        List<Parameter> ps = new ArrayList<>();
        int maxHidden = 0;
        for (int l = 1; l <= depth; l++) {
            w[l] = FloatMatrix.allocate(n[l - 1], n[l]);
            gradW[l] = FloatMatrix.allocate(n[l - 1], n[l]);
            ps.add(Parameter.matrix("W" + l, w[l], gradW[l], trainable[l]));
            features[l] = FloatMatrix.allocate(cap, n[l]);
            if (l < depth) {
                derivative[l] = FloatMatrix.allocate(cap, n[l]);
                maxHidden = Math.max(maxHidden, n[l]);
            }
        }
        if (config.biases()) {
            for (int l = 1; l <= depth; l++) {
                b[l] = FloatMatrix.allocate(n[l], 1);
                gradB[l] = FloatMatrix.allocate(n[l], 1);
                bVec[l] = b[l].asVector();
                gradBVec[l] = gradB[l].asVector();
                ps.add(Parameter.vector("b" + l, b[l], gradB[l], trainable[l]));
            }
        }
        deltaBuffer = maxHidden == 0
                ? new FloatMatrix[0]
                : new FloatMatrix[] {FloatMatrix.allocate(cap, maxHidden), FloatMatrix.allocate(cap, maxHidden)};
        residual = FloatMatrix.allocate(cap, n[depth]);
        parameters = List.copyOf(ps);
        batches = new BatchViews<>(Batch::new);
        movement = new DeepMovement(kernels, n, w, config.biases() ? b : null, config.activation());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int inputDim() {
        return n[0];
    }

    @Override
    public int outputDim() {
        return n[depth];
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
    /** L, the number of weight layers. */
    public int depth() {
        return depth;
    }
    /** n_l for l = 0..L. */
    public int width(int l) {
        return n[l];
    }
    /** W_l (n_{l−1}×n_l), l = 1..L. */
    public FloatMatrix weight(int l) {
        return w[layer(l)];
    }
    /** b_l (n_l×1), l = 1..L; null without biases. */
    public FloatMatrix bias(int l) {
        return b[layer(l)];
    }
    /** The forward factor s_l (1 unless the layer uses the NTK parameterisation). */
    public float layerScale(int l) {
        return scale[layer(l)];
    }
    /** Whether gradient descent trains layer l. */
    public boolean isTrainable(int l) {
        return trainable[layer(l)];
    }

    /** F_l of the last forward pass (rows×n_l): l = 0 is the input batch, l = L the predictions. */
    public FloatMatrix features(int l) {
        requireForward();
        return l == 0 ? lastX : last.f[layer(l)];
    }

    /** σ′(Z_l) of the last forward pass (rows×n_l), l = 1..L−1. */
    public FloatMatrix activationDerivative(int l) {
        requireForward();
        if (l < 1 || l >= depth) {
            throw new IllegalArgumentException("hidden layers are 1.." + (depth - 1) + ", got " + l);
        }
        return last.d[l];
    }

    private int layer(int l) {
        if (l < 1 || l > depth) {
            throw new IllegalArgumentException("layers are 1.." + depth + ", got " + l);
        }
        return l;
    }

    private void requireForward() {
        if (last == null) {
            throw new IllegalStateException("no forward pass yet");
        }
    }

    @Override
    public double forward(FloatMatrix x, FloatMatrix y) {
        int rows = x.rows();
        ForwardArguments.check(this, x, y);
        Batch t = batches.forRows(rows);
        FloatMatrix in = x;
        for (int l = 1; l < depth; l++) {
            if (config.biases()) {
                kernels.gemm(Op.N, Op.N, scale[l], in, w[l], 0f, t.f[l]); // Z_l = s_l F_{l−1} W_l
                kernels.addToRows(bVec[l], t.f[l]); //      + b_l
                kernels.activate(config.activation(), t.f[l], t.f[l], t.d[l]); // F_l = σ(Z_l), σ′(Z_l)
            } else {
                kernels.gemm(Op.N, Op.N, scale[l], in, w[l], 0f, t.f[l], t.act[l]); // F_l = σ(s_l F_{l−1} W_l), σ′
            }
            in = t.f[l];
        }
        kernels.gemm(Op.N, Op.N, scale[depth], in, w[depth], 0f, t.f[depth]); // F_L = s_L F_{L−1} W_L
        if (config.biases()) {
            kernels.addToRows(bVec[depth], t.f[depth]);
        }
        kernels.copy(t.f[depth], t.r);
        kernels.axpy(-1f, y, t.r); // R = F_L − Y
        last = t;
        lastX = x;
        lastFactor = config.loss().factor(rows);
        return 0.5 * lastFactor * kernels.sumOfSquares(t.r);
    }

    @Override
    public void backward() {
        requireForward();
        Batch t = last;
        float c = lastFactor;
        int top = depth;
        FloatMatrix below = top > 1 ? t.f[top - 1] : lastX; // F_{L−1}
        if (trainable[top]) {
            kernels.gemm(Op.T, Op.N, c * scale[top], below, t.r, 0f, gradW[top]); // ∇W_L = s_L F_{L−1}ᵀ (c R)
            if (config.biases()) {
                kernels.columnSums(t.r, gradBVec[top]);
                kernels.scale(c, gradB[top]); // ∇b_L = c Σ_rows R
            }
        }
        // δ_{l} = s_{l+1} (δ_{l+1} W_{l+1}ᵀ) ⊙ σ′(Z_l), from δ_L = c R; only as far down as a layer is trained.
        FloatMatrix upper = t.r;
        float alpha = c * scale[top];
        for (int l = top - 1; l >= lowestTrainable; l--) {
            FloatMatrix delta = t.delta[l];
            kernels.gemm(Op.N, Op.T, alpha, upper, w[l + 1], 0f, delta);
            kernels.hadamard(delta, t.d[l], delta);
            if (trainable[l]) {
                FloatMatrix in = l > 1 ? t.f[l - 1] : lastX;
                kernels.gemm(Op.T, Op.N, scale[l], in, delta, 0f, gradW[l]); // ∇W_l = s_l F_{l−1}ᵀ δ_l
                if (config.biases()) {
                    kernels.columnSums(delta, gradBVec[l]); // ∇b_l = Σ_rows δ_l
                }
            }
            upper = delta;
            alpha = scale[l];
        }
    }

    @Override
    public FloatMatrix predictions() {
        return last == null ? features[depth].rows(0, 0) : last.f[depth];
    }

    @Override
    public void markInitialState() {
        movement.markInitialState(last == null ? null : last.d, last == null ? 0 : last.rows);
    }

    /** The columns {@link DeepMovement#names()} describes: how far each layer moved from its initialisation. */
    @Override
    public List<String> metricNames() {
        return movement.names();
    }

    @Override
    public void measure(double[] out) {
        movement.measure(last == null ? null : last.d, last == null ? 0 : last.rows, out);
    }

    @Override
    public void close() {
        closeAll(w, gradW, b, gradB, features, derivative, deltaBuffer, new FloatMatrix[] {residual});
        movement.close();
    }

    static void closeAll(FloatMatrix[]... groups) {
        for (FloatMatrix[] g : groups) {
            if (g == null) {
                continue;
            }
            for (FloatMatrix m : g) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }
}
