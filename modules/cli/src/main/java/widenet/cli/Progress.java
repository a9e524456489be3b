package widenet.cli;

import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import widenet.train.Trainer;

/**
 * Shows training progress: a progress bar with the loss and steps/s on a terminal; plain lines (at most one every
 * two seconds, plus the first and last) when the output is a file or a pipe.
 */
abstract class Progress implements Trainer.Listener, AutoCloseable {

    static Progress create(boolean quiet, long steps, List<String> columns) {
        if (quiet) {
            return new Progress() {
                @Override
                public void onRow(Trainer.Row row) {}

                @Override
                public void close() {}
            };
        }
        var console = System.console();
        return console != null && console.isTerminal() ? new Bar(steps) : new Lines(steps);
    }

    @Override
    public abstract void close();

    private static final class Bar extends Progress {
        private final ProgressBar bar;
        private boolean closed;

        Bar(long steps) {
            bar = new ProgressBarBuilder()
                    .setTaskName("train")
                    .setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" steps", 1)
                    .showSpeed()
                    .setUpdateIntervalMillis(250)
                    .build();
        }

        @Override
        public void onRow(Trainer.Row row) {
            bar.stepTo(row.step);
            bar.setExtraMessage(String.format("loss %.4g", row.loss));
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                bar.close();
            }
        }
    }

    private static final class Lines extends Progress {
        private final long steps;
        private long lastPrint;

        Lines(long steps) {
            this.steps = steps;
        }

        @Override
        public void onRow(Trainer.Row row) {
            long now = System.nanoTime();
            if (row.step == 0 || row.step == steps || now - lastPrint > 2_000_000_000L || !Double.isFinite(row.loss)) {
                lastPrint = now;
                double rate = row.elapsedSeconds > 0 ? row.step / row.elapsedSeconds : 0;
                System.out.printf(
                        "step %d/%d  loss %.6g  %.1f steps/s  %.1f s%n",
                        row.step, steps, row.loss, rate, row.elapsedSeconds);
                System.out.flush();
            }
        }

        @Override
        public void close() {}
    }
}
