package widenet.reproduce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;
import widenet.tensor.Npy;
import widenet.theory.NtkSpectrum;
import widenet.theory.TwoLayerTheory;
import widenet.train.DataSpec;
import widenet.train.FashionMnistFiles;
import widenet.train.InputException;
import widenet.train.ModelSpec;
import widenet.train.Permutations;
import widenet.train.RunSpec;

/**
 * Arora, Du, Hu, Li &amp; Wang (ICML 2019), true, random and worst-case labels: two classes of Fashion-MNIST
 * (Debian's {@code dataset-fashion-mnist}), images flattened and normalised to ‖x‖ = 1, labels ±1, a fraction p of
 * them replaced by uniform random signs (nested: the random labels of a larger p include those of a smaller one), and
 * the worst-case labels of their Figure 1, y = √n·v_min with v_min the unit eigenvector of λ_min(H∞) (scaled so that
 * ‖y‖² = n, as for ±1 labels). Width m = 10 000, κ = 0.01 (so u(0) ≈ 0 and the trajectory is Arora et al.'s),
 * W trained, sum loss, by default at the paper's size n = 10 000 (Figure 2's held-out set: n/5 more images of the
 * same classes, disjoint from the training ones, with their true labels). Step: η = 1/λ_max(H∞) unless {@code --lr}
 * is given — half the stability limit 2/λ_max, which at n = 2000 is close to the paper's 1e-3 and, unlike a fixed
 * value, stays stable and useful at other n.
 *
 * <p>Memory at n = 10⁴: H∞ (n² doubles, 800 MB) is built once and decomposed in its own storage
 * ({@link TwoLayerTheory} → {@code NtkSpectrum.consume}); the runs train with their own theory off, and the
 * reproduction predicts each run's trajectory ‖y − u(k)‖² ≈ Σᵢ (1 − ηλᵢ)^{2k} (vᵢᵀ(y − u(0)))² from that one
 * decomposition, u(0) recomputed from the run's {@code init/} weights. Held-out predictions come from its
 * {@code final/} weights.
 */
public final class Arora2019 extends Reproduction {
    static final String NAME = "arora2019";
    static final String WORST = "worst";

    Arora2019() {
        super(
                NAME,
                "Arora, Du, Hu, Li, Wang: Fine-Grained Analysis of Optimization and Generalization for Overparameterized "
                        + "Two-Layer Neural Networks (ICML 2019), Figures 1 and 2 (true, random and worst-case labels)",
                Set.of(
                        "--n",
                        "--width",
                        "--steps",
                        "--lr",
                        "--seed",
                        "--kappa",
                        "--theory-every",
                        "--every",
                        "--data",
                        "--classes",
                        "--fractions"));
    }

    private static Path dataDir(ReproductionOptions o) {
        return o.data() != null ? o.data() : FashionMnistFiles.DEBIAN_DIR;
    }

    @Override
    public void checkRunnable(ReproductionOptions o) {
        FashionMnistFiles files = FashionMnistFiles.in(dataDir(o));
        for (Path p : List.of(files.trainImages(), files.trainLabels())) {
            if (!Files.isRegularFile(p)) {
                throw new InputException(missingData(o.data(), p));
            }
        }
    }

    @Override
    public void run(ReproductionContext ctx) throws Exception {
        ReproductionOptions o = ctx.options();
        boolean quick = ctx.quick();
        int n = ctx.setting(o.n(), 200, 10_000);
        int m = ctx.setting(o.width(), 1000, 10_000);
        long steps = ctx.setting(o.steps(), 150L, 300L);
        double kappa = ctx.setting(o.kappa(), 0.01);
        long seed = ctx.setting(o.seed(), 0L);
        long every = ctx.setting(o.every(), 1L);
        List<Integer> classes = ctx.setting(o.classes(), List.of(0, 1));
        List<Double> fractions = ctx.setting(o.fractions(), List.of(0.0, 0.5, 1.0), List.of(0.0, 0.25, 0.5, 0.75, 1.0));
        if (o.theoryEvery() != null) {
            ctx.log(
                    NAME
                            + ": --theory-every is not used: the trajectory is predicted from one decomposition of H∞ at every metrics row");
        }
        if (classes.size() != 2 || classes.get(0).equals(classes.get(1))) {
            throw new InputException("--classes takes two different class labels, e.g. 0,1; got " + classes);
        }
        if (n < 2 || n % 2 != 0) {
            throw new InputException("--n must be even and ≥ 2 (n/2 images of each class), got " + n);
        }
        for (double p : fractions) {
            if (!(p >= 0 && p <= 1)) {
                throw new InputException("--fractions must be in [0, 1], got " + p);
            }
        }

        // ---- data: n/2 training and n_test/2 held-out images of each class, ‖x‖ = 1, labels ±1 ----
        int nTest = Arora2019Data.testSize(n);
        Path dataFolder = ctx.folder("data");
        double[][] labels = Arora2019Data.write(FashionMnistFiles.in(dataDir(o)), classes, n, nTest, dataFolder);
        double[] yTrue = labels[0], yTest = labels[1];
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5EEDL);
        int[] order = Permutations.uniform(n, rng);
        double[] randomSigns = new double[n];
        for (int i = 0; i < n; i++) {
            randomSigns[i] = rng.nextBoolean() ? 1 : -1;
        }

