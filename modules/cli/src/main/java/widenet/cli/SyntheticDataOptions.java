package widenet.cli;

import picocli.CommandLine.Option;
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
}
