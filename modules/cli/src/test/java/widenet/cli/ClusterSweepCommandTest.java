package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import widenet.train.internal.Json;

/** {@code widenet sweep --cluster hazelcast} and {@code widenet worker} as a user runs them (one member, loopback). */
class ClusterSweepCommandTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSweepOnAOneMemberClusterWritesTheLocalSweepsNumbers() throws IOException {
        TrainCommandTest.Result r = TrainCommandTest.run(SweepAndReportCommandTest.with(
                SweepAndReportCommandTest.TINY, "--out", tmp.resolve("local").toString()));
        assertEquals(0, r.code(), r.err());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        r = TrainCommandTest.run(SweepAndReportCommandTest.with(
                SweepAndReportCommandTest.TINY,
                "--out",
                tmp.resolve("cluster").toString(),
                "--cluster",
                "hazelcast",
                "--port",
                Integer.toString(port),
                "--members",
                "127.0.0.1:" + port,
                "--cluster-name",
                "widenet-test-" + UUID.randomUUID()));
        assertEquals(0, r.code(), r.err());
        assertEquals(
                Files.readString(tmp.resolve("local/sweep.csv")), Files.readString(tmp.resolve("cluster/sweep.csv")));
        assertEquals(withoutSeconds(tmp.resolve("local/cells.csv")), withoutSeconds(tmp.resolve("cluster/cells.csv")));
        Map<String, Object> json = Json.read(tmp.resolve("cluster/sweep.json"));
        assertTrue(json.get("cluster") instanceof Map<?, ?> c && "hazelcast".equals(c.get("engine")), json.toString());
    }

    @Test
    void badClusterOptionsAreOneLineInputErrors() {
        String[][] cases = {
            {"sweep", "--cluster", "spark"},
            {"sweep", "--members", "127.0.0.1:5701"},
            {"sweep", "--cluster", "hazelcast", "--members", "host:99999"},
            {"sweep", "--cluster", "hazelcast", "--members", "a b"},
            {"sweep", "--cluster", "hazelcast", "--cells-here", "-1"},
            {"sweep", "--cluster", "hazelcast", "--port", "0"},
            {"worker", "--cluster", "spark"},
            {"worker"},
            {"worker", "--cluster", "hazelcast", "--threads", "0"},
            {"worker", "--cluster", "hazelcast", "--cluster-name", " "}
        };
        List<String> expected = List.of(
                "--cluster",
                "--members",
                "port must be",
                "--members",
                "--cells-here",
                "--port",
                "--cluster",
                "--cluster",
                "--threads",
                "--cluster-name");
        for (int i = 0; i < cases.length; i++) {
            TrainCommandTest.Result r = TrainCommandTest.run(SweepAndReportCommandTest.with(cases[i], "--quiet"));
            assertEquals(Main.EXIT_INPUT, r.code(), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().contains(expected.get(i)), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().startsWith("widenet: "), r.err());
            assertEquals(
                    1,
                    r.err()
                            .strip()
                            .lines()
                            .filter(l -> !l.startsWith("Try 'widenet"))
                            .count(),
                    r.err());
        }
    }

    /** cells.csv without its last column (wall seconds). */
    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream()
                .map(l -> l.substring(0, l.lastIndexOf(',')))
                .toList();
    }
}
