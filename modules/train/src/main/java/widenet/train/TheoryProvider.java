package widenet.train;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import widenet.kernel.Kernels;
import widenet.model.Network;

/**
 * The theory beside a run's measurements: the probes that add columns to {@code metrics.csv} and what the run
 * records at its end ({@code theory.json}, run.json's {@code theory} section). The trainer never needs the theory,
 * so the module that has it ({@code widenet.theory}) provides this service and {@link Runs} finds it at run time;
 * without it a run has no theory columns ({@code --theory on} is refused).
 */
public interface TheoryProvider {

    /** The theory of {@code spec}'s run of {@code network} on {@code data}, or null when it has none. */
    RunTheory open(Kernels kernels, RunSpec spec, Network network, Dataset data, TrainSettings settings);

    /**
     * As {@link #open(Kernels, RunSpec, Network, Dataset, TrainSettings)} for a run with the held-out set
     * {@code test} (null: none), for theory that predicts the test loss too.
     */
    default RunTheory open(
            Kernels kernels, RunSpec spec, Network network, Dataset data, Dataset test, TrainSettings settings) {
        return open(kernels, spec, network, data, settings);
    }

    /**
     * λ_max of the empirical NTK K(0) = JJᵀ of {@code network} on the whole data set at its current weights, in the
     * units of GD on the summed loss (the basis of {@code --lr auto}); runs a forward pass on the data.
     */
    default double initialKernelLambdaMax(Kernels kernels, Network network, Dataset data) {
        throw new UnsupportedOperationException("this theory provider computes no empirical NTK");
    }

    /** The theory of one run session; closed (its buffers freed) with the run. */
    interface RunTheory extends AutoCloseable {
        /** The columns it adds, in order. */
        List<Probe> probes();

        /** Lines for the log before training starts (e.g. λ₀ and the predicted rate). */
        default List<String> startLines() {
            return List.of();
        }

        /** One-line warnings about the theory's premises (e.g. a singular kernel), printed and kept in run.json. */
        default List<String> warnings() {
            return List.of();
        }

        /** Seconds this session spent on theory outside the training loop (e.g. H∞ and its eigenvectors). */
        default double setupSeconds() {
            return 0;
        }

        /** At the end of the run (finished or diverged): its files in {@code folder}, its entries in {@code run}. */
        default void finish(RunFolder folder, Map<String, Object> run, Consumer<String> log) throws IOException {}

        @Override
        default void close() {}
    }

    /** The provider on the module or class path, or null. */
    static TheoryProvider find() {
        for (TheoryProvider p : ServiceLoader.load(TheoryProvider.class, TheoryProvider.class.getClassLoader())) {
            return p;
        }
        return null;
    }
}
