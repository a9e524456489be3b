package widenet.reproduce;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of {@code widenet reproduce NAME} a reproduction reads: the common ones (size, kernels, threads,
 * checkpoint cadence, verbosity) and the overrides of its defaults, each null when not given (a reproduction's
 * {@link Reproduction#options()} says which it takes). Built by the command line or by an embedding application.
 *
 * @param quick           small sizes: under a minute on 2 cores
 * @param kernels         the kernel provider's name ({@code auto}, {@code simd}, {@code scalar})
 * @param threads         the thread count
 * @param checkpointEvery each variant's checkpoint cadence ({@code K} steps or {@code Ns}), null: the default
 * @param verbose         each variant's own progress lines
 */
public record ReproductionOptions(
        boolean quick,
        String kernels,
        int threads,
        String checkpointEvery,
        boolean verbose,
        Integer n,
        Integer d,
        List<Integer> widths,
        Integer width,
        Long steps,
        Double lr,
        Long seed,
        Double kappa,
        Long theoryEvery,
        Long every,
        Path data,
        List<Integer> classes,
        List<Double> fractions) {
    public ReproductionOptions {
        widths = widths == null ? null : List.copyOf(widths);
        classes = classes == null ? null : List.copyOf(classes);
        fractions = fractions == null ? null : List.copyOf(fractions);
    }

    /** The defaults of every reproduction ({@code quick} or not) with these kernels and threads. */
    public static ReproductionOptions defaults(boolean quick, String kernels, int threads) {
        return new ReproductionOptions(
                quick, kernels, threads, null, false, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
