package widenet.kernel.simd;

/** The kernel configuration this test JVM runs (set per surefire execution through widenet.kernels.config). */
final class Widths {
    private Widths() {}

    /** Whether the configured width is wider than the JVM's vectors here: then the Vector API emulates it in Java. */
    static boolean emulated() {
        return SimdConfiguration.config().bits() > SimdConfiguration.CPU.preferredBits();
    }

    static String describe() {
        return SimdConfiguration.config().summary();
    }
}
