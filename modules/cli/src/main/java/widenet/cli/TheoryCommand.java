package widenet.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;
import widenet.theory.TwoLayerTheory;
import widenet.train.Dataset;
import widenet.train.InputException;
import widenet.train.ModelSpec;
import widenet.train.internal.Json;
import widenet.train.internal.ResultTarget;

/**
 * {@code widenet theory}: the spectral facts of a model's infinite-width kernel for a data set, without training.
 * {@code --model two-layer} (the default): H∞'s λ₀, λ_max, the stability limit, the generalisation measure and the
 * width Du et al.'s theorem asks for. {@code --model deep} and {@code --model implicit}: λ_min, λ_max and the stable
 * step of the analytic NTK ({@link ModelTheory}), optionally beside the empirical K(0) of the network {@code train}
 * would draw for the same seed.
 */
@Command(
        name = "theory",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "The theorems' quantities for a data set, without training.",
        description = {
            "Prints λ₀ = λ_min(H∞), λ_max, the stable step, the measure sqrt(2yᵀ(H∞)⁻¹y/n) and the width m = n⁶/(λ₀⁴δ³) of Du et al.'s Theorem 4.1 (constant 1).",
            "--model deep|implicit (with the model's train options): λ_min, λ_max and the stable step 2/λ_max of the analytic infinite-width NTK; --empirical adds the empirical K(0) of the seed's network.",
            "With no --x: the synthetic data `widenet train` draws for the same --n, --d, --seed."
        })
final class TheoryCommand implements Callable<Integer> {

    @Option(names = "--x", description = "Inputs X (n×d .npy).")
    Path xFile;

    @Option(names = "--y", description = "Labels y (n or n×1 .npy) for --x; without them there is no measure.")
    Path yFile;

    @Mixin
    SyntheticDataOptions synthetic = new SyntheticDataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(
            names = "--empirical",
            description =
                    "deep, implicit: also the empirical K(0) = JJᵀ of the network `widenet train --seed` draws, its λ's and the --lr auto step.")
    boolean empirical;

    @Option(
            names = "--quadrature",
            description =
                    "deep: Gauss–Hermite points per dimension for activations without a closed form (default: ${DEFAULT-VALUE}).",
            defaultValue = "64")
    int quadrature = 64;

