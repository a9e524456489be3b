package widenet.train;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Fashion-MNIST is on this machine: the four IDX files (read by {@link widenet.tensor.Idx}) in a folder.
 * Each is the {@code .gz} file if it exists, else the decompressed one without {@code .gz} if that exists, else the
 * {@code .gz} path, so that an error names the file the package would provide. (MNIST has the same file names.)
 */
public record FashionMnistFiles(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    /**
     * Where Debian's package {@code dataset-fashion-mnist} installs Fashion-MNIST
     * ({@code apt-get install dataset-fashion-mnist}): the four original gzip-compressed IDX files
     * {@code train-images-idx3-ubyte.gz} (60 000 × 28 × 28), {@code train-labels-idx1-ubyte.gz},
     * {@code t10k-images-idx3-ubyte.gz} (10 000 × 28 × 28) and {@code t10k-labels-idx1-ubyte.gz}.
     */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static FashionMnistFiles in(Path dir) {
        return new FashionMnistFiles(
                pick(dir, "train-images-idx3-ubyte"),
                pick(dir, "train-labels-idx1-ubyte"),
                pick(dir, "t10k-images-idx3-ubyte"),
                pick(dir, "t10k-labels-idx1-ubyte"));
    }

    /** The files in {@link #DEBIAN_DIR}. */
    public static FashionMnistFiles debian() {
        return in(DEBIAN_DIR);
    }

    private static Path pick(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        Path plain = dir.resolve(base);
        return !Files.isRegularFile(gz) && Files.isRegularFile(plain) ? plain : gz;
    }

    /** True when all four files exist. */
    public boolean exist() {
        return Files.isRegularFile(trainImages)
                && Files.isRegularFile(trainLabels)
                && Files.isRegularFile(testImages)
                && Files.isRegularFile(testLabels);
    }
}
