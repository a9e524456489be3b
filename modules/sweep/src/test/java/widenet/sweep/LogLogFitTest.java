package widenet.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogLogFitTest {

    @Test
    void exactPowerLawGivesItsExponentWithAZeroWidthInterval() {
        double[] n = {64, 128, 256, 512, 1024};
        double[] m = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            m[i] = 3.5 * Math.pow(n[i], 1.25);
        }
        LogLogFit f = LogLogFit.of(n, m);
        assertEquals(1.25, f.alpha(), 1e-12);
        assertEquals(Math.log(3.5), f.intercept(), 1e-10);
        assertEquals(0, f.stderr(), 1e-6);
        assertEquals(1, f.r2(), 1e-12);
        assertEquals(3.5 * Math.pow(300, 1.25), f.predict(300), 1e-9 * f.predict(300));
    }

    /**
     * The interval against a second route: residuals computed point by point (not via S_yy − α S_xy) and the
     * tabulated t quantile (t_{0.975, 10} = 2.228139), which ojAlgo matches within 0.1 %.
     */
    @Test
    void intervalIsTheTBasedOneFromTheResiduals() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] n = new double[12], m = new double[12];
        for (int i = 0; i < 12; i++) {
            n[i] = 16 << (i % 4);
            m[i] = 2 * Math.pow(n[i], 0.8) * Math.exp(0.2 * rng.nextGaussian());
        }
        LogLogFit f = LogLogFit.of(n, m);
        double mx = 0;
        for (double v : n) {
            mx += Math.log(v) / 12;
        }
        double sse = 0, sxx = 0;
        for (int i = 0; i < 12; i++) {
            double r = Math.log(m[i]) - (f.intercept() + f.alpha() * Math.log(n[i]));
            sse += r * r;
            sxx += (Math.log(n[i]) - mx) * (Math.log(n[i]) - mx);
        }
        double se = Math.sqrt(sse / 10 / sxx);
        assertEquals(se, f.stderr(), 1e-12 * (1 + se));
        double halfWidth = (f.ciHigh() - f.ciLow()) / 2;
        assertEquals(2.228139 * se, halfWidth, 1e-3 * 2.228139 * se);
        assertEquals(f.alpha(), (f.ciHigh() + f.ciLow()) / 2, 1e-12);
        assertTrue(f.contains(f.alpha()));
        assertFalse(f.contains(f.ciHigh() + 1e-9));
        assertTrue(Math.abs(f.alpha() - 0.8) < 4 * se, "the generating exponent is within 4 standard errors");
    }

    @Test
    void undefinedWithoutTwoDistinctNOrThreePoints() {
        assertNull(LogLogFit.of(new double[] {10, 20}, new double[] {1, 2}));
        assertNull(LogLogFit.of(new double[] {10, 10, 10}, new double[] {1, 2, 3}));
    }

    @Test
    void medianOverSeeds() {
        assertEquals(5, Sweep.median(new double[] {9, 5, 1}));
        assertEquals(Math.sqrt(4 * 16), Sweep.median(new double[] {16, 4, 2, 100}), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Sweep.median(new double[] {4, Double.POSITIVE_INFINITY}));
        assertEquals(4, Sweep.median(new double[] {4, 3, Double.POSITIVE_INFINITY}));
    }
}
