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
 * yᵢ ~ N(0, 1), drawn from the run's seed) or {@link NpyFiles} (X and y from {@code .npy} files), and the held-out
 * set it is evaluated on ({@link #loadTest}): test files {@code testX}/{@code testY} for either kind, or, for the
 * sphere, {@code testN} points drawn like the training set (from their own random stream, so the training data,
 * initialisation and shuffling are the same with or without a test set).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DataSpec.Sphere.class, name = "sphere"),
    @JsonSubTypes.Type(value = DataSpec.NpyFiles.class, name = "npy")
})
public sealed interface DataSpec {

    /** Checks the sizes or files named. */
    void validate();

    /** Loads or draws the data for {@code model} (a deep network's widths give d and k; the others have k = 1). */
    Dataset load(SplittableRandom rng, ModelSpec model) throws IOException;

    /** The test inputs file ({@code --test-x}), or null. */
    String testX();

    /** The test labels file ({@code --test-y}), or null. */
    String testY();

    /** Whether the run has a held-out set. */
    default boolean hasTest() {
        return testX() != null;
    }

    /**
     * The held-out set for a network trained on {@code train}, or null when there is none: read from
     * {@code testX}/{@code testY} (d must be the training set's, the labels one row per input and the training set's
     * k columns), or drawn from {@code rng} (the sphere's {@code testN}).
     */
    default Dataset loadTest(SplittableRandom rng, Dataset train) throws IOException {
        return testX() == null ? null : readTestFiles(testX(), testY(), train);
    }

    /** n points on the unit sphere in d dimensions (a deep network's d and k are its first and last widths). */
    record Sphere(int n, int d, Integer testN, String testX, String testY) implements DataSpec {
        /** No held-out set. */
        public Sphere(int n, int d) {
            this(n, d, null, null, null);
        }

        @Override
        public void validate() {
            if (n <= 0 || d <= 0) {
                throw new InputException("--n and --d must be positive, got n=" + n + ", d=" + d);
            }
            if (testN != null && testN <= 0) {
                throw new InputException("--test-n must be positive, got " + testN);
            }
            if (testN != null && testX != null) {
                throw new InputException(
                        "--test-n draws a test set like the training set, --test-x reads one: give one of them");
            }
            requireBothTestFiles(testX, testY);
        }

        @Override
        public Dataset load(SplittableRandom rng, ModelSpec model) {
            if (model instanceof ModelSpec.Deep deep) {
                return Dataset.unitSphere(
                        n, deep.widths().get(0), deep.widths().get(deep.widths().size() - 1), rng);
            }
            return Dataset.unitSphere(n, d, rng);
        }

        @Override
        public boolean hasTest() {
            return testN != null || testX != null;
        }

        /** The drawn test set is the training set's distribution: xᵢ on the sphere, yᵢ ~ N(0, 1) independent of xᵢ. */
        @Override
        public Dataset loadTest(SplittableRandom rng, Dataset train) throws IOException {
            if (testN == null) {
                return DataSpec.super.loadTest(rng, train);
            }
            Dataset t = Dataset.unitSphere(testN, train.d(), train.k(), rng);
            return new Dataset(t.x(), t.y(), "test: " + t.description());
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
    record NpyFiles(String x, String y, String testX, String testY) implements DataSpec {
        /** No held-out set. */
        public NpyFiles(String x, String y) {
            this(x, y, null, null);
        }

        @Override
        public void validate() {
            if (x == null || y == null) {
                throw new InputException("--x and --y go together: give both or neither");
            }
            requireBothTestFiles(testX, testY);
        }

        @Override
        public Dataset load(SplittableRandom rng, ModelSpec model) throws IOException {
            Path xFile = Path.of(x), yFile = Path.of(y);
            ModelSpec.Deep deep = model instanceof ModelSpec.Deep dm ? dm : null;
            requireSameRows(xFile, yFile); // from the headers, before X is read whole
            FloatMatrix xs = Npy.readMatrix(xFile);
            try {
                Dataset.requireFinite(xs, xFile.toString());
                if (deep != null && xs.cols() != deep.widths().get(0)) {
                    throw new InputException(
                            "--widths starts with " + deep.widths().get(0) + " but " + xFile + " has d = " + xs.cols()
                                    + " columns; the first width is the input dimension d");
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

    private static void requireBothTestFiles(String testX, String testY) {
        if ((testX == null) != (testY == null)) {
            throw new InputException("--test-x and --test-y go together: give both or neither");
        }
    }

    /**
     * The test set from {@code .npy} files, checked against the training set {@code train}: d input columns, one
     * label row per input, k label columns, finite values; each message names the file.
     */
    static Dataset readTestFiles(String x, String y, Dataset train) throws IOException {
        Path xFile = Path.of(x), yFile = Path.of(y);
        FloatMatrix xs = Npy.readMatrix(xFile);
        try {
            if (xs.cols() != train.d()) {
                throw new InputException("--test-x " + xFile + " has d = " + xs.cols()
                        + " columns but the training inputs have d = " + train.d());
            }
            if (xs.rows() == 0) {
                throw new InputException("--test-x " + xFile + " has no rows");
            }
            Dataset.requireFinite(xs, xFile.toString());
            FloatMatrix ys = Npy.readMatrix(yFile);
            try {
                if (ys.rows() != xs.rows()) {
                    throw new InputException("--test-y " + yFile + " has " + ys.rows() + " label rows but --test-x "
                            + xFile + " has " + xs.rows() + " inputs");
                }
                if (ys.cols() != train.k()) {
                    throw new InputException("--test-y " + yFile + " has k = " + ys.cols()
                            + " label columns but the training labels have k = " + train.k());
                }
                Dataset.requireFinite(ys, yFile.toString());
                return new Dataset(xs, ys, "test: " + xFile + " (n=" + xs.rows() + "), " + yFile);
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
