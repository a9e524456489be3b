package widenet.train;

import java.util.SplittableRandom;
import widenet.tensor.FloatMatrix;

/**
 * The binary task of Gao et al. (ICLR 2022, §4) and Arora et al. (ICML 2019): two classes of images, a random
 * {@code perClass} of each for training and another, disjoint, {@code perClass} of each for the test set, every image
 * flattened and scaled to unit norm, labels −1 (first class) and +1 (second). The theory needs no two inputs
 * parallel: a duplicate (cosine above 1 − 10⁻⁶ after normalisation, in double) gets small Gaussian noise
 * (σ = 10⁻³ per pixel before renormalising) until none is left — the paper's "a parallel pair perturbed".
 *
 * @param train     n = 2·perClass rows, the classes interleaved in random order
 * @param test      the same size, disjoint from the training images
 * @param perturbed how many training or test images were perturbed
 */
public record TwoClassImages(Dataset train, Dataset test, int perturbed) implements AutoCloseable {
    static final double PARALLEL = 1e-6;
    static final double NOISE = 1e-3;

    /**
     * Draws the split from {@code rng}: a random permutation of each class's images, the first {@code perClass} for
     * training and the next {@code perClass} for testing, then a random order of the 2·perClass rows of each set.
     */
    public static TwoClassImages draw(
            FloatMatrix negative, FloatMatrix positive, int perClass, SplittableRandom rng, String description) {
        if (negative.cols() != positive.cols()) {
            throw new IllegalArgumentException(
                    "the two classes' images differ in size: " + negative.cols() + " vs " + positive.cols());
        }
        for (FloatMatrix c : new FloatMatrix[] {negative, positive}) {
            if (c.rows() < 2 * perClass) {
                throw new InputException(description + ": a class has " + c.rows() + " images, " + perClass
                        + " for training and " + perClass + " for testing need " + 2 * perClass);
            }
        }
        int[] negOrder = Permutations.uniform(negative.rows(), rng),
                posOrder = Permutations.uniform(positive.rows(), rng);
        int[] perturbed = new int[1];
        Dataset train =
                build(negative, positive, negOrder, posOrder, 0, perClass, rng, perturbed, description + ", training");
        Dataset test;
        try {
            test = build(
                    negative, positive, negOrder, posOrder, perClass, perClass, rng, perturbed, description + ", test");
        } catch (RuntimeException e) {
            train.close();
            throw e;
        }
        return new TwoClassImages(train, test, perturbed[0]);
    }

    /** The images (rows of {@code images}) whose label is {@code label}, in file order. */
    public static FloatMatrix ofClass(FloatMatrix images, int[] labels, int label) {
        if (labels.length != images.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + images.rows() + " images");
        }
        int count = 0;
        for (int l : labels) {
            count += l == label ? 1 : 0;
        }
        FloatMatrix out = FloatMatrix.allocate(count, images.cols());
        for (int i = 0, at = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                for (int j = 0; j < images.cols(); j++) {
                    out.set(at, j, images.get(i, j));
                }
                at++;
            }
        }
        return out;
    }

    private static Dataset build(
            FloatMatrix neg,
            FloatMatrix pos,
            int[] negOrder,
            int[] posOrder,
            int from,
            int perClass,
            SplittableRandom rng,
            int[] perturbed,
            String description) {
        int n = 2 * perClass, d = neg.cols();
        int[] rows = Permutations.uniform(n, rng);
        double[][] x = new double[n][];
        FloatMatrix xs = FloatMatrix.allocate(n, d), ys = FloatMatrix.allocate(n, 1);
        for (int i = 0; i < n; i++) {
            int r = rows[i];
            boolean positive = r >= perClass;
            FloatMatrix src = positive ? pos : neg;
            int image = positive ? posOrder[from + r - perClass] : negOrder[from + r];
            x[i] = new double[d];
            for (int j = 0; j < d; j++) {
                x[i][j] = src.get(image, j);
            }
            normalise(x[i], description);
            ys.set(i, 0, positive ? 1f : -1f);
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (dot(x[i], x[j]) > 1 - PARALLEL) {
                        for (int k = 0; k < d; k++) {
                            x[j][k] += NOISE * rng.nextGaussian();
                        }
                        normalise(x[j], description);
                        perturbed[0]++;
                        changed = true;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xs.set(i, j, (float) x[i][j]);
            }
        }
        return new Dataset(xs, ys, description + " (n=" + n + ", d=" + d + ", unit norm, labels ±1)");
    }

    private static void normalise(double[] v, String description) {
        double s = Math.sqrt(dot(v, v));
        if (!(s > 0)) {
            throw new InputException(description + ": an all-zero image cannot be scaled to unit norm");
        }
        for (int k = 0; k < v.length; k++) {
            v[k] /= s;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    @Override
    public void close() {
        train.close();
        test.close();
    }
}
