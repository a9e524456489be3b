package widenet.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import java.util.stream.Collectors;
import widenet.train.InputException;

/** Starting a member and describing its cluster. */
final class Members {
    private Members() {}

    static HazelcastInstance start(Config config) {
        try {
            return Hazelcast.newHazelcastInstance(config);
        } catch (HazelcastException | IllegalStateException e) {
            throw new InputException("hazelcast: could not start a member of cluster '" + config.getClusterName()
                    + "': " + e.getMessage());
        }
    }

    /** Members that own partitions, i.e. train cells (lite members do not). */
    static int dataMembers(HazelcastInstance hz) {
        return (int) hz.getCluster().getMembers().stream()
                .filter(m -> !m.isLiteMember())
                .count();
    }

    /** "cluster 'name': 127.0.0.1:5701 (this), 127.0.0.1:5702, 127.0.0.1:5703 (lite)". */
    static String describe(HazelcastInstance hz) {
        Member self = hz.getCluster().getLocalMember();
        return "cluster '" + hz.getConfig().getClusterName() + "': "
                + hz.getCluster().getMembers().stream()
                        .map(m ->
                                m.getAddress().getHost() + ":" + m.getAddress().getPort()
                                        + (m.equals(self) ? " (this)" : "") + (m.isLiteMember() ? " (lite)" : ""))
                        .collect(Collectors.joining(", "));
    }
}
