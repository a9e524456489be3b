package widenet.sweep;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import widenet.train.InputException;

/** The cluster adapters are optional: absent (as here, where no adapter is on the path), the error says how to get one. */
class ClusterEngineTest {
    @Test
    void anAbsentHazelcastAdapterIsAnInputErrorSayingHowToGetIt() {
        InputException e = assertThrows(InputException.class, () -> ClusterEngine.named("hazelcast"));
        assertTrue(
                e.getMessage().contains("not installed")
                        && e.getMessage().contains("bin/widenet")
                        && e.getMessage().contains("WIDENET_MODULES"),
                e.getMessage());
    }

    @Test
    void anUnknownEngineNamesTheKnownOne() {
        InputException e = assertThrows(InputException.class, () -> ClusterEngine.named("mpi"));
        assertTrue(e.getMessage().contains("expected hazelcast, got 'mpi'"), e.getMessage());
    }
}
