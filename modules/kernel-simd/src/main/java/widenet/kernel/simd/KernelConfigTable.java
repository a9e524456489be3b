package widenet.kernel.simd;

import java.util.List;
import java.util.function.Predicate;

/**
 * THE table from a {@link CpuDescription} to a {@link KernelConfig} — the one place where the kernels are fitted to a
 * machine, like BLIS's {@code config/<arch>/bli_cntx_init_<arch>.c}. The first entry whose condition holds wins; each
 * says why. Cache blocking is derived from the caches by the rules in {@link #blocking}, the same for every entry.
 *
 * <p>Override (for tuning, or to reproduce another machine's bits): {@code WIDENET_KERNELS_CONFIG} or
 * {@code -Dwidenet.kernels.config} (the property wins), e.g. {@code bits=256,mr=4,nr=16} or {@code preset=avx2,mc=144}
 * — see {@link KernelConfig#override}.
 */
final class KernelConfigTable {
    /** One row: name, condition, width and tile, and the reason. */
    record Entry(String name, Predicate<CpuDescription> when, int bits, int mr, int nr, String why) {}

    /** Kept at 256 on every machine: KC is the GEMM's summation blocking, so one KC everywhere means one set of bits. */
    static final int KC = 256;
    /** Upper bounds on MC and NC: beyond them nothing is gained and the packing buffers only grow. */
    static final int MAX_MC = 1008, MAX_NC = 4096;

    static final List<Entry> TABLE = List.of(
            new Entry(
                    "avx512",
                    c -> c.preferredBits() == 512 && c.vectorRegisters() >= 32,
                    512,
                    8,
                    32,
                    "512-bit vectors and 32 registers (AVX-512): 8×32 = 16 zmm accumulators, 2 B vectors and up to 8 A"
                            + " broadcasts fit in 26 registers, so C2 can hoist the broadcasts without spilling; 16"
                            + " independent FMA chains cover 4-cycle latency on two 512-bit FMA ports (2 × 4 × 2). On"
                            + " Zen 4, whose two FMA pipes are 256-bit (512-bit FMAs double-pumped), the FMA peak is the"
                            + " same at either width (118 GFLOP/s per core measured, MicrokernelPeak); 512-bit halves the"
                            + " instructions and loop overhead: 8×32 reached 98 % of that peak in cache, 8×16 at 256"
                            + " bits 96 %, and whole GEMMs were within the noise of each other (modules/kernel-simd"
                            + " README)"),
            new Entry(
                    "avx512-256",
                    c -> c.preferredBits() == 256 && c.vectorRegisters() >= 32,
                    256,
                    8,
                    16,
                    "256-bit vectors with 32 registers (AVX-512VL capped to 256 bits, e.g. -XX:MaxVectorSize=32):"
                            + " 8×16 = 16 ymm accumulators, which the 16-register tile would leave unused"),
            new Entry(
                    "avx2",
                    c -> c.preferredBits() == 256,
                    256,
                    4,
                    16,
                    "256-bit vectors, 16 registers (AVX2): 4×16 = 8 accumulators; 6×16 (12) was measured ≈ 3× slower"
                            + " on JDK 25 (C2 hoists the broadcasts, needs a 17th register and spills an accumulator)"),
            new Entry(
                    "neon-128",
                    c -> c.preferredBits() == 128 && c.vectorRegisters() >= 32,
                    128,
                    8,
                    8,
                    "128-bit vectors with 32 registers (NEON, or AVX-512 capped to 128 bits): 8×8 = 16 accumulators"),
            new Entry(
                    "sse-128",
                    c -> c.preferredBits() == 128,
                    128,
                    4,
                    8,
                    "128-bit vectors, 16 registers (SSE/AVX capped to 128 bits): 4×8 = 8 accumulators"),
            new Entry(
                    "wide",
                    c -> c.preferredBits() > 512,
                    512,
                    8,
                    32,
                    "vectors wider than 512 bits (SVE): the widest generated microkernel, 512-bit 8×32"));

    private KernelConfigTable() {}

    /**
     * The configuration for {@code cpu} on {@code threads} threads' worth of caches; {@code null} when no entry fits
     * (vectors narrower than 128 bits).
     */
    static KernelConfig select(CpuDescription cpu) {
        for (Entry e : TABLE) {
            if (e.when().test(cpu)) {
                return blocking(e, cpu);
            }
        }
        return null;
    }

