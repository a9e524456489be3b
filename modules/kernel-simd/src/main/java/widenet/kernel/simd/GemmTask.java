package widenet.kernel.simd;

import static widenet.kernel.simd.GemmBlocking.MR;
import static widenet.kernel.simd.GemmBlocking.NR;

import java.lang.foreign.MemorySegment;
import widenet.kernel.Epilogue;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * A GEMM call spread over the worker pool. C is cut into one block per thread, along M in whole MR-row panels or
 * along N in whole NR-column panels (whichever is larger, so the operand every thread packs in full is the smaller
 * one); each thread runs the whole Goto loop nest on its block with its own {@link GemmWorkspace}, so threads never
 * wait for each other. The K summation order does not depend on the cut, so every thread count gives the same bits.
 */
final class GemmTask implements ParallelTask {
    /**
     * Below this many multiply-adds (≈ 25 µs of one core's work) a GEMM runs on the calling thread alone: waking a
     * parked worker takes tens of microseconds.
     */
    private static final long PARALLEL_MIN_FMAS = 128L * 128 * 128;

    private final WorkerPool pool;
    private final GemmWorkspace[] workspaces;
    final GemmTileStore store = new GemmTileStore();

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
    int prepare(Op opA, Op opB, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c, Epilogue epilogue) {
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
        splitRows = rowPanels * MR >= colPanels * NR;
        return (long) m * n * k < PARALLEL_MIN_FMAS ? 1 : Math.min(pool.threads(), splitRows ? rowPanels : colPanels);
    }

    @Override
    public void run(int worker, int workers) {
        GemmWorkspace ws = workspaces[worker];
        if (ws == null) {
            ws = new GemmWorkspace();
            workspaces[worker] = ws;
        }
        if (splitRows) {
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
    private static int share(int units, int w, int workers) {
        return (int) ((long) units * w / workers);
    }
}
