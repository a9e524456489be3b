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
 * The JMH state of a GEMM benchmark, in ms/op: one {@link GemmProblem} per trial, made from the subclass's
 * {@code provider}, {@code threads} and {@code shape} parameters (the values differ per subclass) and this
 * {@code epilogue}. Subclasses share the parameter names and output, so the comparison table treats them alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// 3 + 5 one-second iterations per fork: the JIT has compiled the kernels well within the first second (the
// microkernel is hot from the first call).
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 2,
        jvmArgsAppend = {
            "--add-modules=jdk.incubator.vector",
            "-Xms1g",
            "-Xmx1g",
            // JMH 1.37 reads fields through sun.misc.Unsafe; JDK 24+ warns about it on every fork.
            "--sun-misc-unsafe-memory-access=allow"
        })
public abstract class GemmProblemBenchmark {

    @Param({GemmProblem.EPILOGUE_NONE})
    public String epilogue;

    private GemmProblem problem;

    /** {@link GemmProblem#open} with the subclass's provider, threads and shape and {@code epilogue}. */
    protected abstract GemmProblem open();

    @Setup(Level.Trial)
    public void setUp() {
        problem = open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (problem != null) {
            problem.close();
            problem = null;
        }
    }

    /** The result goes to off-heap C, which the JIT cannot prove dead, so no Blackhole is needed. */
    @Benchmark
    public void gemm() {
        problem.run();
    }
}
