package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code GemmMicrokernels.java} is exactly what {@link MicrokernelGenerator} produces: nobody edited
 * the generated file by hand, and nobody changed the template without regenerating. With
 * {@code -Dwidenet.regenerate=true} the test rewrites the file instead (then review the diff).
 */
class GeneratedSourcesTest {
    @Test
    void microkernelsAreUpToDate() throws IOException {
        String want = MicrokernelGenerator.generate();
        if (Boolean.getBoolean("widenet.regenerate")) {
            Files.writeString(MicrokernelGenerator.TARGET, want, StandardCharsets.UTF_8);
        }
        String have = Files.readString(MicrokernelGenerator.TARGET, StandardCharsets.UTF_8);
        assertEquals(
                want,
                have,
                MicrokernelGenerator.TARGET + " is not what MicrokernelGenerator generates: regenerate it "
                        + "(see MicrokernelGenerator's comment) instead of editing it");
    }
}
