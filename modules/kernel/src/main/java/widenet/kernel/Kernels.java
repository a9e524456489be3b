package widenet.kernel;

import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The dense operations of a ReLU network's forward and backward passes. An instance is made by a
 * {@link KernelProvider} for a fixed number of threads and owns whatever it needs to run (worker threads, packing
 * workspace), allocated once: after warm-up no call allocates on the Java heap.
 *
 * <p>Contract shared by every provider:
 * <ul>
 *   <li>Matrices are row-major {@link FloatMatrix} (possibly views with a stride); shapes are checked and a
 *       mismatch throws {@link IllegalArgumentException} naming the operation and the shapes.</li>
 *   <li>Outputs must not overlap inputs unless the method says so.</li>
 *   <li>Results are deterministic: the same inputs and the same thread count give bit-identical outputs.</li>
 *   <li>Reductions return {@code double}; providers may accumulate in float within blocks, so they agree with the
 *       scalar reference to within the usual O(√k·ε) rounding of a k-long float sum.</li>
 * </ul>
 */
public interface Kernels extends AutoCloseable {

    /** The provider's name, e.g. {@code simd} or {@code scalar}. */
    String provider();

    /** A human-readable description: implementation, vector species, threads. */
    String description();

    /** Worker threads this instance uses (1 for a single-threaded provider). */
    int threads();

    // ---- level 3 -------------------------------------------------------------------------------------------

    /**
     * C = epilogue(α·op(A)·op(B) + β·C), with op(A) M×K, op(B) K×N, C M×N. β = 0 means C is only written
     * (its old contents, even NaN, are ignored).
     */
    void gemm(Op opA, Op opB, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c, Epilogue epilogue);

    default void gemm(Op opA, Op opB, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        gemm(opA, opB, alpha, a, b, beta, c, Epilogue.NONE);
    }

    // ---- level 2 -------------------------------------------------------------------------------------------

    /** y = α·op(A)·x + β·y. β = 0 means y is only written. */
    void gemv(Op opA, float alpha, FloatMatrix a, FloatVec x, float beta, FloatVec y);

    // ---- elementwise ---------------------------------------------------------------------------------------

    /** out = σ(z), and derivative = σ′(z) when not null. {@code out} may be {@code z}. */
    void activate(Activation activation, FloatMatrix z, FloatMatrix out, FloatMatrix derivative);

    /** out_ij = α·r_i·c_j·mask_ij: the ReLU backward pass of a rank-one upstream gradient. {@code out} may be {@code mask}. */
    void scaleOuterMasked(float alpha, FloatVec rowScale, FloatVec colScale, FloatMatrix mask, FloatMatrix out);

    /** out = a ⊙ b (elementwise product). {@code out} may be {@code a} or {@code b}. */
    void hadamard(FloatMatrix a, FloatMatrix b, FloatMatrix out);

    /** y += α·x. */
    void axpy(float alpha, FloatMatrix x, FloatMatrix y);

    /** y += α·x. */
    void axpy(float alpha, FloatVec x, FloatVec y);

    /** x = α·x. */
    void scale(float alpha, FloatMatrix x);

    /** dst = src. */
    void copy(FloatMatrix src, FloatMatrix dst);

    /** c_ij += v_j for every row i (a bias added to each row). */
    void addToRows(FloatVec v, FloatMatrix c);

    // ---- reductions ----------------------------------------------------------------------------------------

    /** Σ_i x_i·y_i. */
    double dot(FloatVec x, FloatVec y);

    /** Σ_ij a_ij². */
    double sumOfSquares(FloatMatrix a);

    /** Σ_ij (a_ij − b_ij)²: e.g. ‖W(k) − W(0)‖_F². */
    double sumOfSquaredDifferences(FloatMatrix a, FloatMatrix b);

    /** out_i = Σ_j (a_ij − b_ij)²: e.g. ‖w_r(k) − w_r(0)‖² for every neuron r. */
    void rowSumsOfSquaredDifferences(FloatMatrix a, FloatMatrix b, FloatVec out);

    /** out_j = Σ_i a_ij (e.g. a bias gradient). */
    void columnSums(FloatMatrix a, FloatVec out);

    /** The number of positions where a_ij != b_ij (IEEE comparison): e.g. flipped activation patterns between two masks. */
    long countDifferent(FloatMatrix a, FloatMatrix b);

    /** Stops the worker threads and frees the workspace. */
    @Override
    void close();
}
