package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code widenet serve}: the index, read-only answers, traversal refused, and — in headless Chromium driven over
 * the DevTools protocol — a run page whose chart gains points while the run's metrics.csv grows, without a reload.
 */
class ServeCommandTest {
    @TempDir
    Path tmp;

    /** A finished tiny run under root/name. */
    private Path train(Path root, String name, int steps) {
        Path run = root.resolve(name);
        TrainCommandTest.Result r = TrainCommandTest.run(
                "train",
                "--n",
                "16",
                "--d",
                "6",
                "--width",
                "24",
                "--steps",
                Integer.toString(steps),
                "--quiet",
                "--kernels",
                "scalar",
                "--out",
                run.toString());
        assertEquals(0, r.code(), r.err());
        return run;
    }

    private static int status(String url, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** The status line's code for a request sent byte for byte (no client normalises the path first). */
    private static int rawStatus(int port, String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream o = s.getOutputStream();
            o.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            return Integer.parseInt(line.split(" ")[1]);
        }
    }

    @Test
    void indexListsRunsAndNothingOutsideTheFolderIsServed() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("served"));
        train(root, "alpha", 3);
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(root.resolve("link-out"), tmp);
        try (Dashboard d = Dashboard.start(root, "127.0.0.1", 0)) {
            assertTrue(d.url().startsWith("http://127.0.0.1:"), d.url());
            String index = get(d.url());
            assertTrue(index.contains("href=\"/report/alpha\"") && index.contains("finished"), index);
            assertTrue(get(d.url() + "report/alpha").contains("<svg"), "the report's charts");
            assertTrue(get(d.url() + "api/state/alpha").contains("\"rows\" : 4"));
            assertEquals(200, status(d.url() + "files/alpha/metrics.csv", "GET"));
            for (String target : List.of(
                    "/files/../secret.txt",
                    "/files/alpha/../../secret.txt",
                    "/files/%2e%2e/secret.txt",
                    "/report/..",
                    "/files/..%2fsecret.txt",
                    "/files//etc/passwd",
                    "/files/link-out/secret.txt",
                    "/api/state/%2e%2e")) {
                int code = rawStatus(d.port(), target);
                assertTrue(code >= 400 && code < 500, target + " answered " + code);
            }
            assertEquals(404, status(d.url() + "files/nothing-here", "GET"));
            assertEquals(405, status(d.url() + "files/alpha/metrics.csv", "DELETE"));
            assertEquals(405, status(d.url(), "POST"));
        }
    }

    @Test
    void badOptionsAreOneLineInputErrors() {
        TrainCommandTest.Result r =
                TrainCommandTest.run("serve", tmp.resolve("missing").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a folder"), r.err());
        r = TrainCommandTest.run("serve", "--port", "70000", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--port must be in"), r.err());
    }

    static Optional<Path> chromium() {
        String env = System.getenv("WIDENET_CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Chromium's DevTools protocol over a WebSocket: one request at a time, answers matched by id. */
    static final class DevTools implements AutoCloseable {
        private final WebSocket socket;
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private int id;

        DevTools(String url) {
            socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                        private final StringBuilder part = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            part.append(data);
                            if (last) {
                                messages.add(part.toString());
                                part.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    })
                    .join();
        }

        /** The value of a JavaScript expression in the page (a number here). */
        String evaluate(String expression) throws InterruptedException {
            int n = ++id;
            socket.sendText(
                            "{\"id\":" + n + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
                                    + widenet.train.internal.Json.toString(expression) + ",\"returnByValue\":true}}",
                            true)
                    .join();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                String m = messages.poll(1, TimeUnit.SECONDS);
                if (m != null && m.startsWith("{\"id\":" + n + ",")) {
                    Matcher v = Pattern.compile("\"value\":(-?[0-9.]+)").matcher(m);
                    return v.find() ? v.group(1) : m;
                }
            }
            throw new AssertionError("no answer from Chromium to " + expression);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    /** Points of the page's first chart's first line (its path's vertices), -1 while there is none. */
    static final String POINTS = "(function(){var p=document.querySelector('figure.chart g.series-line path');"
            + "return p?(p.getAttribute('d').match(/[ML]/g)||[]).length:-1})()";

    @Test
    void aRunPageGainsPointsInChromiumWhileTheRunAdvances() throws Exception {
        Optional<Path> chrome = chromium();
        assumeTrue(
                chrome.isPresent(),
                "no Chromium on the PATH (Debian: apt-get install chromium; or WIDENET_CHROMIUM): skipped");
        Path root = Files.createDirectories(tmp.resolve("served"));
        Path done = train(tmp, "done", 40);
        // The "running" run: the finished run's files with only the first rows of metrics.csv, then rows appended
        // as a trainer does (whole lines, flushed).
        Path live = Files.createDirectories(root.resolve("live"));
        Files.copy(done.resolve("run.json"), live.resolve("run.json"));
        List<String> rows = Files.readAllLines(done.resolve("metrics.csv"));
        Files.write(live.resolve("metrics.csv"), rows.subList(0, 6));
        // Chromium's profile lives outside @TempDir: Chromium may still be writing into it for a moment after it was
        // told to exit, and JUnit's clean-up of @TempDir fails the test when a file appears while it deletes.
        Path profile = Files.createTempDirectory("widenet-serve-chromium");
        try (Dashboard d = Dashboard.start(root, "127.0.0.1", 0)) {
            Process p = new ProcessBuilder(
                            chrome.get().toString(),
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            "--user-data-dir=" + profile,
                            "--remote-debugging-port=0",
                            d.url() + "report/live")
                    .redirectErrorStream(true)
                    .start();
            try {
                String ws = null;
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder log = new StringBuilder();
                for (String line; ws == null && (line = out.readLine()) != null; ) {
                    log.append(line).append('\n');
                    Matcher m =
                            Pattern.compile("DevTools listening on (ws://\\S+)").matcher(line);
                    if (m.find()) {
                        ws = m.group(1);
                    }
                }
                assertTrue(ws != null, "Chromium printed no DevTools address:\n" + log);
                Thread drain = Thread.ofVirtual().start(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // Chromium exited
                    }
                });
                String pageSocket = pageTarget(URI.create(ws));
                try (DevTools page = new DevTools(pageSocket)) {
                    int before = awaitPoints(page, n -> n > 0, "the first points");
                    Files.write(
                            live.resolve("metrics.csv"),
                            rows.subList(6, rows.size()),
                            java.nio.file.StandardOpenOption.APPEND);
                    int after = awaitPoints(page, n -> n > before, "more points than " + before);
                    assertTrue(after > before, before + " → " + after);
                    assertEquals("1", page.evaluate("performance.getEntriesByType('navigation').length"), "no reload");
                }
                drain.interrupt();
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            deleteQuietly(profile);
        }
    }

    /** Best-effort removal of a folder tree (Chromium's profile; what cannot be removed now is left in /tmp). */
    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a file Chromium was still writing: left for /tmp's own clean-up
        }
    }

    private static int awaitPoints(DevTools page, java.util.function.IntPredicate ok, String what)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int n = -1;
        while (System.nanoTime() < end) {
            String v = page.evaluate(POINTS);
            n = v.matches("-?[0-9]+") ? Integer.parseInt(v) : -1;
            if (ok.test(n)) {
                return n;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the chart did not show " + what + " within 60 s (last: " + n + ")");
    }

    /** The WebSocket address of the browser's page (from /json/list on the DevTools port). */
    private static String pageTarget(URI browser) throws IOException, InterruptedException {
        String list = "http://" + browser.getHost() + ":" + browser.getPort() + "/json/list";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            String json = get(list);
            Matcher m = Pattern.compile(
                            "\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+)\"")
                    .matcher(json);
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Chromium lists no page at " + list);
    }
}
