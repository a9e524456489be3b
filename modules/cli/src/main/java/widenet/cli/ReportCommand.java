package widenet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import widenet.report.Report;

/** {@code widenet report DIR}: a self-contained HTML page for a run, reproduction or sweep folder. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Write a self-contained HTML report of a run, reproduction or sweep.",
        description = {
            "Inline SVG charts, no scripts, nothing fetched. The folder is recognised by its files: metrics.csv, reproduction.json or sweep.json."
        })
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run, reproduction or sweep folder.")
    Path dir;

    @Option(
            names = "--out",
            paramLabel = "FILE.html",
            description = "Where to write the page (default: DIR/report.html).")
    Path out;

    @Option(names = "--quiet", description = "Print nothing on success.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        headless();
        Path target = out != null ? out : dir.resolve("report.html");
        Report.Page page = Report.write(dir, target);
        if (!quiet) {
            System.out.println("report: " + target + " (" + page.kind().name().toLowerCase(java.util.Locale.ROOT) + ", "
                    + page.charts() + " charts, " + page.html().length() / 1024 + " KiB)");
        }
        return 0;
    }

    /** Charts are drawn with AWT classes; no display is needed or wanted. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
