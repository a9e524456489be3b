package widenet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import widenet.kernel.KernelProviders;
import widenet.reproduce.Reproduction;
import widenet.reproduce.ReproductionContext;
import widenet.reproduce.ReproductionOptions;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;
import widenet.train.RunFolder;
import widenet.train.internal.CheckpointPolicy;
import widenet.train.internal.Json;
import widenet.train.internal.RunLock;

/** {@code widenet reproduce NAME}: a paper's experiment, as run folders plus a summary against the paper's numbers. */
@Command(
        name = "reproduce",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Reproduce a paper's experiment beside the paper's own numbers.",
        description = {
            "Writes one standard run folder per variant, theory.json, summary.md (the paper's numbers, widenet's, their ratio, and the checks), reproduction.json and series/*.csv.",
            "NAME: du2019 (Du et al. 2019, Figure 1), arora2019 (Arora et al. 2019, true vs random labels on Fashion-MNIST), nguyen-mondelli2020 (one wide layer, then a pyramid), nguyen2021 (deep ReLU, one wide layer, LeCun/He/NTK init), gao2022 (implicit network, γ small vs too large)."
        })
final class ReproduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "NAME",
            description = "du2019, arora2019, nguyen-mondelli2020, nguyen2021 or gao2022.")
    String name;

    @Option(names = "--quick", description = "Small sizes: under a minute on 2 cores (what the test suite runs).")
    boolean quick;

    @Option(names = "--out", description = "Output folder (default: runs/reproduce-NAME-<time>).")
    Path out;

    @Option(
            names = "--force",
            description = {
                "Start afresh in a non-empty --out folder, recomputing every variant.",
                "Without it, the same command on the same --out continues a killed or stopped reproduction."
            })
    boolean force;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "K|Ns",
            description =
                    "Each variant's checkpoint cadence: every K steps, or every N seconds (e.g. 60s, the default); 0: only when stopped.")
    String checkpointEvery;

    @Option(
            names = "--kernels",
            description = "Kernel provider (default: ${DEFAULT-VALUE}).",
            defaultValue = KernelProviders.DEFAULT)
    String kernels;

    @Mixin
    ThreadOptions threads = new ThreadOptions();

    @Option(names = "--verbose", description = "Show each run's own progress lines.")
    Boolean verbose;

    // ---- overrides of a reproduction's defaults (each reproduction says which it reads) ----

    @Option(names = "--n", description = "Samples (gao2022: training images, n/2 per class).")
    Integer n;

    @Option(names = "--d", description = "Input dimension (du2019, nguyen-mondelli2020, nguyen2021).")
    Integer d;

    @Option(
            names = "--widths",
            split = ",",
            description =
                    "Widths, comma-separated (du2019: m; nguyen-mondelli2020: n₁; nguyen2021: the wide layer; gao2022: m).")
    List<Integer> widths;

    @Option(
            names = {"--width", "--m"},
            description = "Width (arora2019).")
    Integer width;

    @Option(names = "--steps", description = "Gradient steps per run.")
    Long steps;

    @Option(
            names = {"--lr", "--eta"},
            description = "Step size η.")
    Double lr;

    @Option(names = "--seed", description = "Seed (data, initialisation, random labels).")
    Long seed;

    @Option(names = "--kappa", description = "Initial scale κ (arora2019).")
    Double kappa;

    @Option(names = "--theory-every", description = "λ_min(H(k)) every K steps.")
    Long theoryEvery;

    @Option(names = "--every", description = "Metrics row every K steps.")
    Long every;

    @Option(
            names = "--data",
            description = "Folder with the Fashion-MNIST IDX files (arora2019, gao2022; default: Debian's).")
    Path data;

    @Option(names = "--classes", split = ",", description = "The two Fashion-MNIST classes, e.g. 0,1 (arora2019).")
    List<Integer> classes;

    @Option(names = "--fractions", split = ",", description = "Fractions of random labels, e.g. 0,0.5,1 (arora2019).")
    List<Double> fractions;

    /** Options every reproduction accepts. */
    private static final List<String> COMMON = List.of(
            "--quick",
            "--out",
            "--force",
            "--checkpoint-every",
            "--kernels",
            "--threads",
            "--verbose",
            "--help",
            "--version");
    /** Options that only steer an invocation: not recorded, free to change when a reproduction is continued. */
    private static final Set<String> RUN_CONTROL = Set.of("--out", "--force", "--checkpoint-every", "--verbose");
    /** The reproduction's name and options, recorded in its folder when it starts, compared when it is continued. */
    static final String COMMAND_FILE = "reproduce-command.json";

    @Override
    public Integer call() throws Exception {
        Map<String, Supplier<Reproduction>> all = Reproduction.all();
        Supplier<Reproduction> s = all.get(name);
        if (s == null) {
            throw new InputException(
                    "unknown reproduction '" + name + "'; available: " + String.join(", ", all.keySet()));
        }
        Reproduction r = s.get();
        List<String> unused = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            boolean known = false;
            for (String on : o.names()) {
                known |= COMMON.contains(on) || r.options().contains(on);
            }
            if (!known) {
                unused.add(o.longestName());
            }
        }
        if (!unused.isEmpty()) {
            throw new InputException("reproduce " + name + " does not use " + String.join(", ", unused)
                    + (r.options().isEmpty()
                            ? ""
                            : "; it takes "
                                    + String.join(
                                            ", ", r.options().stream().sorted().toList())));
        }
        threads.validate();
        ReproductionOptions options = options();
        r.checkRunnable(options);
        KernelProviders.named(kernels); // fail before any folder is made
        if (checkpointEvery != null) {
            CheckpointPolicy.parse(checkpointEvery);
        }
        Path dir = out != null
                ? out
                : Path.of(
                        "runs",
                        "reproduce-" + name + "-"
                                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Map<String, Object> command = recordCommand();
        boolean continuing = !force && Files.isRegularFile(dir.resolve(COMMAND_FILE));
        RunFolder folder;
        if (continuing) {
            requireSameCommand(dir, command);
            folder = RunFolder.existing(dir);
        } else {
            folder = RunFolder.create(dir, force);
        }
        GracefulShutdown shutdown = GracefulShutdown.jvm();
        // The lock keeps a second reproduction out of the folder; the section makes SIGINT/SIGTERM wait for the
        // message below (the variant being trained checkpoints and stops at its next step boundary).
        try (RunLock lock = RunLock.acquire(folder.root());
                GracefulShutdown.Section section = shutdown.protect()) {
            Json.write(folder.resolve(COMMAND_FILE), command);
            ReproductionContext ctx = new ReproductionContext(
                    r,
                    options,
                    folder,
                    force,
                    shutdown,
                    verbose -> new CliRunListener(!verbose, new java.io.PrintWriter(System.err, true)),
                    Main.version());
            if (continuing) {
                ctx.log(name + ": continuing the reproduction in " + dir
                        + " (finished variants are kept, an unfinished one resumes from its checkpoint)");
            }
            try {
                r.run(ctx);
            } catch (ReproductionContext.Interrupted e) {
                spec.commandLine()
                        .getErr()
                        .println("widenet: " + e.getMessage() + "; continue with: " + resumeCommand(dir));
                spec.commandLine().getErr().flush();
                return TrainCommand.EXIT_INTERRUPTED;
            }
            ctx.log(String.format(
                    "%s: finished in %s → %s",
                    name,
                    ReproductionContext.duration(ctx.elapsed()),
                    folder.root().resolve("summary.md")));
            return 0;
        }
    }

    /** What the reproduction reads of this command line. */
    private ReproductionOptions options() {
        return new ReproductionOptions(
                quick,
                kernels,
                threads.count(),
                checkpointEvery,
                Boolean.TRUE.equals(verbose),
                n,
                d,
                widths,
                width,
                steps,
                lr,
                seed,
                kappa,
                theoryEvery,
                every,
                data,
                classes,
                fractions);
    }

    /** NAME and every option that shapes the results, by its first name (threads as the effective count), JSON-ready. */
    private Map<String, Object> recordCommand() {
        Map<String, Object> options = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String on = o.names()[0];
            if (RUN_CONTROL.contains(on) || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            Object v = on.equals("--threads") ? (Integer) threads.count() : o.getValue();
            options.put(on, v instanceof Path p ? p.toString() : v);
        }
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("name", name);
        command.put("options", options);
        // Through JSON and back, so that it compares with the recorded copy value by value.
        return Json.parse(Json.toString(command).getBytes(StandardCharsets.UTF_8), COMMAND_FILE);
    }

    /** Refuses to continue a reproduction in {@code dir} with another name or other options, naming the first that differs. */
    private static void requireSameCommand(Path dir, Map<String, Object> now) throws IOException {
        Map<String, Object> was = Json.read(dir.resolve(COMMAND_FILE));
        String advice = ": give the same options to continue it, or --force to start afresh (or another --out)";
        if (!String.valueOf(now.get("name")).equals(String.valueOf(was.get("name")))) {
            throw new InputException("--out " + dir + " holds a reproduction of " + was.get("name") + ", not "
                    + now.get("name") + "; choose another folder or add --force to overwrite");
        }
        Map<?, ?> before = was.get("options") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> after = (Map<?, ?>) now.get("options");
        for (Object option : after.keySet()) {
            Object a = before.get(option), b = after.get(option);
            if (!String.valueOf(a).equals(String.valueOf(b)) && !widenet.train.RunSpecJson.same(a, b)) {
                throw new InputException("the reproduction in " + dir + " was run " + describe(option, a) + ", not "
                        + describe(option, b) + advice);
            }
        }
    }

    private static String describe(Object option, Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return "without " + option;
        }
        if (Boolean.TRUE.equals(value)) {
            return "with " + option;
        }
        return "with " + option + " "
                + (value instanceof List<?> l
                        ? String.join(",", l.stream().map(String::valueOf).toList())
                        : value);
    }

    /** This command line without --force, with --out: what continues the reproduction. */
    private String resumeCommand(Path dir) {
        return ContinueCommandLine.of(spec, out != null, dir);
    }
}
