package widenet.cli;

import java.util.function.Predicate;
import picocli.CommandLine.Option;
import widenet.train.DataParallelEngine;
import widenet.train.EngineSpec;
import widenet.train.InputException;

/**
 * {@code widenet train --data-parallel spark --master URL [--partitions P]}: full-batch GD whose forward and
 * backward passes run on the partitions of X on a distributed engine, the update on this process. The engine is
 * an adapter outside the module graph, found at run time ({@link DataParallelEngine#named}); bin/widenet starts
 * the JVM on the class path that has it. The options become the run spec's {@link EngineSpec}.
 */
final class DataParallelOptions {
    static final String NONE = "none";
    static final String SPARK = "spark";

    @Option(
            names = "--data-parallel",
            paramLabel = "ENGINE",
            description =
                    "Compute full-batch gradients data-parallel on an engine: none or spark (default: ${DEFAULT-VALUE}).",
            defaultValue = NONE)
    String engine = NONE;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "With --data-parallel spark: the Spark master, local[N], spark://host:port or yarn (default: ${DEFAULT-VALUE}).",
            defaultValue = "local[*]")
    String master = "local[*]";

    @Option(
            names = "--partitions",
            paramLabel = "P",
            description =
                    "With --data-parallel: split the rows of X into P partitions (default: the engine's parallelism).")
    Integer partitions;

    /** The engine these options name; {@code given} says which options were typed. */
    EngineSpec spec(Predicate<String> given) {
        if (engine.equals(NONE)) {
            for (String o : new String[] {"--master", "--partitions"}) {
                if (given.test(o)) {
                    throw new InputException(o + " applies only with --data-parallel " + SPARK);
                }
            }
            return EngineSpec.LOCAL;
        }
        return new EngineSpec.DataParallel(engine, master, partitions);
    }
}
