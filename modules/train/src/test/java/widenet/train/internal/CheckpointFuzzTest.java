package widenet.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import widenet.train.CheckpointException;
import widenet.train.InputException;

/**
 * Jazzer fuzz tests of what a resumed run reads: the checkpoint manifest, {@code checkpoint.json}, {@code run.json}
 * and the {@code --checkpoint-every} value. Every input either parses or raises the documented exception
 * ({@link CheckpointException} / {@link InputException}) with a one-line message; anything else (another
 * exception, a hang) is a finding. In a plain test run each target replays its seeds in
 * {@code src/test/resources/widenet/train/CheckpointFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes
 * (see the README, "Reliability").
 */
class CheckpointFuzzTest {

    private static void requireOneLine(RuntimeException e) {
        assertNotNull(e.getMessage(), "message");
        assertTrue(
                !e.getMessage().isBlank() && e.getMessage().lines().count() == 1,
                "one-line message: " + e.getMessage());
    }

    @FuzzTest(maxDuration = "30s")
    void manifest(byte[] bytes) {
        CheckpointManifest m;
        try {
            m = CheckpointManifest.parse(bytes, "manifest");
        } catch (CheckpointException e) {
            requireOneLine(e);
            return;
        }
        // What parses is a manifest that formats back to the same bytes and lists only safe paths.
        assertEquals(
                new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(m.format(), java.nio.charset.StandardCharsets.ISO_8859_1));
        java.nio.file.Path base = java.nio.file.Path.of("/checkpoint");
        for (CheckpointManifest.Entry e : m.files()) {
            java.nio.file.Path p = base.resolve(e.path()).normalize();
            assertTrue(p.startsWith(base) && !p.equals(base), "path leaves the checkpoint folder: " + e.path());
        }
    }

    /** The lines behind the checksum: the fuzzed body gets a correct {@code end} line, so parsing goes past it. */
    @FuzzTest(maxDuration = "30s")
    void manifestBody(byte[] body) {
        byte[] text = new byte[body.length + 13];
        System.arraycopy(body, 0, text, 0, body.length);
        byte[] end = ("end " + CheckpointManifest.hex(CheckpointManifest.crc32(body, body.length)) + "\n").getBytes();
        System.arraycopy(end, 0, text, body.length, end.length);
        manifest(text);
    }

    @FuzzTest(maxDuration = "30s")
    void checkpointState(byte[] bytes) {
        CheckpointState s;
        try {
            s = CheckpointState.parse(bytes, "checkpoint.json");
        } catch (CheckpointException e) {
            requireOneLine(e);
            return;
        }
        // What parses writes back to an equal state.
        CheckpointState again = CheckpointState.parse(s.toJson(), "again");
        assertEquals(s.position().step(), again.position().step());
        assertEquals(
                Double.doubleToRawLongBits(s.position().lastRowLoss()),
                Double.doubleToRawLongBits(again.position().lastRowLoss()));
        assertEquals(s.parameters(), again.parameters());
        assertEquals(s.data(), again.data());
    }

    @FuzzTest(maxDuration = "30s")
    void runJson(byte[] bytes) {
        try {
            Map<String, Object> m = Json.parse(bytes, "run.json");
            assertNotNull(m);
        } catch (InputException e) {
            requireOneLine(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void checkpointEvery(String value) {
        try {
            CheckpointPolicy p = CheckpointPolicy.parse(value);
            assertNotNull(p.toString());
        } catch (InputException e) {
            requireOneLine(e);
        }
    }
}
