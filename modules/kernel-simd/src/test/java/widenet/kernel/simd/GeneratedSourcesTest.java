package widenet.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed generated sources (the microkernel variants {@code Mk*.java} and their lookup
 * {@code GemmMicrokernels.java}) are exactly what {@link MicrokernelGenerator} produces: nobody edited a generated
 * file by hand, nobody changed the template without regenerating, and no variant dropped from the template is left
 * behind. With {@code -Dwidenet.regenerate=true} the test rewrites the files instead (then review the diff).
 */
class GeneratedSourcesTest {
    private static final String HOW = "regenerate (see MicrokernelGenerator's comment) instead of editing by hand";

    @Test
    void microkernelsAreUpToDate() throws IOException {
        Map<String, String> want = MicrokernelGenerator.generate();
        Path folder = MicrokernelGenerator.FOLDER;
        if (Boolean.getBoolean("widenet.regenerate")) {
            for (String stale : generatedFilesIn(folder)) {
                if (!want.containsKey(stale)) {
                    Files.delete(folder.resolve(stale));
                }
            }
            for (Map.Entry<String, String> file : want.entrySet()) {
                Files.writeString(folder.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        assertEquals(
                new TreeSet<>(want.keySet()), generatedFilesIn(folder), "generated files in " + folder + ": " + HOW);
        for (Map.Entry<String, String> file : want.entrySet()) {
            Path path = folder.resolve(file.getKey());
            assertEquals(
                    file.getValue(),
                    Files.readString(path, StandardCharsets.UTF_8),
                    path + " is not what MicrokernelGenerator generates: " + HOW);
        }
    }

    /** The files in {@code folder} that say they are generated. */
    private static TreeSet<String> generatedFilesIn(Path folder) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                List<String> head = Files.readAllLines(p, StandardCharsets.UTF_8);
                if (!head.isEmpty() && head.get(0).startsWith("// GENERATED FILE")) {
                    names.add(p.getFileName().toString());
                }
            }
        }
        return names;
    }
}
