package widenet.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.SplittableRandom;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * Where a full-batch GD step of the two-layer network spends its time: a profiling harness, not a benchmark of
 * record (that is {@link GdStepBenchmark}). Each round times, on the same data,
 * <ol>
 *   <li>the kernel calls of {@code TwoLayerNetwork.forward/backward} and the trainer's update one by one (forward
 *       NT GEMM with the fused ReLU + mask epilogue, u = Ha/√m, residual and loss, G = r aᵀ ⊙ S, ∇W = GᵀX,
 *       W −= η∇W);</li>
 *   <li>{@code Trainer.step()} as a whole (the phases' sum plus call overhead);</li>
 *   <li>when {@code libopenblas.so.0} is installed, OpenBLAS's {@code cblas_sgemm} on the two GEMMs and
 *       {@code cblas_saxpy} on the update, in the same process through the FFM API (the C program's GEMMs, without
 *       its single-threaded elementwise pass, which {@code gd_step --phases} times).</li>
 * </ol>
 * Phases alternate with pauses (OpenBLAS's idle threads spin after a call and would take the cores from widenet's
 * workers), and medians over rounds are printed with the ratio, so that a loaded machine still gives usable ratios.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * widenet.bench.GdStepPhases [--threads T] [--rounds R] [n d m]} (defaults 1, 7, 1000 1000 4000).
 */
public final class GdStepPhases {
    private static final String[] PHASES = {
        "forward NT GEMM + ReLU/mask epilogue",
        "u = Ha/√m (gemv)",
        "residual r = u − y, loss",
        "G = (r aᵀ ⊙ S)/√m",
        "backward TN GEMM ∇W = GᵀX",
        "update W −= η∇W"
    };
    private static final float ETA = 0.1f;

    private GdStepPhases() {}

