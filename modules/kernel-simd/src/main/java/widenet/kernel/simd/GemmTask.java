package widenet.kernel.simd;

import static widenet.kernel.simd.GemmBlocking.MR;
import static widenet.kernel.simd.GemmBlocking.NR;

import java.lang.foreign.MemorySegment;
import widenet.kernel.Epilogue;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * A GEMM call spread over the worker pool, cut as the kernel configuration's {@link KernelConfig.Split} says:
 * <ul>
 *   <li>{@code rows-shared-b}: M in whole MR-row panels, one range per thread, and each KC×NC block of op(B) packed
 *       once by all threads together into one shared buffer ({@link GemmWorkspace#computeShared}); used whenever
 *       there are at least as many row panels as threads, the column split otherwise;</li>
 *   <li>{@code larger-dimension}: one block per thread along M (MR-row panels) or N (NR-column panels), whichever is
 *       larger; each thread packs its own operands and never waits for another, but the operand every thread needs
 *       in full is packed once per thread.</li>
 * </ul>
 * The K summation order does not depend on the cut, so every thread count and every split gives the same bits.
 */
final class GemmTask implements ParallelTask {
    /**
     * Below this many multiply-adds (≈ 25 µs of one core's work) a GEMM runs on the calling thread alone: waking a
     * parked worker takes tens of microseconds.
     */
    private static final long PARALLEL_MIN_FMAS = 128L * 128 * 128;

    private final WorkerPool pool;
    private static final boolean SHARED_B = SimdConfiguration.config().split() == KernelConfig.Split.ROWS_SHARED_B;

    private final GemmWorkspace[] workspaces;
    final GemmTileStore store = new GemmTileStore();
    final SpinBarrier barrier = new SpinBarrier();
    /** The packed op(B) block the threads share in the rows-shared-b split; made on the first such call. */
    float[] sharedB;

    // The current call, set by gemm() before dispatch and read by the workers.
    boolean transA;
    boolean transB;
    MemorySegment a;
    long lda;
    MemorySegment b;
    long ldb;
    int m;
    int n;
    int k;
    private boolean splitRows;
    /** This call runs the rows-shared-b split (more than one thread, rows cut, B shared). */
    private boolean shared;

    GemmTask(WorkerPool pool) {
        this.pool = pool;
        this.workspaces = new GemmWorkspace[pool.threads()];
    }

    /** C = epilogue(α·op(A)·op(B) + β·C); shapes already checked. */
    void gemm(Op opA, Op opB, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c, Epilogue epilogue) {
        int active = prepare(opA, opB, alpha, a, b, beta, c, epilogue);
        if (active == 0) {
            return;
        }
        try {
            pool.run(this, active);
        } finally {
            this.a = null;
            this.b = null;
            store.clear();
        }
    }

    /** Sets the call's fields; returns how many threads should run it (0: nothing to do). */
    int prepare(
            Op opA, Op opB, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c, Epilogue epilogue) {
        m = c.rows();
        n = c.cols();
        k = opA.cols(a);
        if (m == 0 || n == 0) {
            return 0;
        }
        transA = opA == Op.T;
        transB = opB == Op.T;
        this.a = a.segment();
        this.lda = a.stride();
        this.b = b.segment();
        this.ldb = b.stride();
        store.set(alpha, beta, c, epilogue);
        int rowPanels = (m + MR - 1) / MR;
        int colPanels = (n + NR - 1) / NR;
        int threads = pool.threads();
        splitRows = SHARED_B ? rowPanels >= threads : rowPanels * MR >= colPanels * NR;
        int active = (long) m * n * k < PARALLEL_MIN_FMAS ? 1 : Math.min(threads, splitRows ? rowPanels : colPanels);
        shared = SHARED_B && splitRows && active > 1;
        if (shared) {
            if (sharedB == null) {
                sharedB = new float[GemmBlocking.KC * GemmBlocking.NC];
            }
            barrier.reset(active);
        }
        return active;
    }

    @Override
    public void run(int worker, int workers) {
        GemmWorkspace ws = workspaces[worker];
        if (ws == null) {
            ws = new GemmWorkspace();
            workspaces[worker] = ws;
        }
        if (shared) {
            int panels = (m + MR - 1) / MR;
            int m0 = Math.min(m, share(panels, worker, workers) * MR);
            int m1 = Math.min(m, share(panels, worker + 1, workers) * MR);
            try {
                ws.computeShared(this, worker, workers, m0, m1);
            } catch (Throwable e) {
                barrier.breakBarrier();
                throw e;
            }
        } else if (splitRows) {
            int panels = (m + MR - 1) / MR;
            int m0 = Math.min(m, share(panels, worker, workers) * MR);
            int m1 = Math.min(m, share(panels, worker + 1, workers) * MR);
            if (m0 < m1) {
                ws.compute(this, m0, m1, 0, n);
            }
        } else {
            int panels = (n + NR - 1) / NR;
            int n0 = Math.min(n, share(panels, worker, workers) * NR);
            int n1 = Math.min(n, share(panels, worker + 1, workers) * NR);
            if (n0 < n1) {
                ws.compute(this, 0, m, n0, n1);
            }
        }
    }

    /** Start of share {@code w} of {@code units} split as evenly as possible over {@code workers}. */
    static int share(int units, int w, int workers) {
        return (int) ((long) units * w / workers);
    }
}
