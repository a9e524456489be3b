package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.model.LossKind;
import widenet.theory.SymmetricEigen;
import widenet.theory.infinite.ImplicitKernel;
import widenet.theory.infinite.TwoLayerKernel;
import widenet.train.Dataset;
import widenet.train.ModelSpec;
import widenet.train.internal.Json;

/** {@code widenet theory --model two-layer|deep|implicit}. */
class ModelTheoryCommandTest {
    @TempDir
    Path tmp;

    static Map<String, Object> theory(Path json, String... args) throws IOException {
        String[] all = new String[args.length + 4];
        all[0] = "theory";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--kernels";
        all[args.length + 2] = "scalar";
        all[args.length + 3] = "--json=" + json;
        String[] out = new String[1];
        int[] code = new int[1];
        out[0] = TheoryCommandTest.stdout(() -> {
            TrainCommandTest.Result r = TrainCommandTest.run(all);
            code[0] = r.code();
            System.out.print(r.err());
        });
        assertEquals(0, code[0], out[0]);
        return Json.read(json);
    }

    static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /**
     * The deep model's analytic spectrum, and the empirical K(0) of the network {@code train --seed} draws: its λ_max is
     * the one the training run records at step 0 (theory.init.ntk_lambda_max), i.e. theory builds the same network.
     */
    @Test
    void deepModelPrintsTheLimitSpectrumAndTheSameEmpiricalKernelAsTrain() throws IOException {
        Map<String, Object> f = theory(
                tmp.resolve("deep.json"),
                "--model",
                "deep",
                "--n",
                "16",
                "--widths",
                "6,256,128,1",
                "--activation",
                "leaky-relu:0.2",
                "--weight-init",
                "he",
                "--seed",
                "4",
                "--empirical");
        assertEquals("deep", f.get("model"));
        List<?> spectrum = (List<?>) f.get("spectrum");
        assertEquals(16, spectrum.size());
        double lmin = num(f, "lambda_min"), lmax = num(f, "lambda_max");
        assertTrue(lmin > 0 && lmax > lmin, f.toString());
        assertEquals(lmax, ((Number) spectrum.get(15)).doubleValue(), 0);
        assertEquals(2 / lmax, num(f, "stability_limit_eta"), 0);
        assertEquals(1 / lmax, num(f, "lr_auto"), 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) f.get("empirical");
        Path run = tmp.resolve("run");
        assertEquals(
                0,
                TrainCommandTest.run(
                                "train",
                                "--model",
                                "deep",
                                "--n",
                                "16",
                                "--widths",
                                "6,256,128,1",
                                "--activation",
                                "leaky-relu:0.2",
                                "--weight-init",
                                "he",
                                "--seed",
                                "4",
                                "--steps",
                                "0",
                                "--theory",
                                "on",
                                "--kernels",
                                "scalar",
                                "--quiet",
                                "--out",
                                run.toString())
                        .code());
        @SuppressWarnings("unchecked")
        Map<String, Object> init = (Map<String, Object>)
                ((Map<String, Object>) Json.read(run.resolve("run.json")).get("theory")).get("init");
        // The same K(0) decomposed by the same solver (theory: ofInPlace; train's probe: of): the same bits up to n·ε.
        double trained = num(init, "ntk_lambda_max");
        assertEquals(trained, num(e, "lambda_max"), 16 * 16 * Math.ulp(trained));
    }

    /** The implicit model's H∞ is ImplicitKernel's for the options given (γ, m, skip), on train's data draw. */
    @Test
    void implicitModelPrintsGaoLambdaZeroAndTheEquilibriumKernelsSpectrum() throws IOException {
        Map<String, Object> f = theory(
                tmp.resolve("imp.json"),
                "--model",
                "implicit",
                "--n",
                "12",
                "--d",
                "5",
                "--width",
                "300",
                "--gamma",
                "0.3",
                "--phi",
                "linear",
                "--phi-scale",
                "sqrt-d",
                "--output-skip",
                "--output-init",
                "gaussian",
                "--seed",
                "2");
        var spec = new ModelSpec.Implicit(
                300, 0.3, 1e-6, 500, "linear", "sqrt-d", true, "gaussian", 1.0, false, List.of());
        try (Dataset data = Dataset.unitSphere(12, 5, new SplittableRandom(2).split())) {
            double[] h = new ImplicitKernel(spec.config(5, 12, LossKind.SUM, 1)).ntk(data.x(), null, 1);
            double[] g = new TwoLayerKernel(1.0, false).nngp(data.x(), null, 1);
            assertEquals(SymmetricEigen.of(h, 12, false).max(), num(f, "lambda_max"), 0);
            assertEquals(SymmetricEigen.of(g, 12, false).min(), num(f, "gao_lambda0"), 0);
        }
        assertEquals(12, ((List<?>) f.get("spectrum")).size());
        Map<String, Object> relu =
                theory(tmp.resolve("relu.json"), "--model", "implicit", "--n", "12", "--d", "5", "--phi", "relu");
        assertTrue(num(relu, "gao_lambda0") > 0);
        assertFalse(relu.containsKey("lambda_max"), "the full H∞ with the ReLU feature map is not derived: no λ_max");
    }

    /** The two-layer model honours --train-output-layer and --kappa: Θ = H∞ + κ²G∞, so λ_max grows. */
    @Test
    void twoLayerModelTakesItsOwnOptions() throws IOException {
        double h = num(theory(tmp.resolve("h.json"), "--n", "20", "--d", "6"), "lambda_max");
        double hg = num(
                theory(
                        tmp.resolve("hg.json"),
                        "--model",
                        "two-layer",
                        "--n",
                        "20",
                        "--d",
                        "6",
                        "--train-output-layer",
                        "--kappa",
                        "0.5"),
                "lambda_max");
        assertTrue(hg > h && hg < h + 0.25 * 20, h + " " + hg); // λ_max(G∞) ≤ trace(G∞) = n/2 for unit inputs
    }

    @Test
    void badCombinationsAreOneLineErrors() {
        for (String[] args : List.of(
                new String[] {"theory", "--model", "deep", "--n", "8", "--widths", "4,16,1", "--lr", "0.1"},
                new String[] {"theory", "--model", "implicit", "--widths", "4,16,1"},
                new String[] {"theory", "--model", "deep", "--n", "8"},
                new String[] {"theory", "--empirical", "--n", "8", "--d", "3"},
                new String[] {"theory", "--model", "deep", "--n", "8", "--widths", "4,16,1", "--quadrature", "0"})) {
            TrainCommandTest.Result r = TrainCommandTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}
