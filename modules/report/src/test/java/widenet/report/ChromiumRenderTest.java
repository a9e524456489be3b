package widenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated report as a browser shows it: headless Chromium (Debian's {@code chromium}) lays the page out;
 * a probe script, added to a copy of the page (the report itself has no scripts), measures every chart's SVG
 * box and the drawn length/box of each data series, and {@code --dump-dom} hands the results back; a screenshot
 * must show the charts' colours. Skipped, with a message, when no Chromium is installed; {@code .ci/run} installs
 * it so CI runs it. The screenshot is kept as {@code target/chromium-report.png} for a person to look at.
 */
class ChromiumRenderTest {
    @TempDir
    Path tmp;

    private static final String PROBE = """
            <script>
            document.querySelectorAll('figure.chart').forEach(function (f) {
              var svg = f.querySelector('svg'), r = svg.getBoundingClientRect(), lines = 0, points = 0;
              f.querySelectorAll('g.series-line path').forEach(function (p) {
                var b = p.getBBox();
                if (p.getTotalLength() > 1 && (b.width > 0 || b.height > 0)) lines++;
              });
              f.querySelectorAll('g.series-point path, g.series-point circle, g.series-point ellipse').forEach(function (p) {
                var b = p.getBBox();
                if (b.width > 0 && b.height > 0) points++;
              });
              f.setAttribute('data-rendered', Math.round(r.width) + 'x' + Math.round(r.height) + ':' + lines + ':' + points);
            });
            document.body.setAttribute('data-probe', 'done');
            </script>
            """;

    static Optional<Path> chromium() {
        String env = System.getenv("WIDENET_CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs headless Chromium on {@code page} with {@code extra} arguments; returns its standard output. */
    private String browse(Path chrome, Path page, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                chrome.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyChartIsDrawnInTheBrowser() throws Exception {
        Optional<Path> chrome = chromium();
        assumeTrue(
                chrome.isPresent(),
                "headless Chromium not found on PATH (Debian: apt-get install -y chromium; "
                        + "or set WIDENET_CHROMIUM): browser rendering check skipped");
        Path dir = Folders.reproduction(tmp.resolve("du2019"));
        Report.Page page = Report.write(dir, null);
        assertTrue(page.charts() >= 10, page.charts() + " charts");

        String html = Files.readString(dir.resolve("report.html"));
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, html.replace("</body>", PROBE + "</body>"));
        String dom = browse(chrome.get(), probed, "--dump-dom", "--virtual-time-budget=5000");
        assertTrue(dom.contains("data-probe=\"done\""), "the probe ran");
        Matcher m = Pattern.compile("<figure[^>]*data-rendered=\"(\\d+)x(\\d+):(\\d+):(\\d+)\"[^>]*>")
                .matcher(dom);
        int figures = 0;
        while (m.find()) {
            figures++;
            int w = Integer.parseInt(m.group(1)), h = Integer.parseInt(m.group(2));
            int lines = Integer.parseInt(m.group(3)), points = Integer.parseInt(m.group(4));
            String fig = m.group();
            assertTrue(w >= 300 && h >= 180, "chart laid out at " + w + "×" + h + ": " + fig);
            assertTrue(lines + points > 0, "chart draws no data in the browser: " + fig);
        }
        assertEquals(page.charts(), figures, "every chart was rendered and measured");

        Path shot = tmp.resolve("shot.png");
        browse(chrome.get(), dir.resolve("report.html"), "--screenshot=" + shot, "--window-size=1280,5200");
        BufferedImage img = ImageIO.read(shot.toFile());
        assertTrue(img != null && img.getWidth() == 1280, "a 1280-wide PNG");
        Files.createDirectories(Path.of("target"));
        Files.copy(shot, Path.of("target/chromium-report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long ink = 0, firstSeriesBlue = 0, total = (long) img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (r + g + b < 600) {
                    ink++;
                }
                if (Math.abs(r - 0x1f) < 40 && Math.abs(g - 0x77) < 40 && Math.abs(b - 0xb4) < 40) {
                    firstSeriesBlue++;
                }
            }
        }
        double inkFraction = 4.0 * ink / total;
        assertTrue(inkFraction > 0.01, "the screenshot is nearly blank: " + inkFraction);
        assertTrue(firstSeriesBlue > 50, "the first series' blue is on screen (" + firstSeriesBlue + " samples)");
    }
}
