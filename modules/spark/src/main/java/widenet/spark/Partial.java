package widenet.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The contribution of some partitions to a full-batch step: Σ over their rows of the gradient of ½rᵢ² (packed as in
 * {@link WorkerSpec#gradientLength()}), of ½rᵢ², the number of activation patterns 1{w_rᵀxᵢ ≥ 0} that differ from
 * those at step 0, and how many of the partitions knew their step-0 patterns.
 */
final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Final in all but name: set once here or by {@link #readObject}. */
    transient float[] gradient;

    double halfSquaredResiduals;
    long patternChanges;
    int partitionsWithInitialPatterns;

    Partial(int gradientLength) {
        gradient = new float[gradientLength];
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        FloatArrays.write(out, gradient);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        gradient = FloatArrays.read(in);
    }

    /** this += other, element by element. */
    void add(Partial other) {
        float[] g = gradient;
        float[] o = other.gradient;
        if (g.length != o.length) {
            throw new IllegalStateException("partial gradients of " + g.length + " and " + o.length + " values");
        }
        for (int k = 0; k < g.length; k++) {
            g[k] += o[k];
        }
        halfSquaredResiduals += other.halfSquaredResiduals;
        patternChanges += other.patternChanges;
        partitionsWithInitialPatterns += other.partitionsWithInitialPatterns;
    }
}
