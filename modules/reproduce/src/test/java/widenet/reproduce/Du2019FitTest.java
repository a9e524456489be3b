package widenet.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import widenet.reproduce.Du2019Figure.Reading;

/** du2019's search: the distance to the figure, the score and the choice of the best setting. */
class Du2019FitTest {
    static final int N = 1000;
    static final int[] WIDTHS = Du2019Figure.WIDTHS;
    static final int[] SAME = Du2019Figure.pairing(WIDTHS, false);

    /** ‖u − y‖² whose reading {@code r} is {@code value}: the inverse of {@link Reading#log}. */
    static double residualFor(Reading r, double value) {
        return Math.pow(r.base, value) / r.factor * (r.mean ? N : 1);
    }

    /** A step size whose runs reproduce the figure exactly under reading {@code r}, panels (b) and (c) scaled by {@code bc}. */
    static Du2019Fit.Point figure(double eta, Reading r, double bc) {
        int k = WIDTHS.length;
        double[] r0 = new double[k], r1 = new double[k], b = new double[k], c = new double[k];
        for (int i = 0; i < k; i++) {
            r0[i] = residualFor(r, 0.45);
            r1[i] = residualFor(r, Du2019Figure.LOG_TRAINING_ERROR[i]);
            b[i] = bc * Du2019Figure.PATTERN_CHANGE[i];
            c[i] = bc * Du2019Figure.MAX_DISTANCE[i];
        }
        return new Du2019Fit.Point(eta, r0, r1, b, c, null, 1);
    }

    @Test
    void theFiguresOwnValuesAreAtDistanceZero() {
        for (Reading r : Reading.values()) {
            Du2019Fit.Fit best = Du2019Fit.fits(figure(0.1, r, 1), SAME, N).get(0);
            assertEquals(r, best.reading(), "the reading the values were made with fits best");
            assertEquals(0, best.distance().a(), 1e-12);
            assertEquals(0, best.distance().b(), 1e-15);
            assertEquals(0, best.distance().c(), 1e-15);
            assertTrue(best.distance().fits());
        }
    }

    @Test
    void theScoreIsTheWorstPanelOverItsTolerance() {
        // (b) and (c) 50 % above the figure at every width: RMS 0.5, score 0.5/0.3
        Du2019Fit.Fit f =
                Du2019Fit.fits(figure(0.1, Reading.MEAN_LN, 1.5), SAME, N).get(0);
        assertEquals(0.5, f.distance().b(), 1e-12);
        assertEquals(0.5 / Du2019Figure.Distance.TOL_BC, f.distance().score(), 1e-12);
        assertFalse(f.distance().fits());
        // a start outside 0.3–0.6 counts in (a): every epoch-0 value 1 log unit above 0.6 → RMS over 2·5 terms =
        // √(5/10)
        Du2019Fit.Point p = figure(0.1, Reading.MEAN_LN, 1);
        double[] r0 = p.residual0().clone();
        java.util.Arrays.fill(r0, residualFor(Reading.MEAN_LN, 1.6));
        Du2019Fit.Point shifted = new Du2019Fit.Point(0.1, r0, p.residual(), p.pattern(), p.dist(), null, 1);
        Du2019Fit.Fit g = Du2019Fit.fits(shifted, SAME, N).stream()
                .filter(x -> x.reading() == Reading.MEAN_LN)
                .findFirst()
                .orElseThrow();
        assertEquals(Math.sqrt(0.5), g.distance().a(), 1e-12);
    }

    @Test
    void theBestSettingHasTheSmallestScoreAndADivergedOneNeverWins() {
        Du2019Fit.Point off = figure(0.2, Reading.MEAN_LN, 1.2), near = figure(0.05, Reading.MEAN_LN, 1.1);
        Du2019Fit.Point diverged = new Du2019Fit.Point(
                1.0, near.residual0(), near.residual(), near.pattern(), near.dist(), "NaN at step 3", 1);
        Du2019Fit.Fit best = Du2019Fit.best(List.of(off, diverged, near), SAME, N);
        assertEquals(0.05, best.point().eta());
        assertEquals(
                Double.POSITIVE_INFINITY,
                Du2019Fit.fits(diverged, SAME, N).get(0).distance().score());
    }

    @Test
    void pairingByRankAtSmallSizes() {
        assertEquals(
                List.of(0, 1, 2, 3),
                java.util.Arrays.stream(Du2019Figure.pairing(new int[] {128, 256, 512, 1024}, true))
                        .boxed()
                        .toList());
        assertEquals(
                List.of(-1, 2),
                java.util.Arrays.stream(Du2019Figure.pairing(new int[] {128, 2000}, false))
                        .boxed()
                        .toList());
    }

    @Test
    void theStartReadingIsTheOneWhoseEpochZeroValuesLieIn03To06() {
        double[] r0 = new double[5];
        java.util.Arrays.fill(r0, 1.5 * N); // mean (u − y)² = 1.5: ln 1.5 = 0.405
        assertEquals(Reading.MEAN_LN, Du2019Fit.startReading(r0, N));
    }

    @Test
    void spearmanAndHeldOut() {
        assertEquals(1, Arora2019Summary.spearman(new double[] {1, 2, 3}, new double[] {0.1, 0.5, 0.7}), 1e-15);
        assertEquals(-1, Arora2019Summary.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-15);
        Arora2019Summary.HeldOut h = Arora2019Summary.HeldOut.of(new double[] {0.5, -2, 0}, new double[] {1, 1, -1});
        assertEquals((0.5 + 3 + 1) / 3, h.l1(), 1e-15);
        assertEquals(2 / 3.0, h.error(), 1e-15, "a wrong sign and f = 0 are errors");
    }
}
