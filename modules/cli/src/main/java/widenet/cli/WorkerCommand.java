package widenet.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import widenet.sweep.ClusterEngine;
import widenet.sweep.ClusterOptions;
import widenet.train.InputException;

/**
 * {@code widenet worker --cluster hazelcast}: a cluster member that only trains sweep cells, until SIGINT/SIGTERM
 * (then it leaves the cluster gracefully: the cells it held move to the other members).
 */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Join a cluster that trains the cells of sweeps.",
        description = {
            "A member for 'widenet sweep --cluster hazelcast', until stopped (Ctrl-C or SIGTERM leave the cluster cleanly). A cell whose member dies runs again on another member."
        })
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "ENGINE", description = "The cluster engine: hazelcast.")
    String cluster;

    @Option(
            names = "--members",
            split = ",",
            paramLabel = "HOST[:PORT]",
            description = "Members to join (default: 127.0.0.1, this machine only).")
    List<String> members;

    @Option(
            names = "--cluster-name",
            description = "The cluster's name (default: " + ClusterOptions.DEFAULT_CLUSTER_NAME + ").")
    String clusterName;

    @Option(
            names = "--port",
            description = "First port this member binds to (default: " + ClusterOptions.DEFAULT_PORT
                    + ", the next free one above).")
    Integer port;

    @Option(
            names = "--threads",
            description =
                    "Cells trained at once; each uses the sweep's --threads-per-cell kernel threads (default: cores).")
    Integer threads;

    @Option(names = "--quiet", description = "No line per cell.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!"hazelcast".equals(cluster)) {
            throw new InputException("--cluster: expected hazelcast, got '" + cluster + "'");
        }
        int cells = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ClusterEngine engine = ClusterEngine.named(cluster);
        AtomicInteger count = new AtomicInteger();
        ClusterEngine.Worker worker = engine.worker(ClusterOptions.of(members, clusterName, port), cells, r -> {
            int k = count.incrementAndGet();
            if (!quiet) {
                System.out.println(CellLine.of(k, r, false));
                System.out.flush();
            }
        });
        System.out.println("widenet " + Main.version() + " · worker joined " + worker.describe() + "; trains up to "
                + cells + " cell(s) at once; Ctrl-C leaves the cluster");
        System.out.flush();
        worker.awaitStop();
        System.out.println("widenet worker: left the cluster after " + worker.cellsFinished() + " cell(s)");
        return 0;
    }
}
