package widenet.kernel.simd;

import static widenet.kernel.simd.Lanes.F32;
import static widenet.kernel.simd.Lanes.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import widenet.kernel.Activation;

/**
 * The elementwise operations, one row at a time with full vectors and a scalar tail, spread over the pool by rows
 * (or by column ranges when there are fewer rows than threads) once they are large enough to pay for it. Each
 * output element depends only on the inputs at its own position, so the result is the same for any partition and,
 * because the arithmetic is the scalar reference's operation for operation, bit-identical to it.
 *
 * <p>Operands are held as (segment, stride) pairs so vectors and matrices share the code: a vector is one row.
 */
final class ElementwiseTask implements ParallelTask {
    /** Below this many elements an operation stays on the calling thread. */
    static final long PARALLEL_MIN_ELEMENTS = 1L << 16;

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = Lanes.LENGTH;
    private static final long VBYTES = (long) L * Float.BYTES;

    private enum Kind {
        ACTIVATE,
        SCALE_OUTER_MASKED,
        HADAMARD,
        AXPY,
        SCALE,
        COPY,
        ADD_TO_ROWS
    }

    private final WorkerPool pool;
    private final VectorActivation activation = new VectorActivation();

    // The current call.
    private Kind kind;
    private int rows;
    private int cols;
    private float alpha;
    private MemorySegment x;
    private long ldx;
    private MemorySegment y;
    private long ldy;
    private MemorySegment out;
    private long ldo;
    private MemorySegment d;
    private long ldd;
    private boolean splitRows;

    ElementwiseTask(WorkerPool pool) {
        this.pool = pool;
    }

    /** out = σ(z), d = σ′(z) unless d is null. */
    void activate(
            Activation act,
            MemorySegment z,
            long ldz,
            MemorySegment out,
            long ldo,
            MemorySegment d,
            long ldd,
            int rows,
            int cols) {
        activation.set(act);
        set(Kind.ACTIVATE, rows, cols, 0f, z, ldz, null, 0, out, ldo, d, ldd);
    }

    /** out_ij = (α·r_i)·c_j·mask_ij, with r in x and c in y (as one-row operands). */
    void scaleOuterMasked(
            float alpha,
            MemorySegment r,
            MemorySegment c,
            MemorySegment mask,
            long ldm,
            MemorySegment out,
            long ldo,
            int rows,
            int cols) {
        set(Kind.SCALE_OUTER_MASKED, rows, cols, alpha, r, 0, c, 0, out, ldo, mask, ldm);
    }

    /** out = x ⊙ y. */
    void hadamard(
            MemorySegment x, long ldx, MemorySegment y, long ldy, MemorySegment out, long ldo, int rows, int cols) {
        set(Kind.HADAMARD, rows, cols, 0f, x, ldx, y, ldy, out, ldo, null, 0);
    }

    /** y += α·x. */
    void axpy(float alpha, MemorySegment x, long ldx, MemorySegment y, long ldy, int rows, int cols) {
        set(Kind.AXPY, rows, cols, alpha, x, ldx, y, ldy, null, 0, null, 0);
    }

    /** x = α·x. */
    void scale(float alpha, MemorySegment x, long ldx, int rows, int cols) {
        set(Kind.SCALE, rows, cols, alpha, x, ldx, null, 0, null, 0, null, 0);
    }

    /** out = x. */
    void copy(MemorySegment x, long ldx, MemorySegment out, long ldo, int rows, int cols) {
        set(Kind.COPY, rows, cols, 0f, x, ldx, null, 0, out, ldo, null, 0);
    }

    /** out_ij += v_j, with v in x (as a one-row operand). */
    void addToRows(MemorySegment v, MemorySegment out, long ldo, int rows, int cols) {
        set(Kind.ADD_TO_ROWS, rows, cols, 0f, v, 0, null, 0, out, ldo, null, 0);
    }

