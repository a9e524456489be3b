package widenet.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import widenet.train.InputException;

/**
 * A cluster that trains sweep cells on several machines ({@code widenet sweep --cluster NAME}, {@code widenet
 * worker --cluster NAME}). Implementations live in optional modules (e.g. {@code widenet.cluster.hazelcast}) found
 * through {@link ServiceLoader}, so the command line and its runtime image carry no cluster library unless one is
 * asked for.
 */
public interface ClusterEngine {

    /** The engine's name on the command line ({@code --cluster NAME}). */
    String name();

    /** Joins (or founds) the cluster as the member that submits a sweep's cells; it trains {@code cellsHere} itself (0: none). */
    Submitter submitter(ClusterOptions options, int cellsHere);

    /** Joins (or founds) the cluster as a member that only trains cells, {@code cells} at once; {@code onCell} hears of each. */
    Worker worker(ClusterOptions options, int cells, Consumer<CellResult> onCell);

    /** The member that submits a sweep's cells: an executor that hands every cell to the cluster. */
    interface Submitter extends CellExecutor, AutoCloseable {
        /** Waits until at least {@code count} members that train cells are in the cluster ({@link InputException} after {@code timeout}). */
        void awaitDataMembers(int count, Duration timeout) throws InterruptedException;

        /** Members that train cells now. */
        int dataMembers();

        /** The cluster's name and members, for the log. */
        String describe();

        /** Median over the cells so far of the round trip minus the cell's own training time, in ms. */
        double medianOverheadMillis();

        @Override
        void close();
    }

    /** A member that only trains cells, until stopped. */
    interface Worker extends AutoCloseable {
        /** The cluster's name and members, for the log. */
        String describe();

        /** Cells this member has finished. */
        int cellsFinished();

        /** Blocks until the member has left the cluster. */
        void awaitStop() throws InterruptedException;

        @Override
        void close();
    }

    /** The engine called {@code name}, or an {@link InputException} saying how to get it when it is not installed. */
    static ClusterEngine named(String name) {
        List<String> found = new ArrayList<>();
        for (ClusterEngine e : ServiceLoader.load(ClusterEngine.class, ClusterEngine.class.getClassLoader())) {
            if (e.name().equals(name)) {
                return e;
            }
            found.add(e.name());
        }
        if (!name.equals("hazelcast")) {
            throw new InputException("--cluster: expected hazelcast, got '" + name + "'");
        }
        throw new InputException("--cluster hazelcast: the Hazelcast adapter (module widenet.cluster.hazelcast, ~21 MB"
                + " with Hazelcast) is not installed"
                + (found.isEmpty() ? "" : " (found: " + String.join(", ", found) + ")")
                + "; run it through bin/widenet from the source tree, which builds and adds it for --cluster and worker,"
                + " or put widenet-cluster-hazelcast-*.jar and hazelcast-*.jar in a folder named by WIDENET_MODULES"
                + " (docs/install.md)");
    }
}
