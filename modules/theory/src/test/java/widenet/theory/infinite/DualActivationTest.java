package widenet.theory.infinite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import widenet.kernel.Activation;

/**
 * The quadrature duals: the rule chosen for a pair against a 150-point rule, where the pre-activations' spread is
 * gentle against the kink (β√a ≤ 2.2, the regime of unit-norm inputs), and the closed forms' symmetry in the pair.
 */
class DualActivationTest {
    @Test
    void adaptiveRuleAgreesWithAFineRuleWhereTheKinkIsGentle() {
        Activation act = Activation.parse("smooth-leaky-relu:0.1:4", false);
        DualActivation dual = DualActivation.of(act, DeepKernel.DEFAULT_QUADRATURE), fine = DualActivation.of(act, 150);
        double[][] cases = {
            {0.3, 0.2, -0.2}, {0.3, 0.3, 0.299}, {0.05, 0.05, 0.03}, {0.02, 0.2, 0.01}, {0.1, 0.1, -0.09}
        };
        double[] got = new double[2], want = new double[2];
        for (double[] c : cases) {
            dual.eval(c[0], c[1], c[2], got);
            fine.eval(c[0], c[1], c[2], want);
            // Measured convergence (DualActivation#ruleFor): ≤ 2.4e-8 relative at β√a = 2.2; allow 1e-7.
            assertEquals(want[0], got[0], 1e-7 * Math.abs(want[0]), "q at " + java.util.Arrays.toString(c));
            assertEquals(want[1], got[1], 1e-7 * Math.abs(want[1]), "ṗ at " + java.util.Arrays.toString(c));
            double[] swapped = new double[2];
            dual.eval(c[1], c[0], c[2], swapped);
            assertEquals(got[0], swapped[0], 0, "q symmetric in the pair");
            assertEquals(got[1], swapped[1], 0, "ṗ symmetric in the pair");
        }
    }
}
