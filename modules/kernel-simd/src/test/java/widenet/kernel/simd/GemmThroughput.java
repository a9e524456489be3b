package widenet.kernel.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Random;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/**
 * A throwaway timing harness for tuning, not a test: prints GEMM GFLOP/s (best of several runs) for the shapes the
 * performance targets name. Run with {@code bin/simd-gemm-throughput [threads...]}. Timings on a shared machine are
 * noisy: compare ratios from one run. When OpenBLAS is installed (libopenblas.so.0), each shape is also timed with
 * cblas_sgemm through the FFM API in the same process, alternating with ours, and the ratio is printed.
 */
public final class GemmThroughput {
    private static MethodHandle sgemm;
    private static MethodHandle setThreads;

    private GemmThroughput() {}

    // Restricted FFM calls are the point here: OpenBLAS is the yardstick (surefire runs with --enable-native-access).
    @SuppressWarnings("restricted")
    private static void loadOpenBlas() {
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
            Linker linker = Linker.nativeLinker();
            ValueLayout I = ValueLayout.JAVA_INT;
            ValueLayout F = ValueLayout.JAVA_FLOAT;
            ValueLayout P = ValueLayout.ADDRESS;
            sgemm = linker.downcallHandle(
                    lib.find("cblas_sgemm").orElseThrow(),
                    FunctionDescriptor.ofVoid(I, I, I, I, I, I, F, P, I, P, I, F, P, I));
            setThreads = linker.downcallHandle(
                    lib.find("openblas_set_num_threads").orElseThrow(), FunctionDescriptor.ofVoid(I));
        } catch (RuntimeException e) {
            System.out.println("(OpenBLAS not found: " + e.getMessage() + ")");
        }
    }

    private static void openBlas(Op opA, Op opB, int m, int n, int k, FloatMatrix a, FloatMatrix b, FloatMatrix c) {
        try {
            sgemm.invokeExact(
                    101,
                    opA == Op.N ? 111 : 112,
                    opB == Op.N ? 111 : 112,
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
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("interleaved")) {
            interleaved();
            return;
        }
        if (args.length > 0 && args[0].equals("scaling")) {
            scaling(args.length > 1 ? Integer.parseInt(args[1]) : 1024);
            return;
        }
        int[] threadCounts = args.length == 0
                ? new int[] {1, 2}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Object[][] all = {
            {"512^3 NN", Op.N, Op.N, 512, 512, 512},
            {"1024^3 NN", Op.N, Op.N, 1024, 1024, 1024},
            {"NT 1000x4000x1000", Op.N, Op.T, 1000, 4000, 1000},
            {"TN 4000x1000x1000", Op.T, Op.N, 4000, 1000, 1000},
            {"NT+relu 1000x4000x1000", Op.N, Op.T, 1000, 4000, 1000},
            {"NT+relu-nomask 1000x4000x1000", Op.N, Op.T, 1000, 4000, 1000},
            {"NT+identity-nomask 1000x4000x1000", Op.N, Op.T, 1000, 4000, 1000},
            {"NT+smooth 1000x4000x1000", Op.N, Op.T, 1000, 4000, 1000},
            {"narrow NN 4096x256x64", Op.N, Op.N, 4096, 256, 64},
            {"narrow NT 4096x256x64", Op.N, Op.T, 4096, 256, 64},
            {"narrow TN 4096x256x64", Op.T, Op.N, 4096, 256, 64},
            {"narrow TN 256x64x4096", Op.T, Op.N, 256, 64, 4096},
        };
        String only = System.getProperty("shapes");
        Object[][] shapes = only == null
                ? all
                : java.util.Arrays.stream(all)
                        .filter(s -> java.util.Arrays.asList(only.split(",")).contains(((String) s[0]).split(" ")[0]))
                        .toArray(Object[][]::new);
        loadOpenBlas();
        for (int threads : threadCounts) {
            if (setThreads != null) {
                try {
                    setThreads.invokeExact(threads);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
            try (Kernels k = KernelProviders.open("simd", threads)) {
                System.out.println(k.description());
                for (Op opA : Op.values()) {
                    for (Op opB : Op.values()) {
                        run(k, null, opA, opB, 256, 256, 256); // warm-up: C2-compile every path first
                    }
                }
                for (Object[] s : shapes) {
                    run(k, (String) s[0], (Op) s[1], (Op) s[2], (int) s[3], (int) s[4], (int) s[5]);
                }
            }
        }
    }

    private static void run(Kernels k, String name, Op opA, Op opB, int m, int n, int kk) {
        try (FloatMatrix mask = FloatMatrix.allocate(m, n)) {
            Epilogue e = name == null
                    ? Epilogue.NONE
                    : name.contains("+relu-nomask")
                            ? Epilogue.relu(null, true)
                            : name.contains("+identity-nomask")
                                    ? Epilogue.activation(widenet.kernel.Activation.identity(), null)
                                    : name.contains("+relu")
                                            ? Epilogue.relu(mask, true)
                                            : name.contains("+smooth")
                                                    ? Epilogue.activation(
                                                            widenet.kernel.Activation.smoothLeakyRelu(0.1f, 4f), mask)
                                                    : Epilogue.NONE;
            run(k, name, opA, opB, m, n, kk, e);
        }
    }

    private static void run(Kernels k, String name, Op opA, Op opB, int m, int n, int kk, Epilogue epilogue) {
        Random rnd = new Random(1);
        try (FloatMatrix a = opA == Op.N ? FloatMatrix.allocate(m, kk) : FloatMatrix.allocate(kk, m);
                FloatMatrix b = opB == Op.N ? FloatMatrix.allocate(kk, n) : FloatMatrix.allocate(n, kk);
                FloatMatrix c = FloatMatrix.allocate(m, n)) {
            fill(a, rnd);
            fill(b, rnd);
            double flops = 2.0 * m * n * kk;
            int reps = (int) Math.max(2, Math.min(200, 1.5e9 / flops));
            double ours = 0;
            double theirs = 0;
            // Phases rather than call-by-call alternation: OpenBLAS's idle threads spin for a while after each call
            // and would steal the cores from our workers (and ours, briefly, from its). Two phases each, with pauses.
            for (int phase = 0; phase < 2; phase++) {
                for (int round = 0; round < 4; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < reps; i++) {
                        k.gemm(opA, opB, 1f, a, b, 0f, c, epilogue);
                    }
                    ours = Math.max(ours, flops * reps / (System.nanoTime() - t0));
                }
                if (sgemm != null) {
                    pause();
                    for (int round = 0; round < 4; round++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            openBlas(opA, opB, m, n, kk, a, b, c);
                        }
                        theirs = Math.max(theirs, flops * reps / (System.nanoTime() - t0));
                    }
                    pause();
                }
            }
            if (name == null) {
                return;
            }
            System.out.printf(
                    "  %-34s simd %6.1f GFLOP/s   OpenBLAS %6.1f   ratio %.2f%s%n",
                    name,
                    ours,
                    theirs,
                    theirs == 0 ? Double.NaN : ours / theirs,
                    epilogue.isNone() ? "" : "  (OpenBLAS: same GEMM, no epilogue)");
        }
    }

    /**
     * One thread, ours and OpenBLAS call by call for 40 rounds per shape, for a busy machine: both see the same
     * background load on average, so the median of the per-round ratios is meaningful even when absolute numbers are
     * not. (Only one thread: OpenBLAS's spinning idle threads would distort call-by-call alternation.)
     */
    private static void interleaved() {
        loadOpenBlas();
        try {
            setThreads.invokeExact(1);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        Object[][] shapes = {
            {"512^3 NN", Op.N, Op.N, 512, 512, 512},
            {"1024^3 NN", Op.N, Op.N, 1024, 1024, 1024},
            {"NT 1000x4000x1000", Op.N, Op.T, 1000, 4000, 1000},
            {"TN 4000x1000x1000", Op.T, Op.N, 4000, 1000, 1000},
            {"narrow NN 4096x256x64", Op.N, Op.N, 4096, 256, 64},
            {"narrow NT 4096x256x64", Op.N, Op.T, 4096, 256, 64},
            {"narrow TN 4096x256x64", Op.T, Op.N, 4096, 256, 64}
        };
        try (Kernels k = KernelProviders.open("simd", 1)) {
            for (Object[] sh : shapes) {
                Op opA = (Op) sh[1], opB = (Op) sh[2];
                int m = (int) sh[3], n = (int) sh[4], kk = (int) sh[5];
                try (FloatMatrix a = opA == Op.N ? FloatMatrix.allocate(m, kk) : FloatMatrix.allocate(kk, m);
                        FloatMatrix b = opB == Op.N ? FloatMatrix.allocate(kk, n) : FloatMatrix.allocate(n, kk);
                        FloatMatrix c = FloatMatrix.allocate(m, n)) {
                    fill(a, new Random(1));
                    fill(b, new Random(2));
                    double flops = 2.0 * m * n * kk;
                    int reps = (int) Math.max(1, 2e8 / flops);
                    double[] ratios = new double[40];
                    double bestOurs = 0, bestTheirs = 0;
                    for (int round = -5; round < ratios.length; round++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            k.gemm(opA, opB, 1f, a, b, 0f, c, Epilogue.NONE);
                        }
                        long t1 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            openBlas(opA, opB, m, n, kk, a, b, c);
                        }
                        long t2 = System.nanoTime();
                        if (round >= 0) {
                            ratios[round] = (double) (t2 - t1) / (t1 - t0);
                            bestOurs = Math.max(bestOurs, flops * reps / (t1 - t0));
                            bestTheirs = Math.max(bestTheirs, flops * reps / (t2 - t1));
                        }
                    }
                    java.util.Arrays.sort(ratios);
                    System.out.printf(
                            "  %-24s 1 thread: simd best %6.1f, OpenBLAS best %6.1f GFLOP/s; median ratio %.2f "
                                    + "(quartiles %.2f–%.2f)%n",
                            sh[0], bestOurs, bestTheirs, ratios[20], ratios[10], ratios[30]);
                }
            }
        }
    }

    /**
     * 1 against 2 threads on an n³ GEMM, alternating call by call-batch so both see the same background load: prints
     * the best GFLOP/s of each and the median of the per-round speedups.
     */
    private static void scaling(int n) {
        try (Kernels one = KernelProviders.open("simd", 1);
                Kernels two = KernelProviders.open("simd", 2);
                FloatMatrix a = FloatMatrix.allocate(n, n);
                FloatMatrix b = FloatMatrix.allocate(n, n);
                FloatMatrix c = FloatMatrix.allocate(n, n)) {
            fill(a, new Random(1));
            fill(b, new Random(2));
            double flops = 2.0 * n * n * n;
            int reps = (int) Math.max(2, 2e9 / flops);
            double best1 = 0;
            double best2 = 0;
            double[] speedups = new double[15];
            for (int round = -3; round < speedups.length; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    one.gemm(Op.N, Op.N, 1f, a, b, 0f, c, Epilogue.NONE);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    two.gemm(Op.N, Op.N, 1f, a, b, 0f, c, Epilogue.NONE);
                }
                long t2 = System.nanoTime();
                if (round >= 0) {
                    best1 = Math.max(best1, flops * reps / (t1 - t0));
                    best2 = Math.max(best2, flops * reps / (t2 - t1));
                    speedups[round] = (double) (t1 - t0) / (t2 - t1);
                }
            }
            java.util.Arrays.sort(speedups);
            System.out.printf(
                    "%d³ NN: 1 thread best %.1f GFLOP/s, 2 threads best %.1f GFLOP/s, best/best %.2f, median "
                            + "speedup %.2f%n",
                    n, best1, best2, best2 / best1, speedups[speedups.length / 2]);
        }
    }

    /** Lets OpenBLAS's spinning threads go to sleep (its default timeout is about 2²⁸ cycles). */
    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fill(FloatMatrix m, Random rnd) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, rnd.nextFloat() - 0.5f);
            }
        }
    }
}
