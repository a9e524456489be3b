package widenet.kernel.simd;

import static widenet.kernel.simd.Lanes.F32;
import static widenet.kernel.simd.Lanes.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums over matrices: totals (Σ x·y, Σ a², Σ (a − b)², the count of a ≠ b), per-row sums and column sums.
 *
 * <p>Determinism: a total is cut into fixed chunks of {@link #CHUNK} consecutive elements (row-major order,
 * whatever the stride). Each row segment of a chunk is summed in float in 16 vector lanes (and its last < 8
 * elements in one scalar float), its lanes added in lane order in double and then the scalar tail, the segments of a chunk and then the chunks' partial sums added in order in double. Neither the chunks nor the order depend on the
 * thread count, so every thread count gives the same bits. A row sum is one such sum over its row. Column sums add
 * the rows in index order in float, exactly like the scalar reference.
 */
final class ReductionTask implements ParallelTask {
    /** Elements per chunk of a total: large enough that the per-chunk overhead vanishes, small enough to balance. */
    static final int CHUNK = 1 << 14;

    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = Lanes.LENGTH;
    private static final long VBYTES = (long) L * Float.BYTES;

    private enum Term {
        PRODUCT,
        SQUARE,
        SQUARED_DIFFERENCE,
        DIFFERENT
    }

    private enum Mode {
        TOTAL,
        ROWS,
        COLUMNS
    }

    private final WorkerPool pool;
    /** Partial sums (or counts) per chunk; grows with the largest operand seen, otherwise reused. */
    private double[] partials = new double[64];

    // The current call.
    private Term term;
    private Mode mode;
    private int rows;
    private int cols;
    private MemorySegment x;
    private long ldx;
    private MemorySegment y;
    private long ldy;
    private MemorySegment out;
    private int chunks;

    ReductionTask(WorkerPool pool) {
        this.pool = pool;
    }

    double dot(MemorySegment x, MemorySegment y, int n) {
        return total(Term.PRODUCT, x, n, y, n, 1, n);
    }

    double sumOfSquares(MemorySegment a, long lda, int rows, int cols) {
        return total(Term.SQUARE, a, lda, null, 0, rows, cols);
    }

    double sumOfSquaredDifferences(MemorySegment a, long lda, MemorySegment b, long ldb, int rows, int cols) {
        return total(Term.SQUARED_DIFFERENCE, a, lda, b, ldb, rows, cols);
    }

    long countDifferent(MemorySegment a, long lda, MemorySegment b, long ldb, int rows, int cols) {
        return (long) total(Term.DIFFERENT, a, lda, b, ldb, rows, cols);
    }

    /** out_i = Σ_j a_ij² (b null) or Σ_j (a_ij − b_ij)². */
    void rowSums(MemorySegment a, long lda, MemorySegment b, long ldb, int rows, int cols, MemorySegment out) {
        if (rows == 0) {
            return;
        }
        set(b == null ? Term.SQUARE : Term.SQUARED_DIFFERENCE, Mode.ROWS, a, lda, b, ldb, rows, cols);
        this.out = out;
        dispatch((long) rows * cols, Math.min(pool.threads(), rows));
    }

    /** out_j = Σ_i a_ij. */
    void columnSums(MemorySegment a, long lda, int rows, int cols, MemorySegment out) {
        if (cols == 0) {
            return;
        }
        set(Term.SQUARE, Mode.COLUMNS, a, lda, null, 0, rows, cols);
        this.out = out;
        dispatch((long) rows * cols, Math.min(pool.threads(), (cols + L - 1) / L));
    }

