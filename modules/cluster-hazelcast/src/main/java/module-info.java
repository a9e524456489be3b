/**
 * Width sweeps across a Hazelcast cluster: every sweep cell is a task on a durable executor (stored on its
 * partition's owner and backup, so a cell whose member dies runs again on another), the small result comes back
 * to the submitting member, which writes the usual sweep folder. Members join by TCP-IP with explicit addresses
 * (no multicast, no phone-home).
 */
// Hazelcast 5.7 ships no module descriptor: its automatic name com.hazelcast.core is stable (its manifest's
// Automatic-Module-Name), and HazelcastCellExecutor's API hands Hazelcast types to its users, so it is transitive.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module widenet.cluster.hazelcast {
    requires transitive widenet.sweep;
    requires transitive com.hazelcast.core;
    requires java.logging;
    // Hazelcast is an automatic module: it reads every resolved module but makes none resolve. These are the JDK
    // modules a member uses (jdeps; java.transaction.xa for the client protocol's exception table, sun.misc.Unsafe
    // in jdk.unsupported), resolved here so any launcher of widenet.cli works without --add-modules.
    requires java.management;
    requires java.naming;
    requires java.sql;
    requires java.transaction.xa;
    requires jdk.net;
    requires jdk.unsupported;

    exports widenet.cluster.hazelcast;

    provides widenet.sweep.ClusterEngine with
            widenet.cluster.hazelcast.HazelcastEngine;
}
