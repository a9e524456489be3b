package widenet.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import widenet.kernel.KernelProviders;
import widenet.train.InputException;
import widenet.train.RunFolder;

/** {@code widenet reproduce NAME}: a paper's experiment, as run folders plus a summary against the paper's numbers. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce a paper's experiment: one standard run folder per variant, theory.json, summary.md",
                "(the paper's numbers, widenet's, their ratio, and the checks), reproduction.json and series/*.csv.",
                "NAME: du2019 (Du et al. 2019, Figure 1), arora2019 (Arora et al. 2019, true vs random labels on",
                "Fashion-MNIST), nguyen-mondelli2020 (one wide layer, then a pyramid), nguyen2021 (deep ReLU, one wide",
                "layer, LeCun/He/NTK init), gao2022 (implicit network, γ small vs too large)."})
final class ReproduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "du2019, arora2019, nguyen-mondelli2020, nguyen2021 or gao2022.")
    String name;

    @Option(names = "--quick", description = "Small sizes: under a minute on 2 cores (what the test suite runs).")
    boolean quick;

    @Option(names = "--out", description = "Output folder (default: runs/reproduce-NAME-<time>).")
    Path out;

    @Option(names = "--force", description = "Write into a non-empty --out folder.")
    boolean force;

    @Option(names = "--kernels", description = "Kernel provider (default: ${DEFAULT-VALUE}).", defaultValue = KernelProviders.DEFAULT)
    String kernels;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--verbose", description = "Show each run's own progress lines.")
    Boolean verbose;

    // ---- overrides of a reproduction's defaults (each reproduction says which it reads) ----

    @Option(names = "--n", description = "Samples.")
    Integer n;

    @Option(names = "--d", description = "Input dimension (du2019, nguyen-mondelli2020, nguyen2021, gao2022).")
    Integer d;

    @Option(names = "--widths", split = ",", description = "Widths, comma-separated (du2019: m; nguyen-mondelli2020: n₁; nguyen2021: the wide layer; gao2022: m).")
    List<Integer> widths;

    @Option(names = {"--width", "--m"}, description = "Width (arora2019).")
    Integer width;

    @Option(names = "--steps", description = "Gradient steps per run.")
    Long steps;

    @Option(names = {"--lr", "--eta"}, description = "Step size η.")
    Double lr;

    @Option(names = "--seed", description = "Seed (data, initialisation, random labels).")
    Long seed;

    @Option(names = "--kappa", description = "Initial scale κ (arora2019).")
    Double kappa;

    @Option(names = "--theory-every", description = "λ_min(H(k)) every K steps.")
    Long theoryEvery;

    @Option(names = "--every", description = "Metrics row every K steps.")
    Long every;

    @Option(names = "--data", description = "Folder with the Fashion-MNIST IDX files (arora2019; default: Debian's).")
    Path data;

    @Option(names = "--classes", split = ",", description = "The two Fashion-MNIST classes, e.g. 0,1 (arora2019).")
    List<Integer> classes;

    @Option(names = "--fractions", split = ",", description = "Fractions of random labels, e.g. 0,0.5,1 (arora2019).")
    List<Double> fractions;

    /** Options every reproduction accepts. */
    private static final List<String> COMMON = List.of("--quick", "--out", "--force", "--kernels", "--threads", "--verbose",
            "--help", "--version");

    @Override
    public Integer call() throws Exception {
        Map<String, Supplier<Reproduction>> all = Reproduction.all();
        Supplier<Reproduction> s = all.get(name);
        if (s == null) {
            throw new InputException("unknown reproduction '" + name + "'; available: " + String.join(", ", all.keySet()));
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
                    + (r.options().isEmpty() ? "" : "; it takes " + String.join(", ", r.options().stream().sorted().toList())));
        }
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be at least 1, got " + threads);
        }
        r.checkRunnable(this);
        KernelProviders.named(kernels);   // fail before any folder is made
        Path dir = out != null ? out
                : Path.of("runs", "reproduce-" + name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        RunFolder folder = RunFolder.create(dir, force);
        ReproductionContext ctx = new ReproductionContext(r, this, folder);
        r.run(ctx);
        ctx.log(String.format("%s: finished in %s → %s", name, ReproductionContext.duration(ctx.elapsed()), folder.root().resolve("summary.md")));
        return 0;
    }
}
