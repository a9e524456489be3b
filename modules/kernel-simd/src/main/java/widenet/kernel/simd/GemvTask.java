package widenet.kernel.simd;

import static widenet.kernel.simd.Lanes.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = α·op(A)·x + β·y, spread over the pool by output elements.
 *
 * <ul>
 *   <li>op(A) = A: y_i is a dot product along row i of A (contiguous), summed in vector lanes; the threads take
 *       row ranges.</li>
 *   <li>op(A) = Aᵀ: y_j = Σ_i a_ij·x_i is accumulated row by row of A (contiguous reads, an axpy per row) into a
 *       float buffer, in index order with separate multiply and add roundings, like the reference; the threads take
 *       column ranges.</li>
 * </ul>
 * Each y element is computed by one thread in a fixed order, so every thread count gives the same bits.
 */
final class GemvTask implements ParallelTask {
    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = Lanes.LENGTH;
    private static final long VBYTES = (long) L * Float.BYTES;

    private final WorkerPool pool;
    /** Column accumulators of the transposed case; grows with the widest A seen, otherwise reused. */
    private float[] acc = new float[256];

    // The current call.
    private boolean transposed;
    private float alpha;
    private float beta;
    private MemorySegment a;
    private long lda;
    private int rows;
    private int cols;
    private MemorySegment x;
    private MemorySegment y;

    GemvTask(WorkerPool pool) {
        this.pool = pool;
    }

    /** Shapes already checked: A is rows×cols as stored. */
    void gemv(
            boolean transposed,
            float alpha,
            MemorySegment a,
            long lda,
            int rows,
            int cols,
            MemorySegment x,
            float beta,
            MemorySegment y) {
        this.transposed = transposed;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.lda = lda;
        this.rows = rows;
        this.cols = cols;
        this.x = x;
        this.y = y;
        int outputs = transposed ? cols : rows;
        if (outputs == 0) {
            return;
        }
        if (transposed && acc.length < cols) {
            acc = new float[Math.max(cols, 2 * acc.length)]; // grows once per new size class
        }
        int active = (long) rows * cols < ElementwiseTask.PARALLEL_MIN_ELEMENTS
                ? 1
                : Math.min(pool.threads(), transposed ? (cols + L - 1) / L : rows);
        try {
            pool.run(this, active);
        } finally {
            this.a = null;
            this.x = null;
            this.y = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        if (!transposed) {
            for (int i = share(rows, worker, workers), end = share(rows, worker + 1, workers); i < end; i++) {
                float dot = rowDot(i);
                float v = beta == 0f ? alpha * dot : alpha * dot + beta * y.getAtIndex(Lanes.F32, i);
                y.setAtIndex(Lanes.F32, i, v);
            }
        } else {
            int units = (cols + L - 1) / L;
            int c0 = Math.min(cols, share(units, worker, workers) * L);
            int c1 = Math.min(cols, share(units, worker + 1, workers) * L);
            if (c0 < c1) {
                columnDots(c0, c1);
            }
        }
    }

    private static int share(int units, int w, int workers) {
        return (int) ((long) units * w / workers);
    }

    /** Σ_p a_ip·x_p in two 8-lane FMA accumulators, lanes added in order, then the scalar tail. */
    private float rowDot(int i) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        long ao = i * lda * Float.BYTES;
        long xo = 0;
        int p = 0;
        for (; p + 2 * L <= cols; p += 2 * L, ao += 2 * VBYTES, xo += 2 * VBYTES) {
            acc0 = FloatVector.fromMemorySegment(S, a, ao, ORDER)
                    .fma(FloatVector.fromMemorySegment(S, x, xo, ORDER), acc0);
            acc1 = FloatVector.fromMemorySegment(S, a, ao + VBYTES, ORDER)
                    .fma(FloatVector.fromMemorySegment(S, x, xo + VBYTES, ORDER), acc1);
        }
        if (p + L <= cols) {
            acc0 = FloatVector.fromMemorySegment(S, a, ao, ORDER)
                    .fma(FloatVector.fromMemorySegment(S, x, xo, ORDER), acc0);
            p += L;
            ao += VBYTES;
            xo += VBYTES;
        }
        // The tail (< 8 elements) in scalar code: a masked vector tail was boxed by C2 on short rows.
        float tail = 0f;
        for (; p < cols; p++, ao += Float.BYTES, xo += Float.BYTES) {
            tail = Math.fma(a.get(Lanes.F32, ao), x.get(Lanes.F32, xo), tail);
        }
        FloatVector sum = acc0.add(acc1);
        float total = 0f;
        for (int l = 0; l < L; l++) {
            total += sum.lane(l);
        }
        return total + tail;
    }

    /** y_j for j in [c0, c1) of the transposed case. */
    private void columnDots(int c0, int c1) {
        int count = c1 - c0;
        float[] buf = acc;
        for (int j = c0; j < c1; j++) {
            buf[j] = 0f;
        }
        for (int i = 0; i < rows; i++) {
            float xi = x.getAtIndex(Lanes.F32, i);
            long ao = (i * lda + c0) * Float.BYTES;
            int j = 0;
            for (; j + L <= count; j += L, ao += VBYTES) {
                FloatVector.fromArray(S, buf, c0 + j)
                        .add(FloatVector.fromMemorySegment(S, a, ao, ORDER).mul(xi))
                        .intoArray(buf, c0 + j);
            }
            for (; j < count; j++, ao += Float.BYTES) {
                buf[c0 + j] += a.get(Lanes.F32, ao) * xi;
            }
        }
        for (int j = c0; j < c1; j++) {
            float v = beta == 0f ? alpha * buf[j] : alpha * buf[j] + beta * y.getAtIndex(Lanes.F32, j);
            y.setAtIndex(Lanes.F32, j, v);
        }
    }
}
