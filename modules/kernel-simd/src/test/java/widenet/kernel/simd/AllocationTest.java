package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * After warm-up no kernel call allocates on the Java heap, on the calling thread or on the pool's workers: no boxed
 * vectors (a vector or mask escaping into code the JIT did not inline or intrinsify is boxed: masked tails and
 * short rows were such cases), no per-call tasks, lambdas or buffers.
 *
 * <p>Every {@link Kernels} operation runs on awkward shapes (1, 7, 17, 24, 31, 32, 63, 65, 257 and one above the
 * parallel threshold), every GEMM on every transpose combination and epilogue, with β = 0 and β ≠ 0. Each is
 * measured on its own with {@link com.sun.management.ThreadMXBean} (the caller's and each worker's allocated-bytes
 * counters) and must show 0 bytes over {@link #CALLS} calls. Interpreted and C1-compiled Vector API code boxes every
 * vector, so the operations are repeated until C2 has compiled them; the rounds are bounded by time, so a real
 * failure is reported in {@link #WARM_UP_LIMIT_NANOS} at most.
 */
class AllocationTest {
    /** Sizes around the vector length (8), the microkernel tile (4×16), KC (256), and 1. */
    private static final int[] AWKWARD = {1, 7, 17, 24, 31, 32, 63, 65, 257};
    /** Calls per measurement: one allocation in any of them fails it. */
    private static final int CALLS = 3;
    /**
     * Upper bound on the warm-up: C2 compiles every path within a few seconds on an idle machine; on a loaded one its
     * compiler threads lag. This only bounds the time a real failure takes to report.
     */
    private static final long WARM_UP_LIMIT_NANOS = 60_000_000_000L;

    @Test
    void oneThread() {
        assertNoAllocation(1);
    }

    @Test
    void twoThreads() {
        assertNoAllocation(2);
    }

    private static void assertNoAllocation(int threads) {
        // A width wider than the CPU's is emulated in Java, which boxes every vector: nothing to measure there.
        Assumptions.assumeFalse(Widths.emulated(), "the configured width is emulated on this CPU");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Kernels k = KernelProviders.open("simd", threads);
                TestData data = new TestData(7)) {
            Thread[] workers = ((SimdKernels) k).workerThreads();
            long[] workerIds = new long[workers.length];
            for (int w = 0; w < workers.length; w++) {
                workerIds[w] = workers[w].threadId();
            }
            Map<String, Runnable> ops = new Workload(k, data).ops;
            Map<String, Long> pending = new LinkedHashMap<>();
            for (String name : ops.keySet()) {
                pending.put(name, -1L);
            }
            long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
            int rounds = 0;
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                rounds++;
                // Every operation runs each round (the warm-up of the ones still pending depends on shared code).
                for (Runnable op : ops.values()) {
                    op.run();
                }
                for (Map.Entry<String, Long> e : pending.entrySet()) {
                    e.setValue(allocatedBytes(mx, workerIds, ops.get(e.getKey())));
                }
                pending.values().removeIf(bytes -> bytes == 0L);
            }
            StringBuilder failures = new StringBuilder();
            pending.forEach((name, bytes) -> failures.append("\n  ")
                    .append(name)
                    .append(": ")
                    .append(bytes)
                    .append(" bytes in ")
                    .append(CALLS)
                    .append(" calls"));
            assertTrue(
                    pending.isEmpty(),
                    pending.size() + " of " + ops.size() + " kernel operations still allocate on " + threads
                            + " thread(s) after " + rounds + " warm-up rounds:" + failures);
        }
    }

    /**
     * Bytes allocated by {@link #CALLS} runs of {@code op} on the calling thread and the workers. The workers'
     * counters are read outside the window of the caller's (reading another thread's counter may allocate); workers
     * are idle (spinning or parked, which allocates nothing) between calls.
     */
    private static long allocatedBytes(com.sun.management.ThreadMXBean mx, long[] workerIds, Runnable op) {
        long workersBefore = 0;
        for (long id : workerIds) {
            workersBefore += mx.getThreadAllocatedBytes(id);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            op.run();
        }
        long caller = mx.getCurrentThreadAllocatedBytes() - before;
        long workersAfter = 0;
        for (long id : workerIds) {
            workersAfter += mx.getThreadAllocatedBytes(id);
        }
        return caller + (workersAfter - workersBefore);
    }

    /** Every operation on every shape, each as a named {@link Runnable} made once. */
    private static final class Workload {
        final Map<String, Runnable> ops = new LinkedHashMap<>();
        final TestData data;
        double sink;

        Workload(Kernels k, TestData data) {
            this.data = data;
            gemms(k);
            for (int rows : new int[] {1, 3, 257}) {
                for (int cols : AWKWARD) {
                    matrixOps(k, rows, cols, cols % 2 == 1);
                }
            }
            // Above the parallel threshold with fewer rows than threads: the column split.
            matrixOps(k, 1, 70_001, false);
            for (int n : AWKWARD) {
                vectorOps(k, n);
            }
            vectorOps(k, 70_001);
        }

        private void gemms(Kernels k) {
            List<int[]> shapes = new ArrayList<>();
            // Each awkward size once as M, as N and as K.
            for (int i = 0; i < AWKWARD.length; i++) {
                shapes.add(
                        new int[] {AWKWARD[i], AWKWARD[(i + 3) % AWKWARD.length], AWKWARD[(i + 6) % AWKWARD.length]});
            }
            // Above the parallel threshold, cut along M and along N, with two KC blocks.
            shapes.add(new int[] {257, 65, 257});
            shapes.add(new int[] {65, 257, 257});
            for (int[] s : shapes) {
                int m = s[0], n = s[1], kk = s[2];
                FloatMatrix a = data.matrix(m, kk, false), aT = data.matrix(kk, m, true);
                FloatMatrix b = data.matrix(kk, n, true), bT = data.matrix(n, kk, false);
                FloatMatrix c = data.matrix(m, n, n % 2 == 0);
                FloatMatrix d = data.matrix(m, n, false);
                Map<String, Epilogue> epilogues = new LinkedHashMap<>();
                epilogues.put("none", Epilogue.NONE);
                epilogues.put("relu+mask", Epilogue.relu(d, false));
                epilogues.put("relu(0)=1", Epilogue.relu(null, true));
                epilogues.put("leaky+derivative", Epilogue.activation(Activation.leakyRelu(0.1f, true), d));
                epilogues.put("smooth+derivative", Epilogue.activation(Activation.smoothLeakyRelu(0.1f, 4f), d));
                epilogues.put("identity", Epilogue.activation(Activation.identity(), null));
                for (Op opA : Op.values()) {
                    for (Op opB : Op.values()) {
                        FloatMatrix left = opA == Op.N ? a : aT;
                        FloatMatrix right = opB == Op.N ? b : bT;
                        for (Map.Entry<String, Epilogue> e : epilogues.entrySet()) {
                            Epilogue epilogue = e.getValue();
                            for (float beta : new float[] {0f, 0.5f}) {
                                // α small enough that repeated β = 0.5 updates keep C bounded.
                                ops.put(
                                        "gemm " + opA + opB + " " + m + "×" + n + "×" + kk + " β=" + beta + " "
                                                + e.getKey(),
                                        () -> k.gemm(opA, opB, 0.01f, left, right, beta, c, epilogue));
                            }
                        }
                    }
                }
            }
        }

        private void matrixOps(Kernels k, int rows, int cols, boolean strided) {
            String shape = " " + rows + "×" + cols + (strided ? " strided" : "");
            FloatMatrix x = data.matrix(rows, cols, strided);
            FloatMatrix y = data.matrix(rows, cols, false);
            FloatMatrix out = data.matrix(rows, cols, strided);
            FloatMatrix d = data.matrix(rows, cols, false);
            FloatVec rowVec = FloatVec.allocate(rows);
            FloatVec colVec = FloatVec.allocate(cols);
            rowVec.fill(0.5f);
            colVec.fill(0.25f);
            Activation relu = Activation.relu(false);
            Activation reluAtZero = Activation.relu(true);
            Activation leaky = Activation.leakyRelu(0.1f, false);
            Activation smooth = Activation.smoothLeakyRelu(0.2f, 2f);
            Activation identity = Activation.identity();
            ops.put("activate relu+derivative" + shape, () -> k.activate(relu, x, out, d));
            ops.put("activate relu(0)=1+derivative in place" + shape, () -> k.activate(reluAtZero, out, out, d));
            ops.put("activate relu" + shape, () -> k.activate(relu, x, out, null));
            ops.put("activate leaky+derivative" + shape, () -> k.activate(leaky, x, out, d));
            ops.put("activate smooth+derivative" + shape, () -> k.activate(smooth, x, out, d));
            ops.put("activate identity+derivative" + shape, () -> k.activate(identity, x, out, d));
            ops.put("scaleOuterMasked" + shape, () -> k.scaleOuterMasked(0.5f, rowVec, colVec, d, out));
            ops.put("hadamard" + shape, () -> k.hadamard(x, y, out));
            ops.put("axpy" + shape, () -> k.axpy(0.1f, x, out));
            ops.put("scale" + shape, () -> k.scale(0.99f, out));
            ops.put("copy" + shape, () -> k.copy(x, out));
            ops.put("addToRows" + shape, () -> k.addToRows(colVec, out));
            ops.put("sumOfSquares" + shape, () -> sink += k.sumOfSquares(x));
            ops.put("sumOfSquaredDifferences" + shape, () -> sink += k.sumOfSquaredDifferences(x, y));
            ops.put("rowSumsOfSquaredDifferences" + shape, () -> k.rowSumsOfSquaredDifferences(x, y, rowVec));
            ops.put("columnSums" + shape, () -> k.columnSums(x, colVec));
            ops.put("countDifferent" + shape, () -> sink += k.countDifferent(x, y));
            FloatVec xCols = FloatVec.allocate(cols);
            FloatVec xRows = FloatVec.allocate(rows);
            xCols.fill(0.5f);
            xRows.fill(0.5f);
            FloatVec yRows = FloatVec.allocate(rows);
            FloatVec yCols = FloatVec.allocate(cols);
            ops.put("gemv N β=0" + shape, () -> k.gemv(Op.N, 1f, x, xCols, 0f, yRows));
            ops.put("gemv N β=0.5" + shape, () -> k.gemv(Op.N, 1f, x, xCols, 0.5f, yRows));
            ops.put("gemv T β=0" + shape, () -> k.gemv(Op.T, 1f, x, xRows, 0f, yCols));
            ops.put("gemv T β=0.5" + shape, () -> k.gemv(Op.T, 1f, x, xRows, 0.5f, yCols));
        }

        private void vectorOps(Kernels k, int n) {
            FloatVec x = FloatVec.allocate(n);
            FloatVec y = FloatVec.allocate(n);
            for (int i = 0; i < n; i++) {
                x.set(i, 2 * data.random.nextFloat() - 1);
                y.set(i, 2 * data.random.nextFloat() - 1);
            }
            ops.put("dot " + n, () -> sink += k.dot(x, y));
            ops.put("axpy vector " + n, () -> k.axpy(0.1f, x, y));
        }
    }
}
