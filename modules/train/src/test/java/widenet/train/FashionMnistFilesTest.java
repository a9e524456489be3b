package widenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Idx;

/** Where Fashion-MNIST is found (moved here from widenet.tensor, which knows formats, not machines). */
class FashionMnistFilesTest {
    @TempDir
    Path dir;

    @Test
    void findsFashionMnistFilesGzippedOrNot() throws IOException {
        FashionMnistFiles none = FashionMnistFiles.in(dir);
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz"), none.trainImages());
        assertEquals(dir.resolve("t10k-labels-idx1-ubyte.gz"), none.testLabels());
        assertFalse(none.exist());

        Files.createFile(dir.resolve("train-images-idx3-ubyte"));
        Files.createFile(dir.resolve("train-labels-idx1-ubyte"));
        Files.createFile(dir.resolve("train-labels-idx1-ubyte.gz"));
        Files.createFile(dir.resolve("t10k-images-idx3-ubyte.gz"));
        FashionMnistFiles some = FashionMnistFiles.in(dir);
        assertEquals(dir.resolve("train-images-idx3-ubyte"), some.trainImages());
        assertEquals(dir.resolve("train-labels-idx1-ubyte.gz"), some.trainLabels(), ".gz wins when both exist");
        assertFalse(some.exist());
        Files.createFile(dir.resolve("t10k-labels-idx1-ubyte"));
        assertTrue(FashionMnistFiles.in(dir).exist());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnistFiles.DEBIAN_DIR);
    }

    /** Runs where Debian's dataset-fashion-mnist package is installed; skipped elsewhere (e.g. on CI). */
    @Test
    void readsTheRealFashionMnistFiles() throws IOException {
        FashionMnistFiles f = FashionMnistFiles.debian();
        assumeTrue(f.exist(), "dataset-fashion-mnist is not installed in " + FashionMnistFiles.DEBIAN_DIR);
        assertArrayEquals(new long[] {60_000, 28, 28}, Idx.dims(f.trainImages()));
        assertArrayEquals(new long[] {10_000, 28, 28}, Idx.dims(f.testImages()));
        for (Path labelsFile : List.of(f.trainLabels(), f.testLabels())) {
            int[] labels = Idx.readLabels(labelsFile);
            int[] perClass = new int[10];
            for (int l : labels) {
                perClass[l]++; // fails with an index error on a label outside 0…9
            }
            int each = labels.length / 10;
            assertArrayEquals(
                    new int[] {each, each, each, each, each, each, each, each, each, each},
                    perClass,
                    "Fashion-MNIST is balanced: " + labelsFile);
        }
        // Expected values computed once with NumPy from the same files.
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(Idx.readLabels(f.testLabels()), 10));
        try (FloatMatrix test = Idx.readImages(f.testImages())) {
            assertEquals("10000×784", test.shape());
            assertArrayEquals(
                    new float[] {157, 166, 135, 154, 168, 140, 0, 0, 0, 0},
                    Arrays.copyOfRange(test.rowToArray(0), 300, 310));
            long sum = 0;
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : test.toArray()) {
                sum += (long) v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(573_469_082L, sum);
            assertEquals(0f, min);
            assertEquals(255f, max);
        }
    }
}
