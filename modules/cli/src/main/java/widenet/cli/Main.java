package widenet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import widenet.files.FileErrors;
import widenet.files.InvalidInputException;
import widenet.train.DivergenceException;
import widenet.train.InputException;

/**
 * Entry point. Exit codes: 0 success, 2 bad input (options, files, data), 3 training diverged, 1 anything else.
 * Errors are one line naming the problem, never a stack trace (set WIDENET_DEBUG=1 to see one).
 *
 * <p>The one error hierarchy: bad input is an {@link InvalidInputException} (most often its subclass
 * {@link InputException}: a setting, a file's content, a run folder; and {@code CheckpointException},
 * {@code OutputException}), an {@link IOException} (a file that
 * cannot be read or written: missing, a folder, permission, disk full; the format errors of {@code .npy}, IDX and
 * CSV files are IOExceptions too) or a picocli parameter error: exit 2 with the one-line message. A
 * {@link DivergenceException} is exit 3. Anything else, {@link IllegalArgumentException} included, is a programming
 * error: exit 1, "internal error: …", and how to see the stack trace.
 */
@Command(
        name = "widenet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Train over-parameterized ReLU networks by gradient descent and watch the convergence theory.",
        subcommands = {
            TrainCommand.class,
            RerunCommand.class,
            TheoryCommand.class,
            ReproduceCommand.class,
            SweepCommand.class,
            NtkGapCommand.class,
            ReportCommand.class,
            WorkerCommand.class,
            PredictCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    public static final int EXIT_INPUT = 2;
    public static final int EXIT_DIVERGED = 3;

    public static void main(String[] args) {
        widenet.train.GracefulShutdown.jvm().ownsProcess();
        int code = run(args);
        widenet.train.GracefulShutdown.jvm().exiting();
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)} with error messages going to {@code err}. */
    public static int run(PrintWriter err, String... args) {
        for (String a : args) {
            if (a != null && a.indexOf('\uFFFD') >= 0) {
                // The JVM decoded argv with the locale's charset and found bytes that are not text in it: the name
                // widenet would use is not the name given, so a file would be read or written under another name.
                err.println("widenet: argument '" + a + "' is not valid text in this locale's character set ("
                        + System.getProperty("sun.jnu.encoding")
                        + "); rename the file, or run in a UTF-8 locale (e.g. LC_ALL=C.UTF-8)");
                return EXIT_INPUT;
            }
        }
        for (String a : args) {
            String refused =
                    a != null && a.startsWith("@") && !a.startsWith("@@") ? argumentFileProblem(a.substring(1)) : null;
            if (refused != null) {
                err.println("widenet: argument file " + a + ": " + refused);
                return EXIT_INPUT;
            }
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(err);
        cl.registerConverter(Path.class, Main::path);
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
            return report(ex, e);
        });
        if (java.util.Arrays.stream(args).anyMatch(a -> a != null && a.startsWith("@"))) {
            // picocli reads "@file" arguments as argument files; one it cannot read (a folder, no permission) is
            // reported by execute() with a stack trace and exit 1, so check them here first (found by fuzzing).
            try {
                new CommandLine(new Main()).parseArgs(args);
            } catch (CommandLine.InitializationException ex) {
                Throwable cause = ex.getCause();
                err.println("widenet: " + ex.getMessage()
                        + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""));
                return EXIT_INPUT;
            } catch (CommandLine.ParameterException ex) {
                // execute() reports it below
            }
        }
        return cl.execute(args);
    }

    /** Largest argument file read: a list of options, never data. */
    static final long MAX_ARGUMENT_FILE_BYTES = 1 << 20;

    /**
     * Why picocli must not read the argument file {@code name} (null: let it): a FIFO or device would block or
     * never end ({@code @/dev/zero}), a huge file is not a list of options. Folders and unreadable files are left
     * to picocli's own message.
     */
    static String argumentFileProblem(String name) {
        try {
            Path p = Path.of(name);
            if (!java.nio.file.Files.exists(p) || java.nio.file.Files.isDirectory(p)) {
                return null;
            }
            if (!java.nio.file.Files.isRegularFile(p)) {
                return "is not a regular file (a FIFO, device or socket); an argument file is a text file of options";
            }
            long size = java.nio.file.Files.size(p);
            if (size > MAX_ARGUMENT_FILE_BYTES) {
                return size + " bytes, more than an argument file's " + MAX_ARGUMENT_FILE_BYTES;
            }
        } catch (IOException | InvalidPathException e) {
            return null;
        }
        return null;
    }

    /** A path option's value; one the platform cannot represent is a parameter error in the user's terms. */
    static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not a path this system can use ("
                    + e.getReason() + " in the locale's character set " + System.getProperty("sun.jnu.encoding")
                    + "; run in a UTF-8 locale, e.g. LC_ALL=C.UTF-8)");
        }
    }

    /** Prints the one line for an exception a command threw and returns the exit code (see the class comment). */
    static int report(Throwable ex, PrintWriter e) {
        if (ex instanceof DivergenceException) {
            e.println("widenet: " + ex.getMessage());
            return EXIT_DIVERGED;
        }
        if (ex instanceof InvalidInputException || ex instanceof IOException || ex instanceof UncheckedIOException) {
            e.println("widenet: " + message(ex));
            return EXIT_INPUT;
        }
        String what = ex.getMessage() == null
                ? ex.getClass().getSimpleName()
                : ex.getClass().getSimpleName() + ": " + ex.getMessage();
        e.println("widenet: internal error: " + what
                + " (a bug in widenet, not in what you gave it; set WIDENET_DEBUG=1 for the stack trace)");
        return 1;
    }

    /** The message of a bad-input exception; a file problem as "FILE: reason", never a Java class name. */
    static String message(Throwable ex) {
        if (ex instanceof UncheckedIOException u
                && u.getMessage() != null
                && !u.getMessage().equals(String.valueOf(u.getCause()))) {
            return u.getMessage();
        }
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof IOException io) {
            return FileErrors.describe(io);
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** The version of the module (set by the build), the JVM and the OS. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "widenet " + version(), "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
            };
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
