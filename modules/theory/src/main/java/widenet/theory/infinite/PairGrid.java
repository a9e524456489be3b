package widenet.theory.infinite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ojalgo.matrix.store.R064Store;
import widenet.tensor.FloatMatrix;

/**
 * The inputs' inner products in double precision and a way to fill an r₁×r₂ kernel entry by entry on several
 * threads. Every entry of an infinite-width kernel depends only on its own pair (xᵢᵀxⱼ, ‖xᵢ‖², ‖xⱼ‖²), so rows can
 * be split among threads in any way and the result is the same bits for every thread count.
 */
final class PairGrid {
    /** One entry from its pair's inner products: {@code out} receives whatever the kernel writes (length fixed). */
    interface Entry {
        void eval(int i, int j, double gij, double[] scratch, double[] out);
    }

    final int rows, cols;
    final boolean symmetric;
    final double[] inner; // X₁X₂ᵀ, rows×cols, row-major
    final double[] sq1, sq2; // ‖x₁ᵢ‖², ‖x₂ⱼ‖²

    /** x2 null (or the same object): the symmetric case X Xᵀ, only the upper triangle is evaluated. */
    PairGrid(FloatMatrix x1, FloatMatrix x2) {
        if (x2 != null && x2.cols() != x1.cols()) {
            throw new IllegalArgumentException("inputs have " + x1.cols() + " and " + x2.cols() + " features");
        }
        symmetric = x2 == null || x2 == x1;
        FloatMatrix b = symmetric ? x1 : x2;
        rows = x1.rows();
        cols = b.rows();
        R064Store a1 = store(x1), a2 = symmetric ? a1 : store(b);
        // ojAlgo's raw copy is column-major: (X₂X₁ᵀ) column-major is X₁X₂ᵀ row-major.
        inner = a2.multiply(a1.transpose()).toRawCopy1D();
        sq1 = squares(x1);
        sq2 = symmetric ? sq1 : squares(b);
    }

    private static R064Store store(FloatMatrix a) {
        R064Store m = R064Store.FACTORY.make(a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m.set(i, j, a.get(i, j));
            }
        }
        return m;
    }

    private static double[] squares(FloatMatrix a) {
        double[] s = new double[a.rows()];
        for (int i = 0; i < s.length; i++) {
            double t = 0;
            for (int j = 0; j < a.cols(); j++) {
                double v = a.get(i, j);
                t += v * v;
            }
            s[i] = t;
        }
        return s;
    }

    /**
     * Fills {@code outputs.length} rows×cols arrays: entry (i, j) of output k is out[k] of {@code entry}; in the
     * symmetric case (i, j) for j ≥ i, mirrored. Rows are dealt round-robin to {@code threads} threads. An output may
     * be {@link #inner} itself (n² doubles saved): entry (i, j) is read before it is written, the symmetric case reads
     * only the upper triangle and its mirrored writes go to the lower one, and no other entry reads what one writes.
     */
    void fill(int threads, int scratchSize, Entry entry, double[]... outputs) {
        int parts = Math.max(1, Math.min(threads, rows));
        Runnable[] work = new Runnable[parts];
        for (int p = 0; p < parts; p++) {
            int part = p;
            work[p] = () -> {
                double[] scratch = new double[scratchSize];
                double[] out = new double[outputs.length];
                for (int i = part; i < rows; i += parts) {
                    for (int j = symmetric ? i : 0; j < cols; j++) {
                        entry.eval(i, j, inner[i * cols + j], scratch, out);
                        for (int k = 0; k < outputs.length; k++) {
                            outputs[k][i * cols + j] = out[k];
                            if (symmetric) {
                                outputs[k][j * cols + i] = out[k];
                            }
                        }
                    }
                }
            };
        }
        run(work);
    }

    static void run(Runnable[] work) {
        if (work.length == 1) {
            work[0].run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(work.length - 1, r -> {
            Thread t = new Thread(r, "widenet-kernel");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (int p = 1; p < work.length; p++) {
                pending.add(pool.submit(work[p]));
            }
            work[0].run();
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while forming a kernel", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
