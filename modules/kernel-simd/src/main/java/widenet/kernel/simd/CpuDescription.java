package widenet.kernel.simd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the kernel configuration depends on, read once at start-up: the JVM's preferred float vector width (which
 * already honours {@code -XX:MaxVectorSize}), the size of the vector register file, whether the CPU has FMA, and the
 * cache sizes. Linux's {@code /proc/cpuinfo} and {@code /sys/devices/system/cpu/cpu0/cache} are read where present;
 * elsewhere each value has a stated default ({@link #sources()} says which values are defaults).
 *
 * @param arch            {@code os.arch}, e.g. {@code amd64}, {@code aarch64}
 * @param model           the CPU's model name, or {@code unknown}
 * @param preferredBits   {@code FloatVector.SPECIES_PREFERRED}'s width in bits
 * @param vectorRegisters architectural vector registers: 32 with AVX-512 (zmm0–31) or on AArch64, 16 with AVX2/SSE
 * @param fma             whether fused multiply-add is in hardware (without it the Vector API emulates it slowly)
 * @param l1d             L1 data cache per core, bytes
 * @param l2              L2 cache per core, bytes
 * @param l3              last-level cache, bytes (0: none)
 * @param sources         where the values came from, e.g. {@code cpuinfo+sysfs} or {@code defaults}
 */
record CpuDescription(
        String arch,
        String model,
        int preferredBits,
        int vectorRegisters,
        boolean fma,
        long l1d,
        long l2,
        long l3,
        String sources) {
    /** Defaults where the operating system does not say: a small current core. */
    static final long DEFAULT_L1D = 32 << 10, DEFAULT_L2 = 512 << 10, DEFAULT_L3 = 8 << 20;

    /** The running machine, with the JVM's preferred vector width {@code preferredBits}. */
    static CpuDescription detect(int preferredBits) {
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        String model = field(cpuinfo, "model name");
        if (model == null) {
            model = field(cpuinfo, "cpu model");
        }
        String flagLine = field(cpuinfo, "flags");
        if (flagLine == null) {
            flagLine = field(cpuinfo, "features"); // AArch64
        }
        Set<String> flags = flagLine == null ? Set.of() : Set.of(flagLine.trim().split("\\s+"));
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64");
        int registers;
        boolean fma;
        if (x86 && flagLine != null) {
            registers = flags.contains("avx512f") ? 32 : 16;
            fma = flags.contains("fma");
        } else if (arm) {
            registers = 32; // v0–v31 (NEON and SVE)
            fma = true; // FMLA is part of ARMv8's Advanced SIMD
        } else {
            registers = preferredBits >= 512 ? 32 : 16;
            fma = true;
        }
        long[] caches = {0, 0, 0};
        boolean sysfs = readCaches(Path.of("/sys/devices/system/cpu/cpu0/cache"), caches);
        String sources = (flagLine != null ? "cpuinfo" : "no cpuinfo") + (sysfs ? "+sysfs" : ", default caches");
        return new CpuDescription(
                arch,
                model == null ? "unknown" : model.trim(),
                preferredBits,
                registers,
                fma,
                caches[0] > 0 ? caches[0] : DEFAULT_L1D,
                caches[1] > 0 ? caches[1] : DEFAULT_L2,
                sysfs ? caches[2] : DEFAULT_L3,
                sources);
    }

    /** Fills L1d, L2, L3 (bytes) from sysfs {@code index*} folders; false when there are none. */
    static boolean readCaches(Path dir, long[] out) {
        boolean any = false;
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            String level = first(index.resolve("level"));
            String type = first(index.resolve("type"));
            long size = parseSize(first(index.resolve("size")));
            if (level == null || type == null || size <= 0) {
                continue;
            }
            any = true;
            switch (level.trim()) {
                case "1" -> {
                    if (type.trim().equalsIgnoreCase("Data") || type.trim().equalsIgnoreCase("Unified")) out[0] = size;
                }
                case "2" -> out[1] = size;
                case "3" -> out[2] = size;
                default -> {}
            }
        }
        return any;
    }

    /** {@code 48K}, {@code 2048K}, {@code 32M} → bytes; −1 if unreadable. */
    static long parseSize(String s) {
        if (s == null) {
            return -1;
        }
        s = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("K")) {
            unit = 1L << 10;
        } else if (s.endsWith("M")) {
            unit = 1L << 20;
        } else if (s.endsWith("G")) {
            unit = 1L << 30;
        }
        try {
            return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String field(List<String> lines, String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1);
            }
        }
        return null;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String first(Path p) {
        List<String> l = lines(p);
        return l.isEmpty() ? null : l.get(0);
    }

    /** One line for the banner: {@code Intel(R) Xeon(R) …, 512-bit vectors, 32 registers, FMA, L1d 48 KiB …}. */
    @Override
    public String toString() {
        return model + " (" + arch + "), " + preferredBits + "-bit vectors, " + vectorRegisters + " vector registers, "
                + (fma ? "FMA" : "no FMA") + ", L1d " + bytes(l1d) + ", L2 " + bytes(l2) + ", L3 " + bytes(l3)
                + " [" + sources + "]";
    }

    static String bytes(long b) {
        if (b >= 1L << 20 && b % (1L << 20) == 0) {
            return (b >> 20) + " MiB";
        }
        if (b >= 1L << 10) {
            return (b >> 10) + " KiB";
        }
        return b + " B";
    }
}
