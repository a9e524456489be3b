package widenet.sweep;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

/**
 * Trains one cell: the two-layer network of Du et al. (W trained, a fixed) by full-batch GD on its own kernels,
 * stopping at the first step k ≤ K with L(k)/L(0) ≤ ρ (then the run has reached the target: with a stable step
 * the loss decreases, so this is the same verdict as L(K)/L(0) ≤ ρ, for fewer steps).
 */
final class CellRun {
    private CellRun() {
    }

    static CellResult run(SweepSettings s, Cell cell) {
        long t0 = System.nanoTime();
        int n = cell.n(), d = s.dFor(n);
        try (Kernels k = KernelProviders.open(s.kernels(), s.threadsPerCell());
             Dataset data = Dataset.unitSphere(n, d, new SplittableRandom(cell.dataSeed()));
             TwoLayerNetwork net = new TwoLayerNetwork(k,
                     new TwoLayerNetwork.Config(d, cell.width(), n, s.kappa(), false, s.loss(), true),
                     new SplittableRandom(cell.initSeed()));
             Trainer trainer = new Trainer(k, net, data, new TrainSettings(s.lr(), s.steps(), n, s.steps(), 0))) {
            double loss0 = Double.NaN;
            for (long step = 0; ; step++) {
                if (Thread.interrupted()) {
                    throw new CancellationException("sweep cancelled during cell " + cell.dirName());
                }
                // L(k) at W(k); step() then moves W to W(k+1).
                double loss = step < s.steps() ? trainer.step() : net.forward(data.x(), data.y());
                if (step == 0) {
                    loss0 = loss;
                }
                String status = !Double.isFinite(loss) ? CellResult.DIVERGED
                        : loss <= s.target() * loss0 ? CellResult.REACHED
                        : step == s.steps() ? CellResult.NOT_REACHED : null;
                if (status != null) {
                    return new CellResult(cell, d, loss0, loss, status.equals(CellResult.REACHED) ? step : -1,
                            step, status, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }
}
