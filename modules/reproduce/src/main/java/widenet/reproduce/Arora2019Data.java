package widenet.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Idx;
import widenet.tensor.Npy;
import widenet.train.FashionMnistFiles;
import widenet.train.InputException;

/**
 * Arora et al.'s data, from the Fashion-MNIST training file: n training images (n/2 per class, the first in file
 * order) and a held-out set of n_test images drawn the same way (the next n_test/2 per class, disjoint from the
 * training images), each flattened and normalised to ‖x‖ = 1, labels +1 for the first class and −1 for the second.
 * The paper holds out 2 000 images for 10 000 training ones; here n_test = n/5 (rounded to even). Also the network's
 * outputs on a set from its saved weights (init/ or final/), for u(0) and the held-out predictions.
 */
final class Arora2019Data {
    private Arora2019Data() {}

    /** The held-out set's size for n training images: n/5, even, at least 2. */
    static int testSize(int n) {
        return Math.max(2, (n / 5) & ~1);
    }

    /**
     * Writes {@code X.npy} (n×d), {@code X_test.npy} (n_test×d) and {@code y_test.npy} into {@code folder}; returns the labels, training
     * first: {@code [0]} the n training labels, {@code [1]} the n_test held-out labels (the true ones).
     */
    static double[][] write(FashionMnistFiles files, List<Integer> classes, int n, int nTest, Path folder)
            throws IOException {
        try (FloatMatrix images = Idx.readImages(files.trainImages())) {
            int[] labels = Idx.readLabels(files.trainLabels());
            if (labels.length != images.rows()) {
                throw new InputException(files.trainLabels() + ": " + labels.length + " labels for " + images.rows()
                        + " images in " + files.trainImages());
            }
            int[] picked = pick(labels, classes, n / 2, nTest / 2, files.trainLabels());
            double[] y = new double[n], yTest = new double[nTest];
            writeSet(images, labels, classes, picked, 0, n / 2, folder.resolve("X.npy"), y, files);
            writeSet(images, labels, classes, picked, n, nTest / 2, folder.resolve("X_test.npy"), yTest, files);
            try (FloatVec v = FloatVec.allocate(nTest)) {
                for (int i = 0; i < nTest; i++) {
                    v.set(i, (float) yTest[i]);
                }
                Npy.write(folder.resolve("y_test.npy"), v);
            }
            return new double[][] {y, yTest};
        }
    }

    /**
     * Rows {@code picked[offset + c·each + i]} for c = 0 (class A's {@code each}) and c = 1 … laid out as: class A's
     * n/2 training indices, class B's n/2, then class A's n_test/2 held-out indices, class B's.
     */
    private static void writeSet(
            FloatMatrix images,
            int[] labels,
            List<Integer> classes,
            int[] picked,
            int offset,
            int each,
            Path file,
            double[] y,
            FashionMnistFiles files)
            throws IOException {
        int d = images.cols();
        try (FloatMatrix x = FloatMatrix.allocate(2 * each, d)) {
            for (int i = 0; i < 2 * each; i++) {
                int src = picked[offset + i];
                double norm2 = 0;
                for (int j = 0; j < d; j++) {
                    double v = images.get(src, j);
                    norm2 += v * v;
                }
                if (norm2 == 0) {
                    throw new InputException(
                            files.trainImages() + ": image " + src + " is all zeros; it cannot be normalised");
                }
                double inv = 1 / Math.sqrt(norm2);
                for (int j = 0; j < d; j++) {
                    x.set(i, j, (float) (images.get(src, j) * inv));
                }
                y[i] = labels[src] == classes.get(0) ? 1 : -1;
            }
            Npy.write(file, x);
        }
    }

    /**
     * The image indices: per class the first {@code each} (training) and the next {@code testEach} (held out), laid
     * out training A, training B, held-out A, held-out B.
     */
    private static int[] pick(int[] labels, List<Integer> classes, int each, int testEach, Path labelFile) {
        int[] out = new int[2 * each + 2 * testEach];
        for (int c = 0; c < 2; c++) {
            int found = 0;
            for (int i = 0; i < labels.length && found < each + testEach; i++) {
                if (labels[i] == classes.get(c)) {
                    if (found < each) {
                        out[c * each + found] = i;
                    } else {
                        out[2 * each + c * testEach + found - each] = i;
                    }
                    found++;
                }
            }
            if (found < each + testEach) {
                throw new InputException(labelFile + ": class " + classes.get(c) + " has " + found + " images, "
                        + (each + testEach) + " needed (n/2 for training and n_test/2 = n/10 held out)");
            }
        }
        return out;
    }

    /**
     * f(x) = (1/√m) Σ_r a_r relu(w_rᵀx) for every row of {@code x}, with W and a read from {@code weights}
     * ({@code W.npy}, {@code a.npy}); evaluated in blocks of 512 rows so the hidden layer stays 512×m.
     */
    static double[] outputs(Kernels kernels, Path weights, FloatMatrix x, double kappa) throws IOException {
        try (FloatMatrix w = Npy.readMatrix(weights.resolve("W.npy"));
                FloatVec a = Npy.readVector(weights.resolve("a.npy"));
                TwoLayerNetwork net = new TwoLayerNetwork(
                        kernels,
                        new TwoLayerNetwork.Config(
                                x.cols(), w.rows(), Math.min(512, x.rows()), kappa, false, LossKind.SUM, true),
                        new SplittableRandom(0));
                FloatMatrix out = FloatMatrix.allocate(x.rows(), 1)) {
            for (Parameter p : net.parameters()) { // the drawn weights replaced by the saved ones
                switch (p.name()) {
                    case "W" -> p.value().copyFrom(w);
                    case "a" -> {
                        for (int r = 0; r < a.length(); r++) {
                            p.value().set(r, 0, a.get(r));
                        }
                    }
                    default -> throw new IllegalStateException("two-layer parameter " + p.name());
                }
            }
            net.predict(x, out);
            double[] f = new double[x.rows()];
            for (int i = 0; i < f.length; i++) {
                f[i] = out.get(i, 0);
            }
            return f;
        }
    }
}
