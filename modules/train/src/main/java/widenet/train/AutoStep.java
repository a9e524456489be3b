package widenet.train;

import java.util.LinkedHashMap;
import java.util.Map;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;

/**
 * {@code --lr auto[:c]}: η = c/λ_max(K(0)) of the empirical NTK at the run's initial weights (c·n/λ_max for the mean
 * loss, whose step η is a step η/n on the sum), resolved when the run starts. Why: near initialisation GD moves the
 * predictions as u(k+1) − u(k) ≈ −ηK(u(k) − y), stable only for η &lt; 2/λ_max; c = 1 (the default) leaves a margin
 * of 2 for the kernel's drift during training and the curvature the linearisation drops. The empirical K(0) comes
 * from the theory module ({@link TheoryProvider#initialKernelLambdaMax}), by Lanczos rather than a full
 * eigen-decomposition. A spec whose automatic step is already resolved (a rerun of a recorded run) keeps the recorded
 * η, so the rerun steps exactly as the original did; the kernel is still formed (it runs the same forward pass).
 */
final class AutoStep {
    /** The spec with η resolved, and what run.json records about it. */
    record Result(RunSpec spec, Map<String, Object> record) {}

    private AutoStep() {}

    static Result resolve(Kernels k, RunSpec spec, Network net, Dataset data, RunListener listener) {
        TheoryProvider provider = TheoryProvider.find();
        if (provider == null) {
            throw new InputException("--lr auto needs the widenet.theory module, which is not on the module path");
        }
        RunSpec.Optimisation o = spec.optimisation();
        double c = o.lrAuto();
        long t0 = System.nanoTime();
        double lambda = provider.initialKernelLambdaMax(k, net, data);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LossKind loss = LossKind.parse(o.loss());
        int n = data.n();
        double eta = loss == LossKind.SUM ? c / lambda : c * n / lambda;
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new InputException("--lr auto: λ_max(K(0)) = " + lambda
                    + " gives no usable step (is the network's output identically 0?)");
        }
        String units = loss == LossKind.SUM ? "" : "·n";
        if (!o.lrPending()) {
            if (o.lr() != eta) {
                listener.log(String.format(
                        "note: --lr auto keeps the recorded step η = %s (recomputed now: %s)", o.lr(), eta));
            }
            eta = o.lr();
        }
        listener.log(String.format(
                "--lr auto: η = c%s/λ_max(K(0)) = %s%s/%.6g = %s (K(0) = JJᵀ at the initial weights, %.2f s)",
                units, c, units.isEmpty() ? "" : "·" + n, lambda, eta, seconds));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("factor", c);
        record.put("lambda_max_K0", lambda);
        record.put("loss", loss.toString());
        record.put("rule", loss == LossKind.SUM ? "c/lambda_max(K(0))" : "c*n/lambda_max(K(0))");
        record.put("lr", eta);
        record.put("seconds", seconds);
        return new Result(spec.withOptimisation(o.withResolvedLr(eta)), record);
    }
}
