package widenet.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.Network;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;
import widenet.train.Dataset;
import widenet.train.InputException;

/** {@code widenet predict}: a trained network applied to new inputs, no labels needed. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Apply a trained network to new inputs.",
        description = {
            "f(x) for every row of X (an n×d .npy), from the run's final/ weights or a checkpoint (--step). Writes an n×k float32 .npy, or prints one row per line."
        })
final class PredictCommand implements Callable<Integer> {
    /** Rows per forward pass: bounds the activations' memory (rows × widths) whatever n is. */
    static final int BATCH = 1024;

    @Option(
            names = "--run",
            required = true,
            paramLabel = "DIR",
            description = "A run folder written by 'widenet train'.")
    Path run;

    @Option(
            names = "--x",
            required = true,
            paramLabel = "X.npy",
            description = "Inputs, n×d (d as in training), float32 or float64.")
    Path x;

    @Option(
            names = "--out",
            paramLabel = "Y.npy",
            description = "Where to write the n×k predictions (default: print them).")
    Path out;

    @Option(names = "--step", paramLabel = "K", description = "Use the checkpoint at step K instead of final/.")
    Long step;

    @Option(
            names = "--kernels",
            description = "Kernel provider (default: ${DEFAULT-VALUE}).",
            defaultValue = KernelProviders.DEFAULT)
    String kernels;

    @Option(names = "--threads", description = "Kernel threads (default: cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be at least 1, got " + threads);
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (FloatMatrix inputs = Npy.readMatrix(x)) {
            Dataset.requireFinite(inputs, x.toString());
            try (Kernels k = KernelProviders.open(kernels, t);
                    Network net = TrainedNetwork.open(k, run, step, Math.max(1, Math.min(BATCH, inputs.rows())))) {
                if (inputs.cols() != net.inputDim()) {
                    throw new InputException(x + " has d = " + inputs.cols() + " columns; the network in " + run
                            + " takes d = " + net.inputDim());
                }
                try (FloatMatrix y = FloatMatrix.allocate(Math.max(1, inputs.rows()), net.outputDim())) {
                    FloatMatrix pred = y.rows(0, inputs.rows());
                    net.predict(inputs, pred);
                    if (out != null) {
                        write(pred);
                    } else {
                        print(pred, System.out);
                    }
                }
            }
        }
        return 0;
    }

    /** Written next to the target and renamed over it: a reader never sees half a file. */
    private void write(FloatMatrix pred) throws java.io.IOException {
        Path target = out.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
        Npy.write(tmp, pred);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void print(FloatMatrix pred, PrintStream o) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < pred.rows(); i++) {
            line.setLength(0);
            for (int j = 0; j < pred.cols(); j++) {
                if (j > 0) {
                    line.append(',');
                }
                line.append(String.format(Locale.ROOT, "%.9g", pred.get(i, j)));
            }
            o.println(line);
        }
        o.flush();
    }
}
