package widenet.kernel.simd;

import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.kernel.Shapes;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The Vector API kernels: checks shapes (with the shared messages of {@link Shapes}) and hands each call to the task
 * object that runs it on the {@link WorkerPool}. Every task object, packing buffer and thread is made once, so after
 * the first calls (which size the buffers) nothing is allocated.
 *
 * <p>One instance serves one calling thread at a time.
 */
final class SimdKernels implements Kernels {
    private final WorkerPool pool;
    private final GemmTask gemm;
    private final GemvTask gemv;
    private final ElementwiseTask elementwise;
    private final ReductionTask reductions;

    SimdKernels(int threads) {
        this.pool = new WorkerPool(threads);
        this.gemm = new GemmTask(pool);
        this.gemv = new GemvTask(pool);
        this.elementwise = new ElementwiseTask(pool);
        this.reductions = new ReductionTask(pool);
    }

    @Override
    public String provider() {
        return "simd";
    }

    @Override
    public String description() {
        KernelConfig cfg = SimdConfiguration.config();
        return "Vector API FloatVector " + Lanes.SPECIES.vectorBitSize() + "-bit (" + Lanes.LENGTH
                + " lanes), BLIS-style "
                + GemmBlocking.KERNEL + " GEMM, " + pool.threads() + (pool.threads() == 1 ? " thread" : " threads")
                + "; config " + cfg.summary() + "; CPU " + SimdConfiguration.CPU
                + (cfg.bits() > SimdConfiguration.CPU.preferredBits()
                        ? "; WARNING: wider than the JVM's " + SimdConfiguration.CPU.preferredBits()
                                + "-bit vectors, so emulated in Java and slow"
                        : "");
    }

    /** Why the configuration is what it is (the table entry's reasons), for the banner's detail. */
    static String configurationReason() {
        return SimdConfiguration.config().reason();
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public void gemm(
            Op opA, Op opB, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c, Epilogue epilogue) {
        Shapes.gemm(opA, opB, a, b, c, epilogue);
        gemm.gemm(opA, opB, alpha, a, b, beta, c, epilogue);
    }

    @Override
    public void gemv(Op opA, float alpha, FloatMatrix a, FloatVec x, float beta, FloatVec y) {
        Shapes.gemv(opA, a, x, y);
        gemv.gemv(opA == Op.T, alpha, a.segment(), a.stride(), a.rows(), a.cols(), x.segment(), beta, y.segment());
    }

    @Override
    public void activate(Activation activation, FloatMatrix z, FloatMatrix out, FloatMatrix derivative) {
        Shapes.same(z, out, "activate");
        if (derivative != null) {
            Shapes.same(z, derivative, "activate derivative");
        }
        elementwise.activate(
                activation,
                z.segment(),
                z.stride(),
                out.segment(),
                out.stride(),
                derivative == null ? null : derivative.segment(),
                derivative == null ? 0 : derivative.stride(),
                z.rows(),
                z.cols());
    }

    @Override
    public void scaleOuterMasked(float alpha, FloatVec rowScale, FloatVec colScale, FloatMatrix mask, FloatMatrix out) {
        Shapes.same(mask, out, "scaleOuterMasked");
        Shapes.length(rowScale, mask.rows(), "scaleOuterMasked row scale");
        Shapes.length(colScale, mask.cols(), "scaleOuterMasked column scale");
        elementwise.scaleOuterMasked(
                alpha,
                rowScale.segment(),
                colScale.segment(),
                mask.segment(),
                mask.stride(),
                out.segment(),
                out.stride(),
                mask.rows(),
                mask.cols());
    }

    @Override
    public void hadamard(FloatMatrix a, FloatMatrix b, FloatMatrix out) {
        Shapes.same(a, b, "hadamard");
        Shapes.same(a, out, "hadamard output");
        elementwise.hadamard(
                a.segment(), a.stride(), b.segment(), b.stride(), out.segment(), out.stride(), a.rows(), a.cols());
    }

    @Override
    public void axpy(float alpha, FloatMatrix x, FloatMatrix y) {
        Shapes.same(x, y, "axpy");
        elementwise.axpy(alpha, x.segment(), x.stride(), y.segment(), y.stride(), x.rows(), x.cols());
    }

    @Override
    public void axpy(float alpha, FloatVec x, FloatVec y) {
        Shapes.same(x, y, "axpy");
        elementwise.axpy(alpha, x.segment(), x.length(), y.segment(), y.length(), 1, x.length());
    }

    @Override
    public void scale(float alpha, FloatMatrix x) {
        elementwise.scale(alpha, x.segment(), x.stride(), x.rows(), x.cols());
    }

    @Override
    public void copy(FloatMatrix src, FloatMatrix dst) {
        Shapes.same(src, dst, "copy");
        elementwise.copy(src.segment(), src.stride(), dst.segment(), dst.stride(), src.rows(), src.cols());
    }

    @Override
    public void addToRows(FloatVec v, FloatMatrix c) {
        Shapes.length(v, c.cols(), "addToRows");
        elementwise.addToRows(v.segment(), c.segment(), c.stride(), c.rows(), c.cols());
    }

    @Override
    public double dot(FloatVec x, FloatVec y) {
        Shapes.same(x, y, "dot");
        return reductions.dot(x.segment(), y.segment(), x.length());
    }

    @Override
    public double sumOfSquares(FloatMatrix a) {
        return reductions.sumOfSquares(a.segment(), a.stride(), a.rows(), a.cols());
    }

    @Override
    public double sumOfSquaredDifferences(FloatMatrix a, FloatMatrix b) {
        Shapes.same(a, b, "sumOfSquaredDifferences");
        return reductions.sumOfSquaredDifferences(a.segment(), a.stride(), b.segment(), b.stride(), a.rows(), a.cols());
    }

    @Override
    public void rowSumsOfSquaredDifferences(FloatMatrix a, FloatMatrix b, FloatVec out) {
        Shapes.same(a, b, "rowSumsOfSquaredDifferences");
        Shapes.length(out, a.rows(), "rowSumsOfSquaredDifferences output");
        reductions.rowSums(a.segment(), a.stride(), b.segment(), b.stride(), a.rows(), a.cols(), out.segment());
    }

    @Override
    public void columnSums(FloatMatrix a, FloatVec out) {
        Shapes.length(out, a.cols(), "columnSums output");
        reductions.columnSums(a.segment(), a.stride(), a.rows(), a.cols(), out.segment());
    }

    @Override
    public long countDifferent(FloatMatrix a, FloatMatrix b) {
        Shapes.same(a, b, "countDifferent");
        return reductions.countDifferent(a.segment(), a.stride(), b.segment(), b.stride(), a.rows(), a.cols());
    }

    /** The pool's worker threads (not the caller): for tests that account for what they allocate. */
    Thread[] workerThreads() {
        return pool.workerThreads();
    }

    @Override
    public void close() {
        pool.close();
    }
}
