package widenet.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import widenet.report.Report;
import widenet.train.internal.Json;

/**
 * {@code widenet serve}'s web server (the JDK's {@code jdk.httpserver}): read-only, confined to one folder.
 * <ul>
 *   <li>{@code /} — the runs, reproductions and sweeps under the folder, with their status;</li>
 *   <li>{@code /report/PATH} — the folder's {@code widenet report} page, drawn by {@link Report#render}, with a
 *       small script that polls {@code /api/state/PATH} every second and, when the folder changed (new metrics rows,
 *       a new status), fetches the page again and swaps its content in: the charts gain points without a reload;</li>
 *   <li>{@code /api/state/PATH} — {@code {"kind", "status", "rows", "version"}} as JSON;</li>
 *   <li>{@code /files/PATH} — a file as it is (metrics.csv, run.json, .npy…).</li>
 * </ul>
 * Every PATH is resolved inside the folder, symbolic links included; anything else is refused (403), as is every
 * method but GET and HEAD (405).
 */
final class Dashboard implements AutoCloseable {
    /** Folders deeper than this below the root are not listed (runs sit one or two levels down). */
    static final int MAX_DEPTH = 4;

    private final Path root;
    private final Path realRoot;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private Dashboard(Path root, HttpServer server) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
        this.server = server;
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Serves {@code root} on {@code bind:port} (port 0: any free one) until {@link #close()}. */
    static Dashboard start(Path root, String bind, int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(bind, port), 0);
        Dashboard d = new Dashboard(root, s);
        s.start();
        return d;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "read-only: GET and HEAD only\n");
                return;
            }
            String raw = ex.getRequestURI().getRawPath();
            String path = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (path.equals("/")) {
                send(ex, 200, "text/html; charset=utf-8", index());
            } else if (path.startsWith("/report/")) {
                Path dir = inside(ex, path.substring("/report/".length()));
                if (dir != null) {
                    report(ex, dir);
                }
            } else if (path.startsWith("/api/state/")) {
                Path dir = inside(ex, path.substring("/api/state/".length()));
                if (dir != null) {
                    send(ex, 200, "application/json", Json.toString(state(dir)));
                }
            } else if (path.startsWith("/files/")) {
                Path file = inside(ex, path.substring("/files/".length()));
                if (file != null) {
                    file(ex, file);
                }
            } else {
                send(ex, 404, "text/plain", "not found: " + path + "\n");
            }
        } catch (RuntimeException | IOException e) {
            // a client that went away, or a folder changing under us: the next poll tries again
            try {
                send(ex, 500, "text/plain", "widenet serve: " + e.getMessage() + "\n");
            } catch (IOException | RuntimeException ignored) {
                // the response had started or the connection is gone
            }
        }
    }

    /**
     * {@code relative} resolved inside the root, or null after answering 403 (outside the root: "..", an absolute
     * path, a link leading out) or 404 (nothing there).
     */
    private Path inside(HttpExchange ex, String relative) throws IOException {
        if (relative.indexOf('\0') >= 0 || relative.startsWith("/") || relative.contains("\\")) {
            send(ex, 403, "text/plain", "refused: not a path inside the served folder\n");
            return null;
        }
        for (String part : relative.split("/")) {
            if (part.equals("..")) {
                send(ex, 403, "text/plain", "refused: '..' leaves the served folder\n");
                return null;
            }
        }
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            send(ex, 403, "text/plain", "refused: outside the served folder\n");
            return null;
        }
        if (!Files.exists(p)) {
            send(ex, 404, "text/plain", "not found: " + relative + "\n");
            return null;
        }
        if (!p.toRealPath().startsWith(realRoot)) {
            send(ex, 403, "text/plain", "refused: a link out of the served folder\n");
            return null;
        }
        return p;
    }

    private void report(HttpExchange ex, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            send(ex, 404, "text/plain", "not a folder\n");
            return;
        }
        String html;
        try {
            html = Report.render(dir).html();
        } catch (RuntimeException e) {
            // e.g. a run whose first metrics row is not written yet: say so, and keep polling
            html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>widenet serve</title></head><body><main>"
                    + "<p>" + escape(e.getMessage() == null ? e.toString() : e.getMessage())
                    + "</p></main></body></html>";
        }
        Map<String, Object> s = state(dir);
        String rel = relative(dir);
        String bar = "<nav class=\"widenet-live\" style=\"font:13px sans-serif;padding:6px 12px;background:#eef\">"
                + "<a href=\"/\">all runs</a> · <span id=\"widenet-live\">"
                + escape(s.get("status") + " · " + s.get("rows") + " rows")
                + "</span> · <a href=\"/files/" + escape(rel) + "\">files</a></nav>\n<main id=\"widenet-report\">";
        html = html.replaceFirst("<main>", java.util.regex.Matcher.quoteReplacement(bar));
        html = html.replace("</body>", live(rel, s.get("version").toString()) + "</body>");
        send(ex, 200, "text/html; charset=utf-8", html);
    }

    /** The page's polling script: the page content is swapped when the folder's version changes. */
    private static String live(String rel, String version) {
        return """
                <script>
                (function () {
                  var version = %s, path = %s;
                  function tick() {
                    fetch('/api/state/' + path, {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (s) {
                      document.getElementById('widenet-live').textContent = s.status + ' · ' + s.rows + ' rows';
                      if (s.version === version) return;
                      return fetch('/report/' + path, {cache: 'no-store'}).then(function (r) { return r.text(); }).then(function (h) {
                        var doc = new DOMParser().parseFromString(h, 'text/html'), main = doc.getElementById('widenet-report');
                        if (main) { document.getElementById('widenet-report').innerHTML = main.innerHTML; version = s.version; }
                      });
                    }).catch(function () {}).then(function () { setTimeout(tick, 1000); });
                  }
                  setTimeout(tick, 1000);
                })();
                </script>
                """.formatted(
                        Json.toString(version), Json.toString(encodePath(rel)).replace("</", "<\\/"));
    }

    /** kind, status (from run.json / reproduction.json / sweep.json), metrics rows, and a version that changes with any file. */
    Map<String, Object> state(Path dir) throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        String kind = kind(dir);
        s.put("kind", kind == null ? "folder" : kind);
        s.put("status", status(dir));
        Path metrics = dir.resolve("metrics.csv");
        s.put("rows", Files.isRegularFile(metrics) ? rows(metrics) : 0);
        long[] v = {0, 0};
        Files.walkFileTree(
                dir, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                        v[0] = Math.max(v[0], a.lastModifiedTime().toMillis());
                        v[1] += a.size();
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE; // a checkpoint renamed away while we look
                    }
                });
        s.put("version", v[0] + "-" + v[1]);
        return s;
    }

    private static long rows(Path metrics) throws IOException {
        long lines = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(metrics)) {
            for (int k; (k = in.read(buf)) > 0; ) {
                for (int i = 0; i < k; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return Math.max(0, lines - 1); // the header
    }

    private static String kind(Path dir) {
        if (Files.isRegularFile(dir.resolve("sweep.json"))) {
            return "sweep";
        }
        if (Files.isRegularFile(dir.resolve("reproduction.json"))) {
            return "reproduction";
        }
        if (Files.isRegularFile(dir.resolve("metrics.csv"))) {
            return "run";
        }
        return null;
    }

    private static String status(Path dir) {
        for (String f : List.of("sweep.json", "reproduction.json", "run.json")) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                try {
                    Object st = Json.read(p).get("status");
                    return st == null ? "—" : st.toString();
                } catch (IOException | RuntimeException e) {
                    return "being written";
                }
            }
        }
        return "—";
    }

    private String index() throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(
                root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                        if (kind(d) != null) {
                            found.add(d);
                            // a reproduction's or sweep's own runs are on its page
                            return d.equals(root) || kind(d).equals("run")
                                    ? FileVisitResult.CONTINUE
                                    : FileVisitResult.SKIP_SUBTREE;
                        }
                        return d.getFileName() != null
                                        && d.getFileName().toString().startsWith(".")
                                        && !d.equals(root)
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
        found.sort((a, b) -> relative(a).compareTo(relative(b)));
        StringBuilder rows = new StringBuilder();
        for (Path d : found) {
            String rel = relative(d);
            Path metrics = d.resolve("metrics.csv");
            rows.append("<tr><td><a href=\"/report/")
                    .append(escape(encodePath(rel)))
                    .append("\">")
                    .append(escape(rel.isEmpty() ? "." : rel))
                    .append("</a></td><td>")
                    .append(kind(d))
                    .append("</td><td>")
                    .append(escape(status(d)))
                    .append("</td><td>")
                    .append(Files.isRegularFile(metrics) ? rows(metrics) : "")
                    .append("</td><td>")
                    .append(escape(Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS)
                            .toInstant()
                            .toString()
                            .replace('T', ' ')
                            .replaceAll("\\.\\d+Z$", "Z")))
                    .append("</td></tr>\n");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>widenet serve · "
                + escape(root.toString())
                + "</title><style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 10px;"
                + "border-bottom:1px solid #ddd;text-align:left}</style></head><body>\n<h1>widenet · "
                + escape(root.toString()) + "</h1>\n"
                + (found.isEmpty()
                        ? "<p>No runs, reproductions or sweeps here yet.</p>\n"
                        : "<table><tr><th>folder</th><th>kind</th><th>status</th><th>metrics rows</th><th>modified</th></tr>\n"
                                + rows + "</table>\n")
                + "</body></html>\n";
    }

    private void file(HttpExchange ex, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            StringBuilder list = new StringBuilder(
                    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>files</title></head><body><ul>\n");
            try (var s = Files.list(file)) {
                for (Path p : s.sorted().toList()) {
                    String rel = relative(p);
                    list.append("<li><a href=\"/files/")
                            .append(escape(encodePath(rel)))
                            .append("\">")
                            .append(escape(p.getFileName().toString()))
                            .append(Files.isDirectory(p) ? "/" : "")
                            .append("</a></li>\n");
                }
            }
            send(
                    ex,
                    200,
                    "text/html; charset=utf-8",
                    list.append("</ul></body></html>\n").toString());
            return;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".html")
                ? "text/html; charset=utf-8"
                : name.endsWith(".json")
                        ? "application/json"
                        : name.endsWith(".csv")
                                ? "text/csv; charset=utf-8"
                                : name.endsWith(".md")
                                        ? "text/markdown; charset=utf-8"
                                        : name.endsWith(".png")
                                                ? "image/png"
                                                : name.endsWith(".svg") ? "image/svg+xml" : "application/octet-stream";
        ex.getResponseHeaders().set("Content-Type", type);
        long size = Files.size(file);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : size == 0 ? -1 : size);
        if (!head && size > 0) {
            try (OutputStream o = ex.getResponseBody();
                    InputStream in = Files.newInputStream(file)) {
                in.transferTo(o);
            }
        }
    }

    private String relative(Path p) {
        return root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static String encodePath(String rel) {
        StringBuilder b = new StringBuilder();
        for (String part : rel.split("/")) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(java.net.URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