    private void set(
            Kind kind,
            int rows,
            int cols,
            float alpha,
            MemorySegment x,
            long ldx,
            MemorySegment y,
            long ldy,
            MemorySegment out,
            long ldo,
            MemorySegment d,
            long ldd) {
        if (rows == 0 || cols == 0) {
            return;
        }
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        this.alpha = alpha;
        this.x = x;
        this.ldx = ldx;
        this.y = y;
        this.ldy = ldy;
        this.out = out;
        this.ldo = ldo;
        this.d = d;
        this.ldd = ldd;
        long size = (long) rows * cols;
        int threads = pool.threads();
        splitRows = rows >= threads;
        int active = size < PARALLEL_MIN_ELEMENTS ? 1 : splitRows ? threads : Math.min(threads, (cols + L - 1) / L);
        try {
            pool.run(this, active);
        } finally {
            this.x = null;
            this.y = null;
            this.out = null;
            this.d = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        if (splitRows) {
            int r0 = share(rows, worker, workers);
            int r1 = share(rows, worker + 1, workers);
            for (int i = r0; i < r1; i++) {
                row(i, 0, cols);
            }
        } else {
            int units = (cols + L - 1) / L;
            int c0 = Math.min(cols, share(units, worker, workers) * L);
            int c1 = Math.min(cols, share(units, worker + 1, workers) * L);
            for (int i = 0; i < rows && c0 < c1; i++) {
                row(i, c0, c1);
            }
        }
    }

    private static int share(int units, int w, int workers) {
        return (int) ((long) units * w / workers);
    }

    /** Columns [c0, c1) of row i. */
    private void row(int i, int c0, int c1) {
        int count = c1 - c0;
        // Fields go into locals (and on into static loops as parameters): a store through a MemorySegment may alias
        // any heap field as far as C2 knows, so a field read inside the loop would be repeated, with its checks,
        // after every vector store.
        MemorySegment x = this.x;
        MemorySegment y = this.y;
        MemorySegment out = this.out;
        MemorySegment d = this.d;
        float alpha = this.alpha;
        long xo = (i * ldx + c0) * Float.BYTES;
        long yo = (i * ldy + c0) * Float.BYTES;
        long oo = (i * ldo + c0) * Float.BYTES;
        long dd = (i * ldd + c0) * Float.BYTES;
        long co = (long) c0 * Float.BYTES;
        switch (kind) {
            case ACTIVATE -> activation.apply(x, xo, out, oo, d, dd, count);
            // x is the row scale (one value per row), y the column scale (indexed by column), d the mask.
            case SCALE_OUTER_MASKED ->
                scaleOuterMasked(alpha * x.getAtIndex(Lanes.F32, i), y, co, d, dd, out, oo, count);
            case HADAMARD -> hadamard(x, xo, y, yo, out, oo, count);
            case AXPY -> axpy(alpha, x, xo, y, yo, count);
            case SCALE -> scale(alpha, x, xo, count);
            case COPY -> MemorySegment.copy(x, xo, out, oo, (long) count * Float.BYTES);
            // x is the vector added to every row, indexed by column.
            case ADD_TO_ROWS -> addToRows(x, co, out, oo, count);
        }
    }

    // One loop per operation: full vectors, then the row's tail (fewer than L elements) in scalar code with the same
    // arithmetic. Not masked vectors: C2 boxed the masks and masked loads/stores on some shapes (allocating per call).

    /** out = (r_i·c)·mask, the reference's order of multiplications. */
    private static void scaleOuterMasked(
            float ri, MemorySegment c, long co, MemorySegment mask, long mo, MemorySegment out, long oo, int count) {
        int j = 0;
        for (; j + L <= count; j += L, co += VBYTES, mo += VBYTES, oo += VBYTES) {
            FloatVector.fromMemorySegment(S, c, co, ORDER)
                    .mul(ri)
                    .mul(FloatVector.fromMemorySegment(S, mask, mo, ORDER))
                    .intoMemorySegment(out, oo, ORDER);
        }
        for (; j < count; j++, co += Float.BYTES, mo += Float.BYTES, oo += Float.BYTES) {
            out.set(F32, oo, c.get(F32, co) * ri * mask.get(F32, mo));
        }
    }

    private static void hadamard(
            MemorySegment x, long xo, MemorySegment y, long yo, MemorySegment out, long oo, int count) {
        int j = 0;
        for (; j + L <= count; j += L, xo += VBYTES, yo += VBYTES, oo += VBYTES) {
            FloatVector.fromMemorySegment(S, x, xo, ORDER)
                    .mul(FloatVector.fromMemorySegment(S, y, yo, ORDER))
                    .intoMemorySegment(out, oo, ORDER);
        }
        for (; j < count; j++, xo += Float.BYTES, yo += Float.BYTES, oo += Float.BYTES) {
            out.set(F32, oo, x.get(F32, xo) * y.get(F32, yo));
        }
    }

    /** y + α·x as two roundings, like the reference (no FMA). */
    private static void axpy(float alpha, MemorySegment x, long xo, MemorySegment y, long yo, int count) {
        int j = 0;
        for (; j + L <= count; j += L, xo += VBYTES, yo += VBYTES) {
            FloatVector.fromMemorySegment(S, y, yo, ORDER)
                    .add(FloatVector.fromMemorySegment(S, x, xo, ORDER).mul(alpha))
                    .intoMemorySegment(y, yo, ORDER);
        }
        for (; j < count; j++, xo += Float.BYTES, yo += Float.BYTES) {
            y.set(F32, yo, y.get(F32, yo) + x.get(F32, xo) * alpha);
        }
    }

    private static void scale(float alpha, MemorySegment x, long xo, int count) {
        int j = 0;
        for (; j + L <= count; j += L, xo += VBYTES) {
            FloatVector.fromMemorySegment(S, x, xo, ORDER).mul(alpha).intoMemorySegment(x, xo, ORDER);
        }
        for (; j < count; j++, xo += Float.BYTES) {
            x.set(F32, xo, x.get(F32, xo) * alpha);
        }
    }

    private static void addToRows(MemorySegment v, long vo, MemorySegment out, long oo, int count) {
        int j = 0;
        for (; j + L <= count; j += L, vo += VBYTES, oo += VBYTES) {
            FloatVector.fromMemorySegment(S, out, oo, ORDER)
                    .add(FloatVector.fromMemorySegment(S, v, vo, ORDER))
                    .intoMemorySegment(out, oo, ORDER);
        }
        for (; j < count; j++, vo += Float.BYTES, oo += Float.BYTES) {
            out.set(F32, oo, out.get(F32, oo) + v.get(F32, vo));
        }
    }
}