    /** The configuration of the entry called {@code name}, blocked for {@code cpu}. */
    static KernelConfig named(String name, CpuDescription cpu) {
        for (Entry e : TABLE) {
            if (e.name().equals(name)) {
                return blocking(e, cpu);
            }
        }
        StringBuilder names = new StringBuilder();
        for (Entry e : TABLE) {
            names.append(names.isEmpty() ? "" : ", ").append(e.name());
        }
        throw new IllegalArgumentException("no kernel table entry '" + name + "' (entries: " + names + ")");
    }

    /**
     * KC, MC, NC from the caches (BLIS/Goto):
     * <ul>
     *   <li>KC = 256 everywhere (see {@link #KC}); the KC×NR B micro-panel (16–32 KiB) then stays in any L1d of
     *       32 KiB or more while the A micro-panels stream past it.</li>
     *   <li>MC: the MC×KC A block takes a quarter of the L2, the rest being left to the B micro-panels and C's lines
     *       streaming through; a multiple of MR, at most {@link #MAX_MC}.</li>
     *   <li>NC: the KC×NC B block takes a quarter of the L3 (half the L2 when there is no L3), at most
     *       {@link #MAX_NC}; a multiple of NR.</li>
     * </ul>
     */
    static KernelConfig blocking(Entry e, CpuDescription cpu) {
        int kc = KC;
        long aBudget = cpu.l2() / 4;
        int mc = (int) Math.max(e.mr(), Math.min(MAX_MC, aBudget / ((long) kc * Float.BYTES)) / e.mr() * e.mr());
        long bBudget = cpu.l3() > 0 ? cpu.l3() / 4 : cpu.l2() / 2;
        int nc = (int) Math.max(e.nr(), Math.min(MAX_NC, bBudget / ((long) kc * Float.BYTES)) / e.nr() * e.nr());
        String why = e.why()
                + (cpu.fma()
                        ? ""
                        : "; NO hardware FMA: the Vector API emulates fma slowly, expect the"
                                + " scalar provider to be as fast")
                + "; KC " + kc + " (one summation blocking on every machine), MC " + mc
                + " (A block " + CpuDescription.bytes((long) mc * kc * Float.BYTES) + " ≤ L2/4 of "
                + CpuDescription.bytes(cpu.l2()) + "), NC " + nc + " (B block "
                + CpuDescription.bytes((long) nc * kc * Float.BYTES)
                + (cpu.l3() > 0 ? " ≤ L3/4 of " + CpuDescription.bytes(cpu.l3()) : " ≤ L2/2, no L3") + ")";
        return new KernelConfig(e.name(), e.bits(), e.mr(), e.nr(), kc, mc, nc, KernelConfig.Split.ROWS_SHARED_B, why);
    }

    /**
     * The configuration for {@code cpu} with the user's override {@code spec} (may be null or blank) applied; an
     * {@link IllegalArgumentException} naming the variable when the override is malformed or no entry fits.
     */
    static KernelConfig resolve(CpuDescription cpu, String spec) {
        try {
            // preset=<entry> starts from that table entry instead of the selected one.
            String rest = spec;
            KernelConfig base = null;
            if (spec != null) {
                StringBuilder others = new StringBuilder();
                for (String part : spec.split(",")) {
                    String p = part.trim();
                    if (p.startsWith("preset=")) {
                        base = named(p.substring("preset=".length()).trim(), cpu);
                    } else if (!p.isEmpty()) {
                        others.append(others.isEmpty() ? "" : ",").append(p);
                    }
                }
                rest = others.toString();
            }
            if (base == null) {
                base = select(cpu);
            }
            if (base == null) {
                throw new IllegalArgumentException("the JVM's preferred vectors are " + cpu.preferredBits()
                        + "-bit; these kernels need at least 128-bit");
            }
            return base.override(rest);
        } catch (IllegalArgumentException e) {
            if (spec == null || spec.isBlank()) {
                throw e;
            }
            throw new IllegalArgumentException(
                    KernelConfig.ENV + "/-D" + KernelConfig.PROPERTY + " '" + spec + "': " + e.getMessage());
        }
    }

    /** The user's override: the system property if set, else the environment variable, else null. */
    static String userOverride() {
        String p = System.getProperty(KernelConfig.PROPERTY);
        return p != null ? p : System.getenv(KernelConfig.ENV);
    }
}
