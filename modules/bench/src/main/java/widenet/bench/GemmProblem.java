package widenet.bench;

import java.util.SplittableRandom;
import widenet.kernel.Epilogue;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.tensor.FloatMatrix;

/**
 * The operands and kernels of one GEMM benchmark: off-heap A, B, C (and the ReLU mask when the epilogue asks for
 * one) filled once with reproducible values, and the provider's {@link Kernels} with its worker threads. Made in a
 * JMH {@code @Setup(Level.Trial)} and closed in the matching {@code @TearDown}, so neither allocation nor thread
 * start-up is measured.
 */
final class GemmProblem implements AutoCloseable {
    /** The epilogue parameter values the benchmarks understand. */
    static final String EPILOGUE_NONE = "none";

    static final String EPILOGUE_RELU_MASK = "relu-mask";

    final GemmShape shape;
    final Kernels kernels;
    private final FloatMatrix a;
    private final FloatMatrix b;
    private final FloatMatrix c;
    private final FloatMatrix mask;
    private final Epilogue epilogue;

    private GemmProblem(
            GemmShape shape,
            Kernels kernels,
            FloatMatrix a,
            FloatMatrix b,
            FloatMatrix c,
            FloatMatrix mask,
            Epilogue epilogue) {
        this.shape = shape;
        this.kernels = kernels;
        this.a = a;
        this.b = b;
        this.c = c;
        this.mask = mask;
        this.epilogue = epilogue;
    }

    /**
     * Opens the provider called {@code provider} with {@code threads} threads and allocates the operands of
     * {@code shapeSpec} (see {@link GemmShape#parse}). {@code epilogue} is {@value #EPILOGUE_NONE} or
     * {@value #EPILOGUE_RELU_MASK} (ReLU applied to C and the 0/1 mask stored, as the network's forward pass does).
     */
    static GemmProblem open(String provider, int threads, String shapeSpec, String epilogue) {
        GemmShape shape = GemmShape.parse(shapeSpec);
        // Operands first: a bad shape or epilogue then fails before any worker thread exists.
        FloatMatrix a = FloatMatrix.allocate(shape.aRows(), shape.aCols());
        FloatMatrix b = FloatMatrix.allocate(shape.bRows(), shape.bCols());
        FloatMatrix c = FloatMatrix.allocate(shape.m(), shape.n());
        FloatMatrix mask = null;
        Epilogue ep;
        try {
            switch (epilogue) {
                case EPILOGUE_NONE -> ep = Epilogue.NONE;
                case EPILOGUE_RELU_MASK -> {
                    mask = FloatMatrix.allocate(shape.m(), shape.n());
                    ep = Epilogue.relu(mask, false);
                }
                default ->
                    throw new IllegalArgumentException("unknown epilogue '" + epilogue + "'; expected " + EPILOGUE_NONE
                            + " or " + EPILOGUE_RELU_MASK);
            }
            SplittableRandom random = new SplittableRandom(0x5eed_0f_9e_77L);
            fillUniform(a, random);
            fillUniform(b, random);
            Kernels kernels = KernelProviders.open(provider, threads);
            return new GemmProblem(shape, kernels, a, b, c, mask, ep);
        } catch (RuntimeException | Error e) {
            closeAll(a, b, c, mask);
            throw e;
        }
    }

    /** Values uniform in [−1, 1): no denormals, no special cases, about half of C negative for the ReLU epilogue. */
    static void fillUniform(FloatMatrix m, SplittableRandom random) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, (float) (2 * random.nextDouble() - 1));
            }
        }
    }

    /** C = epilogue(op(A)·op(B)). */
    void run() {
        kernels.gemm(shape.opA(), shape.opB(), 1f, a, b, 0f, c, epilogue);
    }

    FloatMatrix result() {
        return c;
    }

    private static void closeAll(FloatMatrix... ms) {
        for (FloatMatrix m : ms) {
            if (m != null) {
                m.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            kernels.close();
        } finally {
            closeAll(a, b, c, mask);
        }
    }
}
