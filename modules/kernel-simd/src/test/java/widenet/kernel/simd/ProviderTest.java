package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProvider;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.kernel.Op;
import widenet.tensor.FloatMatrix;

/** The provider is found by name, describes itself, and its worker threads stop on close. */
class ProviderTest {
    @Test
    void foundByNameAndDescribesItself() {
        KernelProvider p = KernelProviders.named("simd");
        assertTrue(p.isAvailable(), p.unavailableReason());
        assertEquals("", p.unavailableReason());
        try (Kernels k = KernelProviders.open("simd", 2)) {
            assertEquals("simd", k.provider());
            assertEquals(2, k.threads());
            assertTrue(
                    k.description().contains(Lanes.SPECIES.vectorBitSize() + "-bit")
                            && k.description().contains("2 threads")
                            && k.description()
                                    .contains(SimdConfiguration.config().summary()),
                    k.description());
        }
    }

    @Test
    void closeStopsTheWorkersAndLaterCallsFail() throws InterruptedException {
        long before = workerThreads();
        Kernels k = KernelProviders.open("simd", 3);
        assertEquals(before + 2, workerThreads());
        k.close();
        k.close(); // idempotent
        for (int i = 0; i < 100 && workerThreads() > before; i++) {
            Thread.sleep(10);
        }
        assertEquals(before, workerThreads());
        try (FloatMatrix a = FloatMatrix.allocate(200, 200);
                FloatMatrix c = FloatMatrix.allocate(200, 200)) {
            assertThrows(IllegalStateException.class, () -> k.gemm(Op.N, Op.N, 1f, a, a, 0f, c));
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(
                IllegalArgumentException.class,
                () -> KernelProviders.named("simd").create(0));
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("widenet-simd-worker"))
                .count();
    }
}
