package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on the class path without {@code --add-modules jdk.incubator.vector} (the Vector API not resolvable): the
 * default kernels fall back to scalar with one warning line that says why and what it costs, and train; an explicit
 * {@code --kernels simd} is refused with the reason, exit 2. Also the SIMD provider on 128-bit vectors
 * ({@code -XX:MaxVectorSize=16}, as on a NEON machine) trains.
 */
class KernelFallbackTest {
    @TempDir
    Path tmp;

    private static final String[] SMALL = {"train", "--n", "16", "--d", "8", "--width", "32", "--steps", "3", "--quiet"
    };

    @Test
    void defaultFallsBackToScalarWithOneWarning() throws Exception {
        Path out = tmp.resolve("run");
        Result r = classPath(List.of(), with(SMALL, "--out", out.toString()));
        assertEquals(0, r.code, r.output);
        List<String> warnings = r.output
                .lines()
                .filter(l -> l.startsWith("widenet: warning: using the scalar kernels"))
                .toList();
        assertEquals(1, warnings.size(), r.output);
        assertTrue(
                warnings.get(0).contains("jdk.incubator.vector is not loaded")
                        && warnings.get(0).contains("slower"),
                warnings.get(0));
        assertTrue(
                Files.readString(out.resolve("run.json")).contains("\"kernels\" : \"scalar\""),
                "run.json names scalar");
    }

    @Test
    void explicitSimdIsRefused() throws Exception {
        Result r = classPath(
                List.of(),
                with(SMALL, "--kernels", "simd", "--out", tmp.resolve("run").toString()));
        assertEquals(2, r.code, r.output);
        assertTrue(
                r.output.contains("kernel provider 'simd' is not available: the Vector API module jdk.incubator.vector"
                        + " is not loaded"),
                r.output);
        assertTrue(!r.output.contains("\tat "), "no stack trace: " + r.output);
    }

    @Test
    void simdTrainsOn128BitVectors() throws Exception {
        Path out = tmp.resolve("run");
        Result r = classPath(
                List.of("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=16"),
                with(SMALL, "--kernels", "simd", "--out", out.toString()));
        assertEquals(0, r.code, r.output);
        String run = Files.readString(out.resolve("run.json"));
        assertTrue(run.contains("128-bit (4 lanes)"), run);
    }

    record Result(int code, String output) {}

    private Result classPath(List<String> jvm, String... args) throws IOException, InterruptedException {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "tests run on the module path");
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", modulePath, "widenet.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), output);
    }

    private static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
