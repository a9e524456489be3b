package widenet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.ImplicitNetwork;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.theory.InitialKernel;
import widenet.theory.SymmetricEigen;
import widenet.theory.infinite.DeepKernel;
import widenet.theory.infinite.ImplicitKernel;
import widenet.theory.infinite.TwoLayerKernel;
import widenet.train.DataSpec;
import widenet.train.Dataset;
import widenet.train.InputException;
import widenet.train.ModelSpec;
import widenet.train.internal.Json;
import widenet.train.internal.ResultTarget;

/**
 * {@code widenet theory --model deep|implicit}: the analytic infinite-width NTK Θ of the network {@code train} would
 * build from the same options ({@link DeepKernel}, {@link ImplicitKernel}) on the same data (the synthetic draw of
 * {@code --seed}, or {@code --x/--y}), its λ_min, λ_max and the stable step 2/λ_max in the loss's units; the full
 * spectrum goes to {@code --json}. With {@code --empirical}, the empirical K(0) = JJᵀ of the network {@code train
 * --seed} draws, beside it.
 */
final class ModelTheory {
    private final TheoryCommand cmd;

    ModelTheory(TheoryCommand cmd) {
        this.cmd = cmd;
    }

    int run() throws Exception {
        String kind = cmd.model.model;
        ModelSpec spec = cmd.model.spec(kind, cmd::given);
        for (String o : new String[] {"--lr", "--delta"}) {
            if (cmd.given(o)) {
                throw new InputException(o + " applies to --model two-layer (the Du rate and the required width)");
            }
        }
        if ((cmd.xFile == null) != (cmd.yFile == null)) {
            throw new InputException("--model " + kind + ": --x and --y go together, as in train");
        }
        if (cmd.quadrature < 1 || cmd.quadrature > 150) {
            throw new InputException("--quadrature must be in 1..150, got " + cmd.quadrature);
        }
        LossKind loss;
        try {
            loss = LossKind.parse(cmd.loss);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        DataSpec data;
        if (cmd.xFile != null) {
            for (String o : new String[] {"--n", "--d", "--seed"}) {
                if (cmd.given(o) && !(o.equals("--seed") && cmd.empirical)) {
                    throw new InputException(
                            o + " sizes the synthetic data; with --x the data is the file's (drop " + o + ")");
                }
            }
            data = new DataSpec.NpyFiles(cmd.xFile.toString(), cmd.yFile.toString());
        } else {
            int d = spec instanceof ModelSpec.Deep deep && deep.widths() != null && !cmd.given("--d")
                    ? deep.widths().get(0)
                    : cmd.synthetic.d;
            data = new DataSpec.Sphere(cmd.synthetic.n, d);
        }
        data.validate();
        spec.validate(data);
        if (cmd.json != null) {
            ResultTarget.check("--json", cmd.json, null, ResultTarget.Kind.JSON);
        }
        cmd.threads.validate();
        int threads = cmd.threads.count();
        long t0 = System.nanoTime();
        // The streams `train` splits from its seed, in its order: data, then initialisation.
        SplittableRandom seeds = new SplittableRandom(cmd.seed);
        SplittableRandom dataRng = seeds.split();
        SplittableRandom initRng = seeds.split();
        try (Kernels k = KernelProviders.open(cmd.kernels, threads);
                Dataset set = data.load(dataRng, spec)) {
            int n = set.n();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("model", kind);
            s.put("n", n);
            s.put("d", set.d());
            s.put("loss", loss.toString());
            System.out.println("data: " + set.description() + (cmd.xFile == null ? ", seed " + cmd.seed : ""));
            double[] theta;
            String normalisation;
            List<String> notes = new ArrayList<>();
            if (spec instanceof ModelSpec.Deep deep) {
                DeepNetwork.Config cfg = deep.config(n, loss);
                DeepKernel kernel = new DeepKernel(cfg, cmd.quadrature);
                theta = kernel.ntk(set.x(), null, threads);
                normalisation = kernel.normalisation();
                s.put("widths", deep.widths());
                if (cfg.widths()[cfg.depth()] > 1) {
                    notes.add("k = " + cfg.widths()[cfg.depth()]
                            + " outputs: Θ is the kernel of each output (outputs do not couple in the limit)");
                }
            } else {
                ModelSpec.Implicit imp = (ModelSpec.Implicit) spec;
                ImplicitNetwork.Config cfg = imp.config(set.d(), n, loss, 1);
                ImplicitKernel kernel = new ImplicitKernel(cfg);
                // Gao et al.'s G∞ = E_w[relu(Xw)relu(Xw)ᵀ] (the degree-1 arc-cosine kernel): λ₀ = λ_min(G∞).
                double[] gao = new TwoLayerKernel(1.0, false).nngp(set.x(), null, threads);
                double[] gv = SymmetricEigen.ofInPlace(gao, n, false, threads).values();
                s.put("gao_lambda0", gv[0]);
                s.put("gao_lambda_max", gv[n - 1]);
                System.out.printf(
                        "λ₀ = λ_min(G∞)         %.6g  (Gao et al.'s G∞ = E[relu(Xw)relu(Xw)ᵀ]; λ_max(G∞) = %.6g)%n",
                        gv[0], gv[n - 1]);
                if (!kernel.derived()) {
                    String why =
                            "the full H∞ with --phi-relu (φ = relu(Bx)·s) is not derived (the pre-activation is not Gaussian); "
                                    + "only G∞ above is exact";
                    System.out.println("note: " + why);
                    s.put("notes", List.of(why));
                    s.put("seconds", (System.nanoTime() - t0) / 1e9);
                    write(s);
                    return 0;
                }
                theta = kernel.ntk(set.x(), null, threads);
                normalisation = kernel.normalisation();
                s.put("width", imp.width());
                s.put("gamma", imp.gamma());
            }
            SymmetricEigen eigen = SymmetricEigen.ofInPlace(theta, n, false, threads);
            double lmin = eigen.min(), lmax = eigen.max();
            double unit = loss == LossKind.SUM ? 1 : n; // a step η on the mean is η/n on the sum
            System.out.println("kernel: " + normalisation);
            notes.forEach(note -> System.out.println("note: " + note));
            System.out.printf("λ_min(Θ)               %.6g%n", lmin);
            System.out.printf("λ_max(Θ)               %.6g  (condition number %.4g)%n", lmax, lmax / lmin);
            System.out.printf(
                    "stable step            η < 2/λ_max%s = %.6g%n",
                    unit == 1 ? "" : "·n (mean loss)", 2 * unit / lmax);
            System.out.printf(
                    "--lr auto (c = %s)      η = c/λ_max%s = %.6g%n",
                    InitialKernel.DEFAULT_FACTOR,
                    unit == 1 ? "" : "·n",
                    InitialKernel.step(InitialKernel.DEFAULT_FACTOR, lmax, loss, n));
            s.put("kernel", "infinite-width NTK");
            s.put("normalisation", normalisation);
            s.put("lambda_min", lmin);
            s.put("lambda_max", lmax);
            s.put("stability_limit_eta", 2 * unit / lmax);
            s.put("lr_auto", InitialKernel.step(InitialKernel.DEFAULT_FACTOR, lmax, loss, n));
            if (!notes.isEmpty()) {
                s.put("notes", notes);
            }
            if (cmd.empirical) {
                s.put("empirical", empirical(k, spec, set, loss, initRng, threads, lmax));
            }
            s.put("spectrum", eigen.values());
            s.put("seconds", (System.nanoTime() - t0) / 1e9);
            write(s);
        }
        return 0;
    }

    private Map<String, Object> empirical(
            Kernels k,
            ModelSpec spec,
            Dataset set,
            LossKind loss,
            SplittableRandom initRng,
            int threads,
            double limitMax) {
        int n = set.n();
        Network net = switch (spec) {
            case ModelSpec.Deep deep -> {
                DeepNetwork.Config cfg = deep.config(n, loss);
                if (cfg.widths()[cfg.depth()] != 1) {
                    throw new InputException(
                            "--empirical needs one output (the empirical NTK is formed per output); --widths ends in "
                                    + cfg.widths()[cfg.depth()]);
                }
                yield new DeepNetwork(k, cfg, initRng);
            }
            case ModelSpec.Implicit imp -> new ImplicitNetwork(k, imp.config(set.d(), n, loss, 1), initRng);
            case ModelSpec.TwoLayer two -> throw new IllegalStateException("two-layer is handled by TheoryCommand");
        };
        try (net) {
            double[] k0 = InitialKernel.empirical(k, net, set.x(), set.y());
            double[] v = SymmetricEigen.ofInPlace(k0, n, false, threads).values();
            double lmin = v[0], lmax = v[n - 1];
            System.out.printf(
                    "empirical K(0), seed %d: λ_min %.6g, λ_max %.6g (λ_max(K(0))/λ_max(Θ) = %.4f); --lr auto would use η = %.6g%n",
                    cmd.seed,
                    lmin,
                    lmax,
                    lmax / limitMax,
                    InitialKernel.step(InitialKernel.DEFAULT_FACTOR, lmax, loss, n));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("seed", cmd.seed);
            e.put("lambda_min", lmin);
            e.put("lambda_max", lmax);
            e.put("lambda_max_ratio_to_limit", lmax / limitMax);
            e.put("lr_auto", InitialKernel.step(InitialKernel.DEFAULT_FACTOR, lmax, loss, n));
            e.put("spectrum", v);
            return e;
        }
    }

    private void write(Map<String, Object> s) throws java.io.IOException {
        Path json = cmd.json;
        if (json != null) {
            Json.write(json, s);
            System.out.println("wrote " + json);
        }
    }
}
