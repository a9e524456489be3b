package widenet.kernel.simd;

import jdk.incubator.vector.FloatVector;

/**
 * The process's CPU description and kernel configuration, decided once (first use) and fixed for the JVM's life: the
 * vector species and tile sizes are {@code static final} in {@link Lanes} and {@link GemmBlocking}, which is what
 * lets C2 treat them as constants. Never throws from its initializer: a bad override is reported by
 * {@link #problem()} (the provider's unavailable reason) and only {@link #config()} throws.
 */
final class SimdConfiguration {
    static final CpuDescription CPU = CpuDescription.detect(FloatVector.SPECIES_PREFERRED.vectorBitSize());
    private static final KernelConfig CONFIG;
    private static final String PROBLEM;

    static {
        KernelConfig c = null;
        String problem = "";
        try {
            c = KernelConfigTable.resolve(CPU, KernelConfigTable.userOverride());
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        CONFIG = c;
        PROBLEM = problem;
    }

    private SimdConfiguration() {}

    /** Why there is no configuration, or empty. */
    static String problem() {
        return PROBLEM;
    }

    static KernelConfig config() {
        if (CONFIG == null) {
            throw new IllegalStateException("no kernel configuration: " + PROBLEM);
        }
        return CONFIG;
    }
}