    private double total(Term term, MemorySegment x, long ldx, MemorySegment y, long ldy, int rows, int cols) {
        long size = (long) rows * cols;
        if (size == 0) {
            return 0.0;
        }
        set(term, Mode.TOTAL, x, ldx, y, ldy, rows, cols);
        long n = (size + CHUNK - 1) / CHUNK;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("operand of " + size + " elements is too large");
        }
        chunks = (int) n;
        if (partials.length < chunks) {
            partials = new double[Math.max(chunks, 2 * partials.length)]; // grows once per new size class
        }
        dispatch(size, Math.min(pool.threads(), chunks));
        double sum = 0.0;
        for (int c = 0; c < chunks; c++) {
            sum += partials[c];
        }
        return sum;
    }

    private void set(Term term, Mode mode, MemorySegment x, long ldx, MemorySegment y, long ldy, int rows, int cols) {
        this.term = term;
        this.mode = mode;
        this.x = x;
        this.ldx = ldx;
        this.y = y;
        this.ldy = ldy;
        this.rows = rows;
        this.cols = cols;
    }

    private void dispatch(long size, int maxActive) {
        try {
            pool.run(this, size < ElementwiseTask.PARALLEL_MIN_ELEMENTS ? 1 : maxActive);
        } finally {
            x = null;
            y = null;
            out = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        switch (mode) {
            case TOTAL -> {
                long size = (long) rows * cols;
                for (int c = share(chunks, worker, workers), end = share(chunks, worker + 1, workers); c < end; c++) {
                    long s = (long) c * CHUNK;
                    partials[c] = sum(s, Math.min(size, s + CHUNK));
                }
            }
            case ROWS -> {
                for (int i = share(rows, worker, workers), end = share(rows, worker + 1, workers); i < end; i++) {
                    out.setAtIndex(Lanes.F32, i, (float) sum((long) i * cols, (long) (i + 1) * cols));
                }
            }
            case COLUMNS -> {
                int units = (cols + L - 1) / L;
                int c0 = Math.min(cols, share(units, worker, workers) * L);
                int c1 = Math.min(cols, share(units, worker + 1, workers) * L);
                columnSums(c0, c1);
            }
        }
    }

    private static int share(int units, int w, int workers) {
        return (int) ((long) units * w / workers);
    }

    /**
     * The sum of the current term over row-major elements [s, e), possibly spanning several rows: the sum, in order
     * and in double, of the sums of its row segments. Each term has its own small segment method, so that the JIT
     * compiles each fully (one large method mixing all of them was left in C1, which boxes every vector).
     */
    private double sum(long s, long e) {
        double total = 0.0;
        while (s < e) {
            int i = (int) (s / cols);
            int j = (int) (s % cols);
            int len = (int) Math.min(cols - j, e - s);
            long xo = (i * ldx + j) * Float.BYTES;
            long yo = (i * ldy + j) * Float.BYTES;
            total += switch (term) {
                case PRODUCT -> products(xo, yo, len);
                case SQUARE -> squares(xo, len);
                case SQUARED_DIFFERENCE -> squaredDifferences(xo, yo, len);
                case DIFFERENT -> different(xo, yo, len);
            };
            s += len;
        }
        return total;
    }

    // Segment sums: two 8-lane float accumulators (to hide the FMA latency), one more single vector if it fits, the
    // two added, the 8 lanes added in lane order in double, then the tail (fewer than 8 elements) summed in float
    // in scalar code. Not a masked vector tail: C2 boxed masks and masked loads on short rows (24–32 floats),
    // allocating per call. Each keeps its vectors to itself: a vector passed to a method the JIT does not inline is
    // boxed.

    private double products(long xo, long yo, int len) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int q = 0;
        for (; q + 2 * L <= len; q += 2 * L, xo += 2 * VBYTES, yo += 2 * VBYTES) {
            acc0 = FloatVector.fromMemorySegment(S, x, xo, ORDER)
                    .fma(FloatVector.fromMemorySegment(S, y, yo, ORDER), acc0);
            acc1 = FloatVector.fromMemorySegment(S, x, xo + VBYTES, ORDER)
                    .fma(FloatVector.fromMemorySegment(S, y, yo + VBYTES, ORDER), acc1);
        }
        if (q + L <= len) {
            acc0 = FloatVector.fromMemorySegment(S, x, xo, ORDER)
                    .fma(FloatVector.fromMemorySegment(S, y, yo, ORDER), acc0);
            q += L;
            xo += VBYTES;
            yo += VBYTES;
        }
        float tail = 0f;
        for (; q < len; q++, xo += Float.BYTES, yo += Float.BYTES) {
            tail = Math.fma(x.get(F32, xo), y.get(F32, yo), tail);
        }
        FloatVector sum = acc0.add(acc1);
        double total = 0.0;
        for (int l = 0; l < L; l++) {
            total += sum.lane(l);
        }
        return total + tail;
    }

    private double squares(long xo, int len) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int q = 0;
        for (; q + 2 * L <= len; q += 2 * L, xo += 2 * VBYTES) {
            FloatVector a0 = FloatVector.fromMemorySegment(S, x, xo, ORDER);
            FloatVector a1 = FloatVector.fromMemorySegment(S, x, xo + VBYTES, ORDER);
            acc0 = a0.fma(a0, acc0);
            acc1 = a1.fma(a1, acc1);
        }
        if (q + L <= len) {
            FloatVector a0 = FloatVector.fromMemorySegment(S, x, xo, ORDER);
            acc0 = a0.fma(a0, acc0);
            q += L;
            xo += VBYTES;
        }
        float tail = 0f;
        for (; q < len; q++, xo += Float.BYTES) {
            float v = x.get(F32, xo);
            tail = Math.fma(v, v, tail);
        }
        FloatVector sum = acc0.add(acc1);
        double total = 0.0;
        for (int l = 0; l < L; l++) {
            total += sum.lane(l);
        }
        return total + tail;
    }

    private double squaredDifferences(long xo, long yo, int len) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int q = 0;
        for (; q + 2 * L <= len; q += 2 * L, xo += 2 * VBYTES, yo += 2 * VBYTES) {
            FloatVector d0 =
                    FloatVector.fromMemorySegment(S, x, xo, ORDER).sub(FloatVector.fromMemorySegment(S, y, yo, ORDER));
            FloatVector d1 = FloatVector.fromMemorySegment(S, x, xo + VBYTES, ORDER)
                    .sub(FloatVector.fromMemorySegment(S, y, yo + VBYTES, ORDER));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        if (q + L <= len) {
            FloatVector d0 =
                    FloatVector.fromMemorySegment(S, x, xo, ORDER).sub(FloatVector.fromMemorySegment(S, y, yo, ORDER));
            acc0 = d0.fma(d0, acc0);
            q += L;
            xo += VBYTES;
            yo += VBYTES;
        }
        float tail = 0f;
        for (; q < len; q++, xo += Float.BYTES, yo += Float.BYTES) {
            float v = x.get(F32, xo) - y.get(F32, yo);
            tail = Math.fma(v, v, tail);
        }
        FloatVector sum = acc0.add(acc1);
        double total = 0.0;
        for (int l = 0; l < L; l++) {
            total += sum.lane(l);
        }
        return total + tail;
    }

    /** The number of positions where x ≠ y (IEEE: NaN differs from everything, −0 equals +0). */
    private double different(long xo, long yo, int len) {
        long count = 0;
        int q = 0;
        for (; q + L <= len; q += L, xo += VBYTES, yo += VBYTES) {
            count += FloatVector.fromMemorySegment(S, x, xo, ORDER)
                    .compare(VectorOperators.NE, FloatVector.fromMemorySegment(S, y, yo, ORDER))
                    .trueCount();
        }
        for (; q < len; q++, xo += Float.BYTES, yo += Float.BYTES) {
            if (x.get(F32, xo) != y.get(F32, yo)) {
                count++;
            }
        }
        return count;
    }

    /** out_j = Σ_i a_ij for j in [c0, c1), adding rows in index order in float, as the reference does. */
    private void columnSums(int c0, int c1) {
        int count = c1 - c0;
        if (count <= 0) {
            return;
        }
        // Row 0 is added to zeros rather than copied, so that −0 sums to +0 as in the reference. Fields in locals:
        // C2 would read them again after every store through a MemorySegment.
        MemorySegment x = this.x;
        MemorySegment out = this.out;
        long ldx = this.ldx;
        int rows = this.rows;
        for (int i = 0; i < rows; i++) {
            long xo = (i * ldx + c0) * Float.BYTES;
            long oo = (long) c0 * Float.BYTES;
            int j = 0;
            for (; j + L <= count; j += L, xo += VBYTES, oo += VBYTES) {
                FloatVector acc = i == 0 ? FloatVector.zero(S) : FloatVector.fromMemorySegment(S, out, oo, ORDER);
                acc.add(FloatVector.fromMemorySegment(S, x, xo, ORDER)).intoMemorySegment(out, oo, ORDER);
            }
            for (; j < count; j++, xo += Float.BYTES, oo += Float.BYTES) {
                out.set(F32, oo, (i == 0 ? 0f : out.get(F32, oo)) + x.get(F32, xo));
            }
        }
        if (rows == 0) {
            for (int j = c0; j < c1; j++) {
                out.setAtIndex(Lanes.F32, j, 0f);
            }
        }
    }
}
