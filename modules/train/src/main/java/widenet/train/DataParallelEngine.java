package widenet.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import widenet.kernel.Kernels;
import widenet.model.Network;

/**
 * A distributed engine that computes full-batch gradients data-parallel: the rows of X are split across workers,
 * each computes the loss and gradient of its rows, and the partial sums are added. Implementations live in
 * adapter artifacts outside the module graph (e.g. {@code widenet-spark}, class path only) and are found through
 * {@link ServiceLoader}, so the core modules never depend on an engine.
 */
public interface DataParallelEngine {

    /** Where and how to run: the engine's master URL, the number of partitions (0: the engine's default parallelism),
     *  and the kernel provider and threads each partition computes with. */
    record Settings(String master, int partitions, String kernels, int threadsPerPartition) {}

    /** The engine's name on the command line ({@code --data-parallel NAME}). */
    String name();

    /**
     * A network that trains like {@code local} on {@code data} but computes each forward pass on the full data set,
     * and the gradient with it, across the engine's workers. It owns {@code local} (its parameters are the weights
     * the trainer updates; closing the returned network closes it) and must only be given the full data set.
     */
    Network distribute(Kernels kernels, Network local, Dataset data, Settings settings);

    /**
     * What the engine chose for {@code distributed} (a network {@link #distribute} returned) where the settings left
     * it open, e.g. the partition count and the engine's version, for run.json. Empty by default.
     */
    default Map<String, Object> describe(Network distributed) {
        return Map.of();
    }

    /** The engine called {@code name}, or an {@link InputException} saying it is not on the class path. */
    static DataParallelEngine named(String name) {
        List<String> found = new ArrayList<>();
        for (DataParallelEngine e :
                ServiceLoader.load(DataParallelEngine.class, DataParallelEngine.class.getClassLoader())) {
            if (e.name().equals(name)) {
                return e;
            }
            found.add(e.name());
        }
        throw new InputException("--data-parallel " + name + ": the " + name + " adapter (widenet-" + name
                + ") is not on the class path" + (found.isEmpty() ? "" : " (found: " + String.join(", ", found) + ")")
                + "; run it through bin/widenet, which starts it");
    }
}
