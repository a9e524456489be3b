package widenet.model;

import java.util.SplittableRandom;
import widenet.tensor.FloatMatrix;

/** Seeded random fills used by initialisations and synthetic data. */
public final class Gaussian {
    private Gaussian() {}

    /** Every element ~ N(0, std²), drawn row by row. */
    public static void fill(FloatMatrix m, SplittableRandom rng, double std) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, (float) (std * rng.nextGaussian()));
            }
        }
    }

    /** Every element uniform on {−1, +1}. */
    public static void fillSigns(FloatMatrix m, SplittableRandom rng) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, rng.nextBoolean() ? 1f : -1f);
            }
        }
    }
}