        // ---- H∞ once (the same X for every variant): its decomposition serves every prediction ----
        long t0 = System.nanoTime();
        TwoLayerTheory theory;
        int d;
        try (Kernels k = KernelProviders.open(ctx.kernels(), ctx.threads());
                FloatMatrix x = Npy.readMatrix(dataFolder.resolve("X.npy"))) {
            d = x.cols();
            theory = new TwoLayerTheory(k, x, yTrue, 1.0, LossKind.SUM, false, kappa);
        }
        NtkSpectrum spectrum = theory.spectrum();
        double eta = o.lr() != null ? o.lr() : 1 / spectrum.lambdaMax();
        double theorySeconds = (System.nanoTime() - t0) / 1e9;
        ctx.log(String.format(
                "%s: %d + %d held-out images of classes %s, d = %d; H∞: λ₀ = %.4g, λ_max = %.4g → η = %.4g%s (%.1f s)",
                NAME,
                n,
                nTest,
                classes,
                d,
                spectrum.lambdaMin(),
                spectrum.lambdaMax(),
                eta,
                o.lr() != null ? " (given)" : " = 1/λ_max",
                theorySeconds));

        // ---- the variants' labels: the random fractions, then the worst case ----
        List<double[]> ys = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (double p : fractions) {
            double[] y = yTrue.clone();
            int replaced = (int) Math.floor(p * n + 1e-9);
            for (int i = 0; i < replaced; i++) {
                y[order[i]] = randomSigns[order[i]];
            }
            ys.add(y);
            runs.add("random" + Math.round(p * 100));
        }
        double[] worst = spectrum.vector(0);
        double sign =
                worst[0] < 0 ? -1 : 1; // an eigenvector's sign is arbitrary: fix it so the labels are reproducible
        for (int i = 0; i < n; i++) {
            worst[i] *= sign * Math.sqrt(n);
        }
        ys.add(worst);
        runs.add(WORST);
        for (int i = 0; i < runs.size(); i++) {
            try (FloatVec v = FloatVec.allocate(n)) {
                for (int j = 0; j < n; j++) {
                    v.set(j, (float) ys.get(i)[j]);
                }
                Npy.write(dataFolder.resolve("y_" + runs.get(i) + ".npy"), v);
            }
        }

        ctx.plan(runs.size());
        double[] flops = new double[runs.size()];
        java.util.Arrays.fill(flops, (steps + 1) * 4.0 * n * d * m + 2.0 * (n + nTest) * d * m);
        ctx.announce(flops, 0);

        List<MetricsTable> metrics = new ArrayList<>();
        List<double[]> predicted = new ArrayList<>(), testOutputs = new ArrayList<>();
        try (Kernels k = KernelProviders.open(ctx.kernels(), ctx.threads());
                FloatMatrix x = Npy.readMatrix(dataFolder.resolve("X.npy"));
                FloatMatrix xTest = Npy.readMatrix(dataFolder.resolve("X_test.npy"))) {
            for (int i = 0; i < runs.size(); i++) {
                String run = runs.get(i);
                ctx.train(
                        run,
                        new RunSpec(
                                new DataSpec.NpyFiles(
                                        dataFolder.resolve("X.npy").toString(),
                                        dataFolder.resolve("y_" + run + ".npy").toString(),
                                        dataFolder.resolve("X_test.npy").toString(),
                                        dataFolder.resolve("y_test.npy").toString()),
                                new ModelSpec.TwoLayer(m, kappa, false, 1),
                                new RunSpec.Optimisation(eta, steps, null, every, "sum"),
                                seed,
                                null,
                                RunSpec.Theory.OFF,
                                null,
                                null,
                                null));
                MetricsTable t = ctx.metrics(run);
                metrics.add(t);
                double[] u0 = Arora2019Data.outputs(k, ctx.resolve(run).resolve("init"), x, kappa);
                double[] r0 = ys.get(i).clone();
                for (int j = 0; j < n; j++) {
                    r0[j] -= u0[j];
                }
                predicted.add(predictedLoss(spectrum, r0, eta, t.column("step")));
                testOutputs.add(Arora2019Data.outputs(k, ctx.resolve(run).resolve("final"), xTest, kappa));
            }
        }
        Arora2019Summary.write(
                ctx,
                this,
                new Arora2019Summary.Inputs(
                        o,
                        dataDir(o).toString(),
                        classes,
                        n,
                        nTest,
                        d,
                        m,
                        kappa,
                        steps,
                        eta,
                        fractions,
                        seed,
                        quick,
                        theory,
                        runs,
                        ys,
                        yTest,
                        metrics,
                        predicted,
                        testOutputs,
                        theorySeconds));
    }

    /**
     * The linearised loss ½‖y − u(k)‖² ≈ ½ Σᵢ (1 − ηλᵢ)^{2k} (vᵢᵀ(y − u(0)))² at each of {@code steps}, from the
     * eigenpairs (λᵢ, vᵢ) of H∞ (Arora et al.'s trajectory; with κ = 0.01, u(0) ≈ 0).
     */
    static double[] predictedLoss(NtkSpectrum spectrum, double[] residual0, double eta, double[] steps) {
        double[] c = spectrum.projections(residual0), lambda = spectrum.values(), out = new double[steps.length];
        for (int s = 0; s < steps.length; s++) {
            double sum = 0;
            for (int i = 0; i < c.length; i++) {
                sum += Math.pow(1 - eta * lambda[i], 2 * steps[s]) * c[i];
            }
            out[s] = 0.5 * sum;
        }
        return out;
    }

    /** The error when an IDX file is missing: from Debian's folder (how to install it) or from {@code --data}. */
    public static String missingData(Path given, Path file) {
        return given == null
                ? "Fashion-MNIST is not installed (no " + file
                        + "); install it with: apt-get install dataset-fashion-mnist"
                : "--data " + given + ": no " + file.getFileName()
                        + " there (expected the Fashion-MNIST IDX files, plain or .gz)";
    }
}
