package widenet.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import widenet.train.InputException;

/**
 * Where a member finds its cluster.
 *
 * @param members     addresses {@code host} or {@code host:port} of members to join (TCP-IP); empty means this
 *                    machine only: 127.0.0.1, where Hazelcast tries the ports from {@code port} up
 * @param clusterName members join only a cluster of the same name
 * @param port        the first port this member binds to (the next free one above it is taken when it is busy)
 */
public record ClusterOptions(List<String> members, String clusterName, int port) {
    public static final String DEFAULT_CLUSTER_NAME = "widenet";
    public static final int DEFAULT_PORT = 5701;

    private static final Pattern ADDRESS =
            Pattern.compile("[A-Za-z0-9._-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    public ClusterOptions {
        members = List.copyOf(members);
        for (String m : members) {
            if (!ADDRESS.matcher(m).matches()) {
                throw new InputException("--members: expected host or host:port, comma-separated, got '" + m + "'");
            }
            int colon = m.lastIndexOf(':');
            if (colon > 0 && !m.endsWith("]") && m.indexOf(':') == colon) {
                int p = Integer.parseInt(m.substring(colon + 1));
                if (p < 1 || p > 65535) {
                    throw new InputException("--members: port must be in 1…65535, got " + p + " in '" + m + "'");
                }
            }
        }
        if (clusterName == null || clusterName.isBlank()) {
            throw new InputException("--cluster-name must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new InputException("--port must be in 1…65535, got " + port);
        }
    }

    /** From the command line's option values ({@code null} for an option left out). */
    public static ClusterOptions of(List<String> members, String clusterName, Integer port) {
        List<String> list = new ArrayList<>();
        if (members != null) {
            for (String m : members) {
                if (!m.isBlank()) {
                    list.add(m.strip());
                }
            }
        }
        return new ClusterOptions(
                list, clusterName != null ? clusterName : DEFAULT_CLUSTER_NAME, port != null ? port : DEFAULT_PORT);
    }

    /** True when every member is on this machine (or none is given): members then bind to loopback only. */
    public boolean loopbackOnly() {
        return members.stream()
                .map(ClusterOptions::host)
                .allMatch(h -> h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]"));
    }

    private static String host(String member) {
        if (member.startsWith("[")) {
            return member.substring(0, member.indexOf(']') + 1);
        }
        int colon = member.indexOf(':');
        return colon < 0 ? member : member.substring(0, colon);
    }
}
