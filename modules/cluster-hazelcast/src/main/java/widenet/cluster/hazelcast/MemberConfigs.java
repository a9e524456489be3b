package widenet.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.DurableExecutorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.logging.Level;
import java.util.logging.Logger;
import widenet.sweep.ClusterOptions;

/** The Hazelcast configuration of a widenet member: TCP-IP join, no multicast, no phone-home, quiet logging. */
final class MemberConfigs {
    /** The durable executor that runs sweep cells. */
    static final String EXECUTOR = "widenet-sweep-cells";
    /** Member attribute: how many cells the member trains at once (its executor's pool size). */
    static final String CELL_THREADS = "widenet.cell-threads";

    /** Held so the level stays set (java.util.logging keeps loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private MemberConfigs() {}

    /**
     * @param cellThreads cells this member trains at once; 0 makes it a lite member, which owns no partitions and
     *                    so runs no cells (it only submits)
     */
    static Config member(ClusterOptions options, int cellThreads) {
        HAZELCAST_LOG.setLevel(Level.WARNING); // the banner and every join/migration line are INFO
        Config c = new Config();
        c.setClusterName(options.clusterName());
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        // SIGINT/SIGTERM: leave the cluster gracefully (partitions and the stored cell tasks move to the others).
        c.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        c.setLiteMember(cellThreads == 0);
        c.getMemberAttributeConfig().setAttribute(CELL_THREADS, Integer.toString(cellThreads));

        NetworkConfig net = c.getNetworkConfig();
        net.setPort(options.port()).setPortAutoIncrement(true).setPortCount(100);
        if (options.loopbackOnly()) {
            net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
            c.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig()
                .setEnabled(true)
                .setMembers(options.members().isEmpty() ? java.util.List.of("127.0.0.1") : options.members());

        // Durability 1: each cell task is also stored on the partition's backup, which runs it if the owner dies.
        c.addDurableExecutorConfig(new DurableExecutorConfig(EXECUTOR)
                .setPoolSize(Math.max(1, cellThreads))
                .setDurability(1)
                .setCapacity(DurableExecutorConfig.DEFAULT_RING_BUFFER_CAPACITY));
        c.getSerializationConfig().addDataSerializableFactory(WireFormat.FACTORY_ID, new WireFormat());
        return c;
    }
}
