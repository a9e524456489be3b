package widenet.kernel;

import widenet.tensor.FloatMatrix;

/**
 * What a GEMM does to each element of C = α·op(A)·op(B) + β·C before storing it, so that the network needs no
 * extra pass over an n×m matrix: nothing, or an activation σ, storing σ(c) into C and σ′(c) into
 * {@link #derivative()} (for ReLU σ′ is the 0/1 activation mask). Made once per layer and reused every step.
 */
public final class Epilogue {
    /** Store C as computed. */
    public static final Epilogue NONE = new Epilogue(null, null);

    private final Activation activation;
    private final FloatMatrix derivative;

    private Epilogue(Activation activation, FloatMatrix derivative) {
        this.activation = activation;
        this.derivative = derivative;
    }

    /** Store σ(c) into C and, when {@code derivative} is not null, σ′(c) into it (same shape as C). */
    public static Epilogue activation(Activation activation, FloatMatrix derivative) {
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        return new Epilogue(activation, derivative);
    }

    /** ReLU with the 0/1 mask σ′(c) stored into {@code mask} (may be null). */
    public static Epilogue relu(FloatMatrix mask, boolean gradAtZero) {
        return activation(Activation.relu(gradAtZero), mask);
    }

    public boolean isNone() {
        return activation == null;
    }
    /** The activation, or null for {@link #NONE}. */
    public Activation activationOrNull() {
        return activation;
    }
    /** Where σ′(c) goes, or null. */
    public FloatMatrix derivative() {
        return derivative;
    }

    @Override
    public String toString() {
        return activation == null ? "none" : activation + (derivative != null ? "+derivative" : "");
    }
}
