package widenet.cluster.hazelcast;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import widenet.sweep.CellResult;

/**
 * What the cell tasks of one member (a Hazelcast instance of this JVM, by name) are doing: how many run now, how
 * many finished, and who is told about each finished one (the worker prints it).
 */
final class MemberCells {
    private static final ConcurrentHashMap<String, MemberCells> BY_INSTANCE = new ConcurrentHashMap<>();

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile Consumer<CellResult> onFinished = r -> {};

    static MemberCells of(String instanceName) {
        return BY_INSTANCE.computeIfAbsent(instanceName, k -> new MemberCells());
    }

    static void forget(String instanceName) {
        BY_INSTANCE.remove(instanceName);
    }

    void listen(Consumer<CellResult> listener) {
        onFinished = listener;
    }

    void started() {
        running.incrementAndGet();
    }

    void stopped() {
        running.decrementAndGet();
    }

    void finished(CellResult r) {
        finished.incrementAndGet();
        onFinished.accept(r);
    }

    int running() {
        return running.get();
    }

    int finished() {
        return finished.get();
    }
}
