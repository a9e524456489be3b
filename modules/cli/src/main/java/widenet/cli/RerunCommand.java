package widenet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import widenet.train.GracefulShutdown;
import widenet.train.RunRecord;
import widenet.train.RunSpec;
import widenet.train.RunSpecArguments;
import widenet.train.Runs;

/**
 * {@code widenet rerun DIR}: trains again the run spec that {@code DIR/run.json} records, into a new folder. With
 * the same thread count the new run is bit-identical to the recorded one (same seed, same draws, same steps).
 */
@Command(
        name = "rerun",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Train again the run recorded in a folder's run.json.",
        description = {
            "The same data, network, seed and steps into a new folder: the same numbers with the same thread count."
        })
final class RerunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A run folder (with run.json).")
    Path dir;

    @Option(names = "--out", description = "Output folder (default: runs/rerun-<time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder.")
    boolean force;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--print", description = "Print the recorded spec's widenet train arguments instead of training.")
    boolean print;

    @Override
    public Integer call() throws Exception {
        RunSpec recorded = Runs.recordedSpec(dir);
        PrintWriter err = spec.commandLine().getErr();
        if (print) {
            System.out.println("widenet train " + String.join(" ", RunSpecArguments.of(recorded)));
            return 0;
        }
        Path to = out != null
                ? out
                : Path.of(
                        "runs", "rerun-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (GracefulShutdown.Section section = GracefulShutdown.jvm().protect()) {
            RunRecord r = Runs.start(recorded, to, force, new CliRunListener(quiet, err));
            return TrainCommand.exitCode(r, err);
        }
    }
}
