package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.train.DataSpec;
import widenet.train.ModelSpec;
import widenet.train.RunSpec;
import widenet.train.RunSpecJson;
import widenet.train.Runs;

/**
 * The README's "Embedding widenet" example, compiled and run as an application would: its own module on the
 * module path next to widenet's, in a separate JVM. Keeps the README true.
 */
class EmbeddingExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeExampleCompilesAndTrains() throws Exception {
        String readme = Files.readString(findReadme(), StandardCharsets.UTF_8);
        Path src = tmp.resolve("src/example.app");
        Files.createDirectories(src.resolve("example/app"));
        Files.writeString(src.resolve("module-info.java"), block(readme, "module-info"));
        Files.writeString(src.resolve("example/app/Example.java"), block(readme, "Example.java"));

        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "tests run on the module path");
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path classes = tmp.resolve("classes");
        run(List.of(
                javaHome.resolve("bin/javac").toString(),
                "-p",
                modulePath,
                "-d",
                classes.toString(),
                src.resolve("module-info.java").toString(),
                src.resolve("example/app/Example.java").toString()));
        Path runDir = tmp.resolve("run");
        String out = run(List.of(
                javaHome.resolve("bin/java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-p",
                modulePath + java.io.File.pathSeparator + classes,
                "-m",
                "example.app/example.app.Example",
                runDir.toString()));
        assertTrue(out.contains("step 0 loss"), out);
        assertTrue(out.contains("step 100 loss"), out);
        double first = loss(out, 0), last = loss(out, 100);
        assertTrue(last < 0.1 * first, "the example's loss falls: " + first + " → " + last);
        assertTrue(out.contains("finished after 100 steps"), out);
        // A standard run folder, whose run.json holds the spec the example built.
        assertEquals(
                RunSpecJson.toJson(new RunSpec(
                                new DataSpec.Sphere(64, 64),
                                ModelSpec.TwoLayer.du2019(512),
                                RunSpec.Optimisation.fullBatch(0.1, 100),
                                0,
                                null,
                                RunSpec.Theory.AUTO,
                                null,
                                new RunSpec.Compute("simd", 1),
                                null)
                        .validate()),
                RunSpecJson.toJson(Runs.recordedSpec(runDir)));
        assertTrue(Files.isRegularFile(runDir.resolve("metrics.csv")) && Files.isDirectory(runDir.resolve("final")));
    }

    private static double loss(String out, int step) {
        Matcher m = Pattern.compile("step " + step + " loss ([0-9.eE+-]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }

    /** The ```java block after the {@code <!-- embed:NAME -->} marker. */
    static String block(String readme, String name) {
        Matcher m = Pattern.compile("<!-- embed:" + Pattern.quote(name) + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(m.find(), "README has an embed:" + name + " block");
        return m.group(1);
    }

    static Path findReadme() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p.resolve("README.md");
            }
        }
        throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
