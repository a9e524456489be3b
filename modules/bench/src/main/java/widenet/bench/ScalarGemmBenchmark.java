package widenet.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * The scalar reference provider on the shapes it can finish in reasonable time: it runs at ≈ 1 GFLOP/s, so
 * 2048³ would take ≈ 17 s per call. A separate class (rather than {@code provider=scalar} in
 * {@link GemmBenchmark}) keeps the default suite runnable. Single-threaded: the reference ignores the thread
 * count. Same parameters and output as {@link GemmBenchmark}, so the comparison table treats both alike.
 */
public class ScalarGemmBenchmark extends GemmProblemBenchmark {

    @Param({"scalar"})
    public String provider;

    @Param({"1"})
    public int threads;

    @Param({"NN:256x256x256", "NN:512x512x512", "NN:4096x256x64", "NT:4096x256x64", "TN:4096x256x64"})
    public String shape;

    @Override
    protected GemmProblem open() {
        return GemmProblem.open(provider, threads, shape, epilogue);
    }
}
