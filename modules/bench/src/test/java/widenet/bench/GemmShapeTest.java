package widenet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import widenet.kernel.Op;

class GemmShapeTest {

    @Test
    void parsesTheNetworkShapesAndTheirStoredOperands() {
        GemmShape forward = GemmShape.parse("NT:1000x4000x1000"); // Z = X·Wᵀ: X n×d, W m×d
        assertEquals(new GemmShape(Op.N, Op.T, 1000, 4000, 1000), forward);
        assertEquals(1000, forward.aRows());
        assertEquals(1000, forward.aCols());
        assertEquals(4000, forward.bRows());
        assertEquals(1000, forward.bCols());

        GemmShape backward = GemmShape.parse("tn:4000X1000x1000"); // ∇W = Gᵀ·X: G n×m, X n×d
        assertEquals(1000, backward.aRows());
        assertEquals(4000, backward.aCols());
        assertEquals(1000, backward.bRows());
        assertEquals(1000, backward.bCols());
        assertEquals("TN:4000x1000x1000", backward.toString());
    }

    @Test
    void countsTwoFlopsPerMultiplyAdd() {
        assertEquals(
                2L * 2048 * 2048 * 2048, GemmShape.parse("NN:2048x2048x2048").flops());
    }

    @Test
    void rejectsMalformedShapes() {
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("NX:1x1x1"));
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("NN:1x1"));
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("NN:0x1x1"));
    }
}
