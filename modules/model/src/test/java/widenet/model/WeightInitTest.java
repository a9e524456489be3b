package widenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing, scaling and zeroing of {@link WeightInit}. */
class WeightInitTest {

    @Test
    void parsesScalesAndZeroes() {
        assertEquals(Math.sqrt(1.0 / 100), WeightInit.parse("lecun").std(100, 5), 1e-15);
        assertEquals(0.1 * Math.sqrt(2.0 / 100), WeightInit.parse("he*0.1").std(100, 5), 1e-15);
        assertEquals(0.0, WeightInit.parse("zero").std(100, 5));
        assertEquals(0.0, WeightInit.parse("lecun*0").std(100, 5));
        assertEquals(0.5 * Math.sqrt(4.0), WeightInit.parse("standard:4*0.5").std(3, 3), 1e-15);
        assertEquals(1.0, WeightInit.parse("ntk:2*0.25").forwardScale(2), 1e-15, "the factor is not scaled");
        for (String s : List.of("lecun", "he*0.1", "zero", "standard:4.0*0.5", "ntk:2.0")) {
            assertEquals(
                    WeightInit.parse(s), WeightInit.parse(WeightInit.parse(s).toString()), s + " round trip");
        }
        for (String[] bad : new String[][] {
            {"he*x", "not a number"},
            {"he*-1", "non-negative"},
            {"he*1*2", "more than one"},
            {"zeros", "unknown weight init"}
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightInit.parse(bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
