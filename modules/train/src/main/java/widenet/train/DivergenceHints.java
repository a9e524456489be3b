package widenet.train;

import java.util.List;

/**
 * What a {@link DivergenceException} tells the user to change: the loss stopped being finite (at step 0 the initial
 * outputs overflow, later the step size is the cause), or the weights overflowed while the loss stayed finite.
 */
final class DivergenceHints {
    private DivergenceHints() {}

    /**
     * What to change when the loss of step {@code k} is not finite. At step 0 no step has been taken: the initial
     * outputs overflowed float32 (an output scale such as κ or --output-scale, or inputs, too large), and a
     * smaller step size would not help; later it is the step size.
     */
    static String forLoss(long k) {
        return k == 0
                ? "before any gradient step: the initial network's outputs overflow float32, so the step size is"
                        + " not the cause; lower the output scale (--kappa, --output-scale) or rescale the inputs"
                : "try a smaller step size (--lr)";
    }

    /**
     * The first weight-movement metric ({@code *dist*}: ‖W − W(0)‖ and its kin) of a row just measured
     * ({@code model}, the network's metrics named by {@code names}) that is not finite, as "name = value", or null
     * when every one is: a non-finite distance means non-finite weights.
     */
    static String overflowedWeights(List<String> names, double[] model) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).contains("dist") && !Double.isFinite(model[i])) {
                return names.get(i) + " = " + model[i];
            }
        }
        return null;
    }
}
