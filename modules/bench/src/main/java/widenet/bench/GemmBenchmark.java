package widenet.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * C = op(A)·op(B) with the fast provider on every shape that matters for the two-layer network, in ms/op.
 * GFLOP/s = {@code 2·M·N·K / (ms · 10⁶)}, M, N, K read from the {@code shape} parameter (see {@link GemmShape});
 * {@code native-bench/compare.sh} does that conversion and sets the numbers beside OpenBLAS's.
 *
 * <p>Shapes (as {@code <opA><opB>:<M>x<N>x<K>}):
 * <ul>
 *   <li>{@code NN:256x256x256} … {@code NN:2048x2048x2048}: square, the usual yardstick.</li>
 *   <li>{@code NT:1000x4000x1000}: the forward pass Z = X·Wᵀ of the network with n = d = 1000, m = 4000.</li>
 *   <li>{@code TN:4000x1000x1000}: its backward pass ∇W = Gᵀ·X.</li>
 *   <li>{@code NN/NT/TN:4096x256x64}: a narrow output (256 columns from a 64-long inner dimension), where
 *       OpenBLAS reaches only a fraction of peak; {@code NT:4096x256x64} is the forward pass of the network with
 *       n = 4096, d = 64, m = 256.</li>
 *   <li>{@code TN:256x64x4096}: that network's backward pass (a long inner dimension, a tiny output).</li>
 * </ul>
 *
 * <p>The default provider is {@code simd}; {@code -p provider=scalar} works too but is ≈ 1 GFLOP/s, so keep it to
 * the small shapes ({@link ScalarGemmBenchmark} does). {@code -p epilogue=relu-mask} measures the forward pass's
 * fused ReLU + mask epilogue.
 */
// The 20 default combinations × 2 forks of GemmProblemBenchmark's iterations finish in ≈ 7 minutes.
public class GemmBenchmark extends GemmProblemBenchmark {

    @Param({"simd"})
    public String provider;

    @Param({"1", "2"})
    public int threads;

    @Param({
        "NN:256x256x256",
        "NN:512x512x512",
        "NN:1024x1024x1024",
        "NN:2048x2048x2048",
        "NT:1000x4000x1000",
        "TN:4000x1000x1000",
        "NN:4096x256x64",
        "NT:4096x256x64",
        "TN:4096x256x64",
        "TN:256x64x4096",
    })
    public String shape;

    @Override
    protected GemmProblem open() {
        return GemmProblem.open(provider, threads, shape, epilogue);
    }
}
