package widenet.cli;

import java.io.PrintWriter;
import java.util.List;
import widenet.train.RunListener;
import widenet.train.Trainer;

/** A run as the command line shows it: log lines on stdout (unless quiet), warnings on stderr, a progress bar. */
final class CliRunListener implements RunListener {
    private final boolean quiet;
    private final PrintWriter err;
    private Progress progress;

    CliRunListener(boolean quiet, PrintWriter err) {
        this.quiet = quiet;
        this.err = err;
    }

    @Override
    public void log(String line) {
        if (!quiet) {
            System.out.println(line);
        }
    }

    @Override
    public void warning(String message) {
        err.println("widenet: " + message);
    }

    @Override
    public void started(List<String> columns, long steps) {
        progress = Progress.create(quiet, steps, columns);
    }

    @Override
    public void onRow(Trainer.Row row) {
        progress.onRow(row);
    }

    @Override
    public void stopped() {
        if (progress != null) {
            progress.close();
        }
    }
}