    public static void main(String[] args) throws Throwable {
        int threads = 1;
        int rounds = 7;
        int[] size = {1000, 1000, 4000};
        int given = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    if (given == 3) {
                        System.err.println("usage: GdStepPhases [--threads T] [--rounds R] [n d m]");
                        System.exit(2);
                    }
                    size[given++] = Integer.parseInt(args[i]);
                }
            }
        }
        int n = size[0], d = size[1], m = size[2];
        OpenBlas blas = OpenBlas.load(threads);
        try (Kernels k = KernelProviders.open("simd", threads)) {
            SplittableRandom rng = new SplittableRandom(20190101L);
            Dataset data = Dataset.unitSphere(n, d, rng);
            TwoLayerNetwork network =
                    new TwoLayerNetwork(k, new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, true), rng);
            Trainer trainer = new Trainer(k, network, data, new TrainSettings(ETA, 0, n, 1, 0));
            FloatMatrix x = data.x();
            FloatMatrix y = data.y();
            FloatMatrix w = FloatMatrix.allocate(m, d);
            FloatMatrix w0 = FloatMatrix.allocate(m, d);
            w0.copyFrom(network.weights());
            FloatMatrix h = FloatMatrix.allocate(n, m);
            FloatMatrix s = FloatMatrix.allocate(n, m);
            FloatMatrix gradW = FloatMatrix.allocate(m, d);
            FloatVec a = FloatVec.allocate(m);
            for (int r = 0; r < m; r++) {
                a.set(r, (r & 1) == 0 ? 1f : -1f);
            }
            FloatVec u = FloatVec.allocate(n);
            FloatVec res = FloatVec.allocate(n);
            FloatMatrix uCol = u.asColumn();
            FloatMatrix resCol = res.asColumn();
            float invSqrtM = (float) (1.0 / Math.sqrt(m));
            Epilogue relu = Epilogue.relu(s, true);

            System.out.printf(
                    "GD step n=%d d=%d m=%d, %s; OpenBLAS %s%n",
                    n, d, m, k.description(), blas == null ? "not found" : blas.threads + " thread(s), in-process");
            System.out.printf("load average %s%n", loadAverage());
            int phases = PHASES.length;
            double[][] ours = new double[phases + 2][rounds];
            double[][] theirs = new double[3][rounds];
            long[] t = new long[phases + 1];
            for (int round = -2; round < rounds; round++) {
                // widenet, phase by phase: the best of three steps per phase (each from W(0)).
                double[] best = new double[phases + 2];
                Arrays.fill(best, Double.MAX_VALUE);
                for (int rep = 0; rep < 3; rep++) {
                    w.copyFrom(w0);
                    t[0] = System.nanoTime();
                    k.gemm(Op.N, Op.T, 1f, x, w, 0f, h, relu);
                    t[1] = System.nanoTime();
                    k.gemv(Op.N, invSqrtM, h, a, 0f, u);
                    t[2] = System.nanoTime();
                    k.copy(uCol, resCol);
                    k.axpy(-1f, y, resCol);
                    double loss = 0.5 * k.sumOfSquares(resCol);
                    t[3] = System.nanoTime();
                    k.scaleOuterMasked(invSqrtM, res, a, s, h);
                    t[4] = System.nanoTime();
                    k.gemm(Op.T, Op.N, 1f, h, x, 0f, gradW);
                    t[5] = System.nanoTime();
                    k.axpy(-ETA, gradW, w);
                    t[6] = System.nanoTime();
                    for (int p = 0; p < phases; p++) {
                        best[p] = Math.min(best[p], (t[p + 1] - t[p]) / 1e6);
                    }
                    best[phases] = Math.min(best[phases], (t[phases] - t[0]) / 1e6);
                    network.weights().copyFrom(w0);
                    long s0 = System.nanoTime();
                    double stepLoss = trainer.step();
                    best[phases + 1] = Math.min(best[phases + 1], (System.nanoTime() - s0) / 1e6);
                    if (!Double.isFinite(loss) || !Double.isFinite(stepLoss)) {
                        throw new IllegalStateException("non-finite loss");
                    }
                }
                if (blas != null) {
                    pause();
                    double[] bestBlas = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
                    for (int rep = 0; rep < 3; rep++) {
                        long b0 = System.nanoTime();
                        blas.sgemm(false, true, n, m, d, x, w, h);
                        long b1 = System.nanoTime();
                        blas.sgemm(true, false, m, d, n, h, x, gradW);
                        long b2 = System.nanoTime();
                        blas.saxpy(m * d, -ETA, gradW, w);
                        long b3 = System.nanoTime();
                        bestBlas[0] = Math.min(bestBlas[0], (b1 - b0) / 1e6);
                        bestBlas[1] = Math.min(bestBlas[1], (b2 - b1) / 1e6);
                        bestBlas[2] = Math.min(bestBlas[2], (b3 - b2) / 1e6);
                    }
                    pause();
                    if (round >= 0) {
                        for (int i = 0; i < 3; i++) {
                            theirs[i][round] = bestBlas[i];
                        }
                    }
                }
                if (round >= 0) {
                    for (int p = 0; p < phases + 2; p++) {
                        ours[p][round] = best[p];
                    }
                }
            }
            System.out.printf("median over %d rounds of the best of 3 steps, ms:%n", rounds);
            System.out.printf("  %-40s %9s %9s %7s%n", "phase", "widenet", "OpenBLAS", "ratio");
            int[] blasOf = {0, -1, -1, -1, 1, 2};
            for (int p = 0; p < phases; p++) {
                double mine = median(ours[p]);
                if (blas != null && blasOf[p] >= 0) {
                    double other = median(theirs[blasOf[p]]);
                    System.out.printf("  %-40s %9.2f %9.2f %6.2f×%n", PHASES[p], mine, other, mine / other);
                } else {
                    System.out.printf("  %-40s %9.2f %9s %7s%n", PHASES[p], mine, "", "");
                }
            }
            System.out.printf("  %-40s %9.2f%n", "sum of the phases", median(ours[phases]));
            System.out.printf("  %-40s %9.2f%n", "Trainer.step()", median(ours[phases + 1]));
            System.out.printf("  (ratio = widenet time / OpenBLAS time; < 1: widenet faster. OpenBLAS has no epilogue: "
                    + "the C step does ReLU, mask and G in one single-threaded pass, see gd_step --phases)%n");
            System.out.printf(
                    "heap allocation of Trainer.step() after warm-up (caller and workers): %d bytes in 10 steps%n",
                    stepAllocation(k, trainer));
            System.out.printf("load average %s%n", loadAverage());
        }
    }

    /**
     * Bytes allocated on the Java heap by 10 {@link Trainer#step()} calls, on the calling thread and the kernel pool's
     * workers (found by name): exact, unlike JMH's {@code -prof gc} B/op, which divides the harness's own
     * per-iteration allocation by the few steps of an iteration.
     */
    private static long stepAllocation(Kernels k, Trainer trainer) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] workers = Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith("widenet-simd-worker-"))
                .mapToLong(Thread::threadId)
                .toArray();
        long before = 0;
        for (long id : workers) {
            before += mx.getThreadAllocatedBytes(id);
        }
        long callerBefore = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) {
            trainer.step();
        }
        long caller = mx.getCurrentThreadAllocatedBytes() - callerBefore;
        long after = 0;
        for (long id : workers) {
            after += mx.getThreadAllocatedBytes(id);
        }
        return caller + after - before;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Lets OpenBLAS's spinning threads go to sleep between phases. */
    private static void pause() throws InterruptedException {
        Thread.sleep(300);
    }

    /** cblas_sgemm and cblas_saxpy through the FFM API, with OpenBLAS's thread count pinned. */
    private static final class OpenBlas {
        final int threads;
        private final MethodHandle sgemm;
        private final MethodHandle saxpy;

        private OpenBlas(int threads, MethodHandle sgemm, MethodHandle saxpy) {
            this.threads = threads;
            this.sgemm = sgemm;
            this.saxpy = saxpy;
        }

        // Restricted FFM calls are the point here: OpenBLAS is the yardstick (run it with --enable-native-access).
        @SuppressWarnings("restricted")
        static OpenBlas load(int threads) throws Throwable {
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
            } catch (IllegalArgumentException e) {
                return null;
            }
            Linker linker = Linker.nativeLinker();
            ValueLayout i = ValueLayout.JAVA_INT;
            ValueLayout f = ValueLayout.JAVA_FLOAT;
            ValueLayout p = ValueLayout.ADDRESS;
            MethodHandle setThreads = linker.downcallHandle(
                    lib.find("openblas_set_num_threads").orElseThrow(), FunctionDescriptor.ofVoid(i));
            setThreads.invokeExact(threads);
            return new OpenBlas(
                    threads,
                    linker.downcallHandle(
                            lib.find("cblas_sgemm").orElseThrow(),
                            FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i)),
                    linker.downcallHandle(
                            lib.find("cblas_saxpy").orElseThrow(), FunctionDescriptor.ofVoid(i, f, p, i, p, i)));
        }

        /** C = op(A)·op(B), row-major. */
        void sgemm(boolean transA, boolean transB, int m, int n, int k, FloatMatrix a, FloatMatrix b, FloatMatrix c)
                throws Throwable {
            sgemm.invokeExact(
                    101,
                    transA ? 112 : 111,
                    transB ? 112 : 111,
                    m,
                    n,
                    k,
                    1f,
                    a.segment(),
                    a.stride(),
                    b.segment(),
                    b.stride(),
                    0f,
                    c.segment(),
                    c.stride());
        }

        void saxpy(int n, float alpha, FloatMatrix x, FloatMatrix y) throws Throwable {
            saxpy.invokeExact(n, alpha, x.segment(), 1, y.segment(), 1);
        }
    }
}
