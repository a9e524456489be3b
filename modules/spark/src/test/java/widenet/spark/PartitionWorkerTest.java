package widenet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.train.Dataset;

/** A partition's step: the same numbers as the network on the same rows, and no heap allocation once warm. */
class PartitionWorkerTest {
    private static final int N = 40, D = 12, M = 96;

    private static WorkerSpec spec(boolean trainA) {
        return new WorkerSpec("test-" + trainA, 1, D, M, trainA, true, "simd", 1);
    }

    @Test
    void aPartitionComputesWhatTheNetworkComputesOnItsRows() {
        try (Kernels k = KernelProviders.open("simd", 1);
                Dataset data = Dataset.unitSphere(N, D, new SplittableRandom(5));
                TwoLayerNetwork net = new TwoLayerNetwork(
                        k,
                        new TwoLayerNetwork.Config(D, M, N, 1.0, true, LossKind.SUM, true),
                        new SplittableRandom(6))) {
            RowBlock block = SparkDataParallelEngine.split(data, 1).get(0);
            float[] weights = new float[spec(true).weightLength()];
            Packed.pack(net.weights(), weights, 0);
            Packed.pack(net.outputWeights(), weights, M * D);
            try (PartitionWorker worker = new PartitionWorker(spec(true), block)) {
                Partial p = worker.compute(weights, false);
                double loss = net.forward(data.x(), data.y());
                net.backward();
                // same kernels, same rows, same summation order: bit for bit
                assertEquals(loss, p.halfSquaredResiduals);
                float[] expected = new float[spec(true).gradientLength()];
                Packed.pack(net.parameters().get(0).gradient(), expected, 0);
                Packed.pack(net.parameters().get(1).gradient(), expected, M * D);
                assertArrayEquals(expected, p.gradient);
                assertEquals(0, p.partitionsWithInitialPatterns, "no S(0) before it is marked");
                Partial again = worker.compute(weights, true);
                assertEquals(1, again.partitionsWithInitialPatterns);
                assertEquals(0, again.patternChanges, "same weights, same patterns as S(0)");
            }
        }
    }

    /**
     * In local mode the release tasks of all partitions run in one JVM at once; each must close only the workers it
     * removed (two closing one worker threw "Already closed", which Spark logged as a failed task at every run's end).
     */
    @Test
    void concurrentReleasesCloseEachWorkerOnce() throws Exception {
        try (Dataset data = Dataset.unitSphere(N, D, new SplittableRandom(5))) {
            var blocks = SparkDataParallelEngine.split(data, 4);
            for (int round = 0; round < 20; round++) {
                WorkerSpec spec = new WorkerSpec("release-" + round, 4, D, M, true, true, "scalar", 1);
                for (RowBlock b : blocks) {
                    PartitionWorkers.get(spec, b);
                }
                assertEquals(4, PartitionWorkers.count());
                var start = new java.util.concurrent.CountDownLatch(1);
                var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
                try {
                    var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                    for (int t = 0; t < 4; t++) {
                        done.add(pool.submit(() -> {
                            start.await();
                            PartitionWorkers.release(spec.runId());
                            return null;
                        }));
                    }
                    start.countDown();
                    for (var f : done) {
                        f.get(); // rethrows a release's exception
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertEquals(0, PartitionWorkers.count());
            }
        }
    }

    @Test
    void aWarmPartitionStepAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Dataset data = Dataset.unitSphere(N, D, new SplittableRandom(5));
                PartitionWorker worker = new PartitionWorker(
                        spec(false), SparkDataParallelEngine.split(data, 1).get(0))) {
            float[] weights = new float[spec(false).weightLength()];
            java.util.Arrays.fill(weights, 0.25f);
            for (int i = 0; i < 2000; i++) { // warm-up, including JIT compilation of the copies
                worker.compute(weights, i == 1);
            }
            // Rounds of 100 steps until one allocates nothing: a stray object from the JIT (C2 compiling a path,
            // which on a busy machine can take many rounds) is not a per-step allocation; one that every step makes
            // shows in every round and fails after the time limit.
            long id = Thread.currentThread().threadId();
            long deadline = System.nanoTime() + 60_000_000_000L;
            long allocated;
            int rounds = 0;
            do {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 100; i++) {
                    worker.compute(weights, false);
                }
                allocated = threads.getThreadAllocatedBytes(id) - before;
                rounds++;
            } while (allocated != 0 && System.nanoTime() < deadline);
            assertEquals(
                    0, allocated, "bytes allocated by 100 warm partition steps in the last of " + rounds + " rounds");
        }
    }
}
