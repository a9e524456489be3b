package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration table on fabricated CPU descriptions, the overrides, and the sysfs cache reader. */
class KernelConfigTableTest {
    private static final long K = 1 << 10, M = 1 << 20;

    private static CpuDescription cpu(int bits, int registers, long l1, long l2, long l3) {
        return new CpuDescription("amd64", "test", bits, registers, true, l1, l2, l3, "test");
    }

    @Test
    void theSplitIsTheSharedBOneUnlessOverridden() {
        CpuDescription zen4 = cpu(512, 32, 32 * K, M, 32 * M);
        assertEquals(
                KernelConfig.Split.ROWS_SHARED_B, KernelConfigTable.select(zen4).split());
        KernelConfig old = KernelConfigTable.resolve(zen4, "split=larger-dimension");
        assertEquals(KernelConfig.Split.LARGER_DIMENSION, old.split());
        assertTrue(old.summary().endsWith("split larger-dimension"), old.summary());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> KernelConfigTable.resolve(zen4, "split=diagonal"));
        assertTrue(
                e.getMessage().contains("unknown split 'diagonal'")
                        && e.getMessage().contains(KernelConfig.ENV),
                e.getMessage());
    }

    @Test
    void eachCpuGetsItsEntry() {
        // Sapphire/Emerald Rapids: 512-bit, 32 registers, 48 KiB L1d, 2 MiB L2, 260 MiB L3.
        KernelConfig spr = KernelConfigTable.select(cpu(512, 32, 48 * K, 2 * M, 260 * M));
        assertEquals("avx512", spr.name());
        assertEquals(512, spr.bits());
        assertEquals(8, spr.mr());
        assertEquals(32, spr.nr());
        assertEquals(256, spr.kc());
        assertEquals(512, spr.mc()); // 2 MiB / 4 / (256·4 B)
        assertEquals(4096, spr.nc()); // capped
        // Zen 3: AVX2, 16 registers, 512 KiB L2, 32 MiB L3: today's measured 4×16.
        KernelConfig zen3 = KernelConfigTable.select(cpu(256, 16, 32 * K, 512 * K, 32 * M));
        assertEquals("avx2", zen3.name());
        assertEquals(4, zen3.mr());
        assertEquals(16, zen3.nr());
        assertEquals(128, zen3.mc());
        // AVX-512 machine run with -XX:MaxVectorSize=32.
        KernelConfig capped = KernelConfigTable.select(cpu(256, 32, 48 * K, 2 * M, 32 * M));
        assertEquals("avx512-256", capped.name());
        assertEquals(8, capped.mr());
        // NEON (Graviton/Apple): 128-bit, 32 registers, no L3 reported.
        KernelConfig neon =
                KernelConfigTable.select(new CpuDescription("aarch64", "n1", 128, 32, true, 64 * K, M, 0, "test"));
        assertEquals("neon-128", neon.name());
        assertEquals(8, neon.nr());
        assertEquals(8, neon.mr());
        assertEquals(512, neon.nc()); // no L3: B block ≤ L2/2 = 512 KiB, 512 columns of 256 floats
        // SSE-only x86.
        assertEquals(
                "sse-128",
                KernelConfigTable.select(cpu(128, 16, 32 * K, 256 * K, 8 * M)).name());
        // SVE at 2048 bits: the widest generated kernel.
        assertEquals(
                "wide",
                KernelConfigTable.select(cpu(2048, 32, 64 * K, M, 32 * M)).name());
        // Nothing below 128 bits.
        assertNull(KernelConfigTable.select(cpu(64, 16, 32 * K, 256 * K, 8 * M)));
        // Tiny caches never give blocks smaller than one micro-panel.
        KernelConfig tiny = KernelConfigTable.select(cpu(256, 16, 4 * K, 8 * K, 0));
        assertTrue(tiny.mc() >= tiny.mr() && tiny.mc() % tiny.mr() == 0, tiny.summary());
        assertTrue(tiny.nc() >= tiny.nr() && tiny.nc() % tiny.nr() == 0, tiny.summary());
    }

    @Test
    void everyEntryHasAGeneratedKernelAndAReason() {
        CpuDescription c = cpu(512, 32, 48 * K, 2 * M, 32 * M);
        for (KernelConfigTable.Entry e : KernelConfigTable.TABLE) {
            KernelConfig cfg = KernelConfigTable.named(e.name(), c);
            assertTrue(GemmMicrokernels.exists(cfg.bits(), cfg.mr(), cfg.nr()), e.name());
            assertTrue(cfg.reason().length() > 40, e.name());
        }
    }

    @Test
    void overrides() {
        CpuDescription c = cpu(512, 32, 48 * K, 2 * M, 260 * M);
        KernelConfig o = KernelConfigTable.resolve(c, "bits=256");
        assertEquals(256, o.bits());
        assertEquals(16, o.nr()); // two vectors per row kept
        assertEquals(8, o.mr());
        assertEquals("avx512+override", o.name());
        KernelConfig p = KernelConfigTable.resolve(c, "preset=avx2, mc=144");
        assertEquals(4, p.mr());
        assertEquals(144, p.mc());
        assertEquals(KernelConfigTable.select(c), KernelConfigTable.resolve(c, "  "));
        assertEquals(KernelConfigTable.select(c), KernelConfigTable.resolve(c, null));
        assertEquals(12, KernelConfigTable.resolve(c, "mr=12").mr());
        assertEquals(516, KernelConfigTable.resolve(c, "mr=12").mc()); // 512 rounded up to a multiple of 12
        for (String bad : new String[] {
            "bits=384", "mr=5", "nr=24", "kc=0", "mc=7", "nc=33", "foo=1", "bits", "mr=x", "preset=nope"
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> KernelConfigTable.resolve(c, bad), bad);
            assertTrue(
                    e.getMessage().startsWith("WIDENET_KERNELS_CONFIG/-Dwidenet.kernels.config '" + bad + "': "),
                    e.getMessage());
        }
    }

    @Test
    void readsSysfsCaches(@TempDir Path dir) throws IOException {
        write(dir, 0, "1", "Data", "48K");
        write(dir, 1, "1", "Instruction", "32K");
        write(dir, 2, "2", "Unified", "2048K");
        write(dir, 3, "3", "Unified", "266240K");
        long[] out = new long[3];
        assertTrue(CpuDescription.readCaches(dir, out));
        assertEquals(48 * K, out[0]);
        assertEquals(2 * M, out[1]);
        assertEquals(260 * M, out[2]);
        assertTrue(!CpuDescription.readCaches(dir.resolve("missing"), new long[3]));
        assertEquals(-1, CpuDescription.parseSize("lots"));
        assertEquals(32 * M, CpuDescription.parseSize("32M"));
    }

    @Test
    void thisMachineIsDescribed() {
        CpuDescription here = SimdConfiguration.CPU;
        assertTrue(here.preferredBits() >= 128, here.toString());
        assertTrue(here.l1d() > 0 && here.l2() > 0, here.toString());
    }

    private static void write(Path dir, int i, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
