package widenet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import widenet.train.DivergenceException;
import widenet.train.InputException;

/**
 * Entry point. Exit codes: 0 success, 2 bad input (options, files, data), 3 training diverged, 1 anything else.
 * Errors are one line naming the problem, never a stack trace (set WIDENET_DEBUG=1 to see one).
 */
@Command(name = "widenet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train over-parameterized ReLU networks by gradient descent and watch the convergence theory.",
        subcommands = {TrainCommand.class, TheoryCommand.class, ReproduceCommand.class, SweepCommand.class,
                ReportCommand.class, WorkerCommand.class, PredictCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_INPUT = 2;
    public static final int EXIT_DIVERGED = 3;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)} with error messages going to {@code err}. */
    public static int run(PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("widenet: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter e = c.getErr();
            if (System.getenv("WIDENET_DEBUG") != null) {
                ex.printStackTrace(e);
            }
            if (ex instanceof DivergenceException) {
                e.println("widenet: " + ex.getMessage());
                return EXIT_DIVERGED;
            }
            if (ex instanceof InputException || ex instanceof IllegalArgumentException || ex instanceof IOException
                    || ex instanceof UncheckedIOException) {
                e.println("widenet: " + message(ex));
                return EXIT_INPUT;
            }
            e.println("widenet: internal error: " + ex + " (set WIDENET_DEBUG=1 for the stack trace)");
            return 1;
        });
        if (java.util.Arrays.stream(args).anyMatch(a -> a != null && a.startsWith("@"))) {
            // picocli reads "@file" arguments as argument files; one it cannot read (a folder, no permission) is
            // reported by execute() with a stack trace and exit 1, so check them here first (found by fuzzing).
            try {
                new CommandLine(new Main()).parseArgs(args);
            } catch (CommandLine.InitializationException ex) {
                Throwable cause = ex.getCause();
                err.println("widenet: " + ex.getMessage() + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""));
                return EXIT_INPUT;
            } catch (CommandLine.ParameterException ex) {
                // execute() reports it below
            }
        }
        return cl.execute(args);
    }

    private static String message(Exception ex) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String m = t.getMessage();
        return m == null ? t.toString() : m;
    }

    /** The version of the module (set by the build), the JVM and the OS. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"widenet " + version(), "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }

    /** The module's version; on the class path (Spark) the jar manifest's; "dev" when run from classes. */
    static String version() {
        if (Main.class.getModule().getDescriptor() != null) {
            return Main.class.getModule().getDescriptor().rawVersion().orElse("dev");
        }
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
