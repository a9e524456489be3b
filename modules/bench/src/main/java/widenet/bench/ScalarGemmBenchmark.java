package widenet.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scalar reference provider on the shapes it can finish in reasonable time: it runs at ≈ 1 GFLOP/s, so
 * 2048³ would take ≈ 17 s per call. A separate class (rather than {@code provider=scalar} in
 * {@link GemmBenchmark}) keeps the default suite runnable. Single-threaded: the reference ignores the thread
 * count. Same parameters and output as {@link GemmBenchmark}, so the comparison table treats both alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g",
        // JMH 1.37 reads fields through sun.misc.Unsafe; JDK 24+ warns about it on every fork.
        "--sun-misc-unsafe-memory-access=allow"})
public class ScalarGemmBenchmark {

    @Param({"scalar"})
    public String provider;

    @Param({"1"})
    public int threads;

    @Param({"NN:256x256x256", "NN:512x512x512", "NN:4096x256x64", "NT:4096x256x64", "TN:4096x256x64"})
    public String shape;

    @Param({GemmProblem.EPILOGUE_NONE})
    public String epilogue;

    private GemmProblem problem;

    @Setup(Level.Trial)
    public void setUp() {
        problem = GemmProblem.open(provider, threads, shape, epilogue);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (problem != null) {
            problem.close();
            problem = null;
        }
    }

    @Benchmark
    public void gemm() {
        problem.run();
    }
}
