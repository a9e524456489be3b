package widenet.train.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Npy;
import widenet.train.CheckpointException;
import widenet.train.Dataset;

/**
 * A checkpoint folder whose every file matched its manifest's size and CRC32 when it was loaded
 * ({@link Checkpoints#load}). Layout: {@code manifest}, {@code checkpoint.json} ({@link CheckpointState}),
 * {@code init/<param>.npy} (the initial weights W(0) the metrics compare against), {@code params/<param>.npy}
 * (the weights at {@link #step()}), {@code state/<name>.npy} ({@link Network#extraState()}).
 */
public record Checkpoint(Path dir, CheckpointManifest manifest, CheckpointState state) {

    public long step() {
        return state.position().step();
    }

    /** Refuses a network or data set other than the ones that wrote this checkpoint. */
    public void requireCompatible(Network net, Dataset data) {
        List<String> params = net.parameters().stream().map(Parameter::name).toList();
        List<String> extra = net.extraState().stream().map(Parameter::name).toList();
        if (!net.kind().equals(state.networkKind())
                || !params.equals(state.parameters())
                || !extra.equals(state.state())) {
            throw new CheckpointException(dir + ": written by a " + state.networkKind() + " network with parameters "
                    + state.parameters() + (state.state().isEmpty() ? "" : " and state " + state.state())
                    + ", not by this "
                    + net.kind() + " network with " + params + (extra.isEmpty() ? "" : " and state " + extra));
        }
        CheckpointState.DataFingerprint now = CheckpointState.DataFingerprint.of(data);
        if (!now.equals(state.data())) {
            throw new CheckpointException(
                    dir + ": the training data differ from the checkpoint's (now " + now.describe()
                            + "; the checkpoint's " + state.data().describe() + "): was an --x/--y file changed?");
        }
    }

    /**
     * Restores the network to this checkpoint generically: the initial weights, one forward pass on the full data
     * and {@link Network#markInitialState()} (so the initial state the metrics compare against, e.g. S(0) of
     * Du et al., is what the original run captured at step 0), then the weights and extra state at {@link #step()}.
     */
    public void restore(Network net, Dataset data) {
        restore(net, data, () -> {});
    }

    /**
     * As {@link #restore(Network, Dataset)}, calling {@code atInitialState} while the network is at its restored
     * initial state (e.g. {@link Trainer#replayProbesAtStepZero()}).
     */
    public void restore(Network net, Dataset data, Runnable atInitialState) {
        requireCompatible(net, data);
        load(net.parameters(), "init");
        net.forward(data.x(), data.y());
        net.markInitialState();
        atInitialState.run();
        load(net.parameters(), "params");
        load(net.extraState(), "state");
        try {
            net.extraStateLoaded();
        } catch (RuntimeException e) {
            throw new CheckpointException(
                    dir.resolve("state") + ": cannot restore the " + net.kind() + " network's state: " + e.getMessage(),
                    e);
        }
    }

    /** Copies {@code folder/<name>.npy} into each parameter's value, checking the shape. */
    public void load(List<Parameter> params, String folder) {
        for (Parameter p : params) {
            Path file = dir.resolve(folder).resolve(p.name() + ".npy");
            try {
                if (p.vector()) {
                    try (FloatVec v = Npy.readVector(file, p.value().rows())) {
                        p.value().asVector().copyFrom(v);
                    }
                } else {
                    try (FloatMatrix m =
                            Npy.readMatrix(file, p.value().rows(), p.value().cols())) {
                        p.value().copyFrom(m);
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(file + ": cannot restore " + p.name() + ": " + e.getMessage(), e);
            }
        }
    }
}
