package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * After warm-up no kernel call allocates on the calling thread's heap: no boxed vectors (a vector escaping into a
 * method the JIT did not inline would be boxed), no per-call tasks, lambdas or buffers. Measured with
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()} around many calls; workers run the same
 * code as the caller's share, so the caller's count covers the code paths.
 */
class AllocationTest {
    /** Slack for the measurement itself and rare JVM-internal allocations; far below one allocation per call. */
    private static final long ALLOWED_BYTES = 512;
    /**
     * Upper bound on the extra warm-up rounds: C2 compiles everything within a few of them on an idle machine; on a
     * busy one its compiler threads may lag. This only bounds the time a real failure takes to report.
     */
    private static final long WARM_UP_LIMIT_NANOS = 40_000_000_000L;

    @Test
    void oneThread() {
        assertNoAllocation(1);
    }

    @Test
    void twoThreads() {
        assertNoAllocation(2);
    }

    private static void assertNoAllocation(int threads) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Kernels k = KernelProviders.open("simd", threads); TestData data = new TestData(7)) {
            Workload w = new Workload(data);
            // Warm up until the JIT has compiled every path with C2 (interpreted and C1-compiled Vector API code boxes
            // every vector). The JIT's own allocations happen on its threads and are not counted here. A path that
            // keeps allocating once compiled fails after the last round.
            long allocated = Long.MAX_VALUE;
            int calls = 0;
            // C2 compiles a method after ~5000 calls or 40000 loop iterations: every operand here is long enough
            // that its loops get there within this many runs.
            for (int i = 0; i < 500; i++) {
                w.runCheap(k);
                if (i % 10 == 0) {
                    w.run(k);
                }
            }
            long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
            while (allocated > ALLOWED_BYTES && System.nanoTime() < deadline) {
                for (int i = 0; i < 20; i++) {
                    w.run(k);
                }
                long before = bean.getCurrentThreadAllocatedBytes();
                calls = 0;
                for (int i = 0; i < 20; i++) {
                    calls += w.run(k);
                }
                allocated = bean.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(allocated <= ALLOWED_BYTES, allocated + " bytes allocated by " + calls + " kernel calls on "
                    + threads + " thread(s) after warm-up");
        }
    }

    /** Every kernel, with sizes above the parallel thresholds, and every GEMM transpose and epilogue kind. */
    private static final class Workload {
        final FloatMatrix a = mat(300, 40);
        final FloatMatrix aT = mat(40, 300);
        final FloatMatrix b = mat(40, 260);
        final FloatMatrix bT = mat(260, 40);
        final FloatMatrix c = mat(300, 260);
        final FloatMatrix c2 = mat(300, 260);
        final FloatMatrix d = mat(300, 260);
        final FloatVec rowVec = FloatVec.allocate(300);
        final FloatVec colVec = FloatVec.allocate(260);
        final FloatVec x = FloatVec.allocate(40);
        final FloatVec longVec = FloatVec.allocate(4096);
        final FloatMatrix small = mat(40, 260);
        final Epilogue relu = Epilogue.relu(d, true);
        final Epilogue leaky = Epilogue.activation(Activation.leakyRelu(0.1f, false), d);
        final Epilogue smooth = Epilogue.activation(Activation.smoothLeakyRelu(0.1f, 4f), d);
        final Epilogue identity = Epilogue.activation(Activation.identity(), null);
        final Activation reluAct = Activation.relu(false);
        final Activation smoothAct = Activation.smoothLeakyRelu(0.2f, 2f);
        double sink;

        Workload(TestData data) {
            for (FloatMatrix m : new FloatMatrix[] {a, aT, b, bT, c, c2, d, small}) {
                fillFrom(data, m);
            }
        }

        private static FloatMatrix mat(int r, int c) {
            return FloatMatrix.allocate(r, c);
        }

        private static void fillFrom(TestData data, FloatMatrix m) {
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    m.set(i, j, 2 * data.random.nextFloat() - 1);
                }
            }
        }

        int run(Kernels k) {
            k.gemm(Op.N, Op.N, 0.01f, a, b, 0f, c, Epilogue.NONE);
            k.gemm(Op.N, Op.T, 0.01f, a, bT, 0.5f, c, relu);
            k.gemm(Op.T, Op.N, 0.01f, aT, b, 0f, c, leaky);
            k.gemm(Op.T, Op.T, 0.01f, aT, bT, 0f, c, smooth);
            k.gemm(Op.N, Op.N, 0.01f, a, b, 1f, c, identity);
            return 5 + runCheap(k);
        }

        /** Everything but the GEMMs. */
        int runCheap(Kernels k) {
            k.gemv(Op.N, 1f, a, x, 0f, rowVec);
            k.gemv(Op.T, 1f, b, x, 0.5f, colVec);
            k.activate(reluAct, c, c2, d);
            k.activate(smoothAct, small, small, null);
            k.scaleOuterMasked(0.5f, rowVec, colVec, d, c2);
            k.hadamard(c, d, c2);
            k.axpy(0.1f, c, c2);
            k.axpy(0.1f, colVec, colVec);
            k.scale(0.99f, c2);
            k.copy(c2, c);
            k.addToRows(colVec, c);
            sink += k.dot(longVec, longVec);
            sink += k.sumOfSquares(c);
            sink += k.sumOfSquaredDifferences(c, c2);
            k.rowSumsOfSquaredDifferences(c, c2, rowVec);
            k.rowSumsOfSquares(c, rowVec);
            k.columnSums(c, colVec);
            sink += k.countDifferent(c, c2);
            return 18;
        }
    }
}
