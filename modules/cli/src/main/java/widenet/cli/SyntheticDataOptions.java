package widenet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import widenet.train.DataSpec;
import widenet.train.InputException;

/**
 * {@code --n} and {@code --d}: the size of the synthetic data set (points on the unit sphere) that {@code train}
 * draws and {@code theory} analyses when no {@code --x} is given.
 */
final class SyntheticDataOptions {
    @Option(
            names = "--n",
            description = "Samples of synthetic data (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int n;

    @Option(
            names = "--d",
            description = "Input dimension of synthetic data (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int d;

    /** Refuses n ≤ 0 and, when the dimension comes from --d ({@code checkD}), d ≤ 0. */
    void requirePositive(boolean checkD) {
        if (n <= 0 || (checkD && d <= 0)) {
            throw new InputException("--n and --d must be positive, got n=" + n + ", d=" + d);
        }
    }

    /**
     * The training data {@code train} and {@code ntk-gap} are given: the .npy files --x and --y (together), else this
     * sphere of n points in {@code dim} dimensions; --test-x/--test-y beside either, --test-n only beside the sphere.
     */
    DataSpec dataSpec(Path x, Path y, Path testX, Path testY, Integer testN, int dim) {
        if ((x == null) != (y == null)) {
            throw new InputException("--x and --y go together: give both or neither");
        }
        String tx = testX == null ? null : testX.toString(), ty = testY == null ? null : testY.toString();
        if (x != null) {
            if (testN != null) {
                throw new InputException(
                        "--test-n draws a test set like the synthetic training set; with --x give --test-x and --test-y");
            }
            return new DataSpec.NpyFiles(x.toString(), y.toString(), tx, ty);
        }
        return new DataSpec.Sphere(n, dim, testN, tx, ty);
    }
}
