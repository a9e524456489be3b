package widenet.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;

/**
 * What a run trains on: {@link Sphere} (the synthetic data of Du et al. 2019: xᵢ uniform on the unit sphere,
 * yᵢ ~ N(0, 1), drawn from the run's seed) or {@link NpyFiles} (X and y from {@code .npy} files).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = DataSpec.Sphere.class, name = "sphere"),
        @JsonSubTypes.Type(value = DataSpec.NpyFiles.class, name = "npy")})
public sealed interface DataSpec {

    /** Checks the sizes or files named. */
    void validate();

    /** Loads or draws the data for {@code model} (a deep network's widths give d and k; the others have k = 1). */
    Dataset load(SplittableRandom rng, ModelSpec model) throws IOException;

    /** n points on the unit sphere in d dimensions (a deep network's d and k are its first and last widths). */
    record Sphere(int n, int d) implements DataSpec {
        @Override
        public void validate() {
            if (n <= 0 || d <= 0) {
                throw new InputException("--n and --d must be positive, got n=" + n + ", d=" + d);
            }
        }

        @Override
        public Dataset load(SplittableRandom rng, ModelSpec model) {
            if (model instanceof ModelSpec.Deep deep) {
                return Dataset.unitSphere(n, deep.widths().get(0), deep.widths().get(deep.widths().size() - 1), rng);
            }
            return Dataset.unitSphere(n, d, rng);
        }
    }

    /**
     * Refuses labels whose row count is not X's, from the two files' headers alone (a large X is not read for a
     * mismatch its header shows).
     */
    public static void requireSameRows(Path xFile, Path yFile) throws IOException {
        long[] xs = Npy.shape(xFile);
        long[] ys = Npy.shape(yFile);
        if (xs.length >= 1 && ys.length >= 1 && xs[0] != ys[0]) {
            throw new InputException(yFile + " has " + ys[0] + " rows but " + xFile + " has n = " + xs[0]
                    + ": one label row per sample of X");
        }
    }

    /** Inputs X (n×d, float32 or float64) and labels y ((n), (n, 1), or (n, k) for a deep network with k outputs). */
    record NpyFiles(String x, String y) implements DataSpec {
        @Override
        public void validate() {
            if (x == null || y == null) {
                throw new InputException("--x and --y go together: give both or neither");
            }
        }

        @Override
        public Dataset load(SplittableRandom rng, ModelSpec model) throws IOException {
            Path xFile = Path.of(x), yFile = Path.of(y);
            ModelSpec.Deep deep = model instanceof ModelSpec.Deep dm ? dm : null;
            requireSameRows(xFile, yFile);   // from the headers, before X is read whole
            FloatMatrix xs = Npy.readMatrix(xFile);
            try {
                Dataset.requireFinite(xs, xFile.toString());
                if (deep != null && xs.cols() != deep.widths().get(0)) {
                    throw new InputException("--widths starts with " + deep.widths().get(0) + " but " + xFile + " has d = "
                            + xs.cols() + " columns; the first width is the input dimension d");
                }
                FloatMatrix ys = Npy.readMatrix(yFile, xs.rows(), deep != null ? -1 : 1);
                try {
                    int k = deep != null ? deep.widths().get(deep.widths().size() - 1) : 1;
                    if (ys.cols() != k) {
                        throw new InputException("--widths ends with " + k + " but " + yFile + " has k = " + ys.cols()
                                + " label columns; the last width is the number of outputs k");
                    }
                    Dataset.requireFinite(ys, yFile.toString());
                    return new Dataset(xs, ys, xFile + " (n=" + xs.rows() + ", d=" + xs.cols() + "), " + yFile);
                } catch (RuntimeException e) {
                    ys.close();
                    throw e;
                }
            } catch (RuntimeException | IOException e) {
                xs.close();
                throw e;
            }
        }
    }
}
