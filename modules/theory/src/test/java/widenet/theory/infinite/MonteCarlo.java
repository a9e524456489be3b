package widenet.theory.infinite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;

/**
 * Monte-Carlo averages of an n×n kernel over R independent networks, and the two checks every infinite-width
 * kernel test makes, with tolerances derived from the samples themselves:
 * <ul>
 *   <li>the mean: |K̄ᵢⱼ − Θᵢⱼ| ≤ 5·SEᵢⱼ, SEᵢⱼ = sᵢⱼ/√R with sᵢⱼ the sample standard deviation across networks
 *       (a 5σ band per entry; the finite-width bias E K − Θ = O(1/m) is far inside it at the widths used);</li>
 *   <li>the rate: the root-mean-square relative deviation e(m) = (mean over networks and entries of
 *       ((Kᵢⱼ − Θᵢⱼ)/√(ΘᵢᵢΘⱼⱼ))²)^{1/2} falls like 1/√m, so e(m)/e(4m) = 2; the test allows 5 standard errors of
 *       log(e(m)/e(4m)), each e² a mean over R independent networks (delta method: SE(log e) = SE(e²)/(2e²)).</li>
 * </ul>
 */
final class MonteCarlo {
    final int n;
    final int samples;
    final double[] mean;
    final double[] se;
    final double[] perNetworkSquaredError; // filled by deviations()

    private MonteCarlo(int n, double[][] draws) {
        this.n = n;
        this.samples = draws.length;
        mean = new double[n * n];
        se = new double[n * n];
        for (double[] d : draws) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += d[i] / samples;
            }
        }
        for (double[] d : draws) {
            for (int i = 0; i < mean.length; i++) {
                se[i] += (d[i] - mean[i]) * (d[i] - mean[i]) / (samples - 1);
            }
        }
        for (int i = 0; i < se.length; i++) {
            se[i] = Math.sqrt(se[i] / samples);
        }
        perNetworkSquaredError = null;
    }

    /** R draws of an n×n kernel. */
    static MonteCarlo of(int n, int samples, IntFunction<double[]> draw) {
        double[][] d = new double[samples][];
        for (int r = 0; r < samples; r++) {
            d[r] = draw.apply(r);
        }
        return new MonteCarlo(n, d);
    }

    /** Asserts the mean against theta entry by entry (5 standard errors). */
    void assertMean(double[] theta, String what) {
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                int k = i * n + j, ii = i, jj = j;
                double tol = 5 * se[k];
                assertTrue(
                        Math.abs(mean[k] - theta[k]) <= tol,
                        () -> String.format(
                                "%s entry (%d,%d): Monte-Carlo mean %.6g ± %.3g (SE), analytic %.6g: off by %.2f SE",
                                what, ii, jj, mean[k], se[k], theta[k], Math.abs(mean[k] - theta[k]) / se[k]));
            }
        }
    }

    /** Per network, the mean over entries i ≤ j of ((Kᵢⱼ − Θᵢⱼ)/√(ΘᵢᵢΘⱼⱼ))². */
    static double[] relativeSquaredErrors(int n, double[] theta, int samples, IntFunction<double[]> draw) {
        double[] e = new double[samples];
        for (int r = 0; r < samples; r++) {
            double[] k = draw.apply(r);
            double s = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double d = (k[i * n + j] - theta[i * n + j]) / Math.sqrt(theta[i * n + i] * theta[j * n + j]);
                    s += d * d;
                    count++;
                }
            }
            e[r] = s / count;
        }
        return e;
    }

    /** Asserts e(m)/e(4m) = 2 within 5 standard errors of its logarithm; returns the measured ratio. */
    static double assertInverseSqrtRate(double[] narrow, double[] wide) {
        double m1 = avg(narrow), m2 = avg(wide);
        double se1 = Math.sqrt(var(narrow, m1) / narrow.length), se2 = Math.sqrt(var(wide, m2) / wide.length);
        double logRatio = 0.5 * Math.log(m1 / m2);
        double seLog = 0.5 * Math.hypot(se1 / m1, se2 / m2);
        double ratio = Math.exp(logRatio);
        assertTrue(
                Math.abs(logRatio - Math.log(2)) <= 5 * seLog,
                () -> String.format(
                        "rms deviation ratio e(m)/e(4m) = %.3f, expected 2 (1/√m) within 5 SE of the log (SE %.3f)",
                        ratio, seLog));
        return ratio;
    }

    private static double avg(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double var(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }
}