    @Option(
            names = "--seed",
            description = "Seed of the synthetic data, as in `widenet train` (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long seed;

    @Option(
            names = "--delta",
            description = "Failure probability δ in the required width (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.1")
    double delta;

    @Option(
            names = {"--lr", "--eta"},
            description = "Step size η for the Du rate 1 − ηλ₀/2 (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.1")
    double lr;

    @Option(
            names = "--loss",
            description = "sum or mean: sets the step's kernel units (default: ${DEFAULT-VALUE}).",
            defaultValue = "sum")
    String loss;

    @Option(names = "--json", description = "Also write the facts (and the arrays spectrum, projections) to this file.")
    Path json;

    @Option(
            names = "--kernels",
            description = "Kernel provider for the Gram GEMM (default: ${DEFAULT-VALUE}).",
            defaultValue = KernelProviders.DEFAULT)
    String kernels;

    @Mixin
    ThreadOptions threads = new ThreadOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!model.model.equals(ModelOptions.TWO_LAYER)) {
            return new ModelTheory(this).run();
        }
        for (String o : new String[] {"--empirical", "--quadrature"}) {
            if (given(o)) {
                throw new InputException(o + " applies to --model deep and implicit");
            }
        }
        ModelSpec.TwoLayer two = (ModelSpec.TwoLayer) model.spec(ModelOptions.TWO_LAYER, this::given);
        two.validate(null);
        if (!(delta > 0 && delta < 1)) {
            throw new InputException("--delta must be in (0, 1), got " + delta);
        }
        if (yFile != null && xFile == null) {
            throw new InputException("--y needs --x");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) { // as train checks it
            throw new InputException("--lr must be positive and finite, got " + lr);
        }
        LossKind lossKind;
        try {
            lossKind = LossKind.parse(loss);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        if (xFile == null) {
            synthetic.requirePositive(true);
        } else {
            for (String o : new String[] {"--n", "--d", "--seed"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new InputException(
                            o + " sizes the synthetic data; with --x the data is the file's (drop " + o + ")");
                }
            }
        }
        if (json != null) {
            ResultTarget.check("--json", json, null, ResultTarget.Kind.JSON);
        }
        threads.validate();
        long t0 = System.nanoTime();
        try (Kernels k = KernelProviders.open(kernels, threads.count())) {
            FloatMatrix x;
            double[] y = null;
            String source;
            if (xFile == null) {
                // The same stream `widenet train --seed` draws its data from.
                try (Dataset data = Dataset.unitSphere(synthetic.n, synthetic.d, new SplittableRandom(seed).split())) {
                    x = FloatMatrix.allocate(data.n(), data.d());
                    x.copyFrom(data.x());
                    y = column(data.y());
                    source = data.description() + ", seed " + seed;
                }
            } else {
                if (yFile != null) {
                    widenet.train.DataSpec.requireSameRows(xFile, yFile); // before X is read whole
                }
                x = Npy.readMatrix(xFile);
                if (x.rows() == 0 || x.cols() == 0) {
                    int rows = x.rows(), cols = x.cols();
                    x.close();
                    throw new InputException(xFile + ": " + rows + "×" + cols
                            + " inputs; H∞ needs at least one sample of at least one feature");
                }
                Dataset.requireFinite(x, xFile.toString());
                if (yFile != null) {
                    try (FloatMatrix ym = Npy.readMatrix(yFile, x.rows(), 1)) {
                        Dataset.requireFinite(ym, yFile.toString());
                        y = column(ym);
                    }
                }
                source = xFile + " (n=" + x.rows() + ", d=" + x.cols() + ")" + (yFile != null ? ", " + yFile : "");
            }
            TwoLayerTheory theory;
            try (FloatMatrix owned = x) {
                theory = new TwoLayerTheory(k, owned, y, lr, lossKind, two.trainOutputLayer(), two.kappa());
            } catch (TwoLayerTheory.InputsOverflow e) {
                throw new InputException(
                        (xFile != null ? xFile.toString() : "the inputs") + ": " + e.getMessage()
                                + "; rescale the inputs (the theory assumes ‖xᵢ‖ = 1)",
                        e);
            }
            if (theory.singularWarning() != null) {
                spec.commandLine().getErr().println("widenet: warning: " + theory.singularWarning());
            }
            Map<String, Object> s = theory.summary(delta, true);
            s.put("seconds", (System.nanoTime() - t0) / 1e9);
            System.out.println("data: " + source);
            if (!theory.unitNormInputs()) {
                System.out.printf(
                        "note: inputs are not unit-norm (max |‖x‖ − 1| = %.3g); H∞ uses the angle form xᵢᵀxⱼ(π − θᵢⱼ)/(2π)%n",
                        theory.maxNormDeviation());
            }
            System.out.printf("λ₀ = λ_min(H∞)         %.6g%n", theory.lambda0());
            System.out.printf(
                    "λ_max(H∞)              %.6g  (condition number %.4g)%n",
                    theory.lambdaMax(), theory.lambdaMax() / theory.lambda0());
            System.out.printf("stable step            η < 2/λ_max = %.6g%n", theory.stabilityLimitEta());
            System.out.printf("Du rate at η = %-8s 1 − ηλ₀/2 = %.6f per step%n", lr, theory.duRate());
            if (y != null) {
                System.out.printf("yᵀ(H∞)⁻¹y              %.6g%n", (Double) s.get("y_Hinv_y"));
                System.out.printf(
                        "measure                sqrt(2yᵀ(H∞)⁻¹y/n) = %.6g%n", (Double) s.get("generalisation_measure"));
            }
            System.out.printf(
                    "required width         m = n⁶/(λ₀⁴δ³) = %.4g  (δ = %s, constant 1)%n",
                    (Double) s.get("required_width"), delta);
            if (json != null) {
                Json.write(json, s);
                System.out.println("wrote " + json);
            }
        }
        return 0;
    }

    /** Whether the option was on the command line. */
    boolean given(String option) {
        return spec != null
                && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    static double[] column(FloatMatrix m) {
        double[] v = new double[m.rows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i, 0);
        }
        return v;
    }
}
