// A custom Probe: an extra metrics column computed from the network while it trains. This one measures the
// output weights' norm ‖a‖₂ and the mean |f(x)| over the data, the kind of quantity the theory probes of
// widenet.theory compute (λ_min of the Gram matrix, the Du et al. bound) in the same way.
//   java -p <widenet jars> --add-modules widenet.train,widenet.kernel.simd,jdk.incubator.vector examples/CustomProbe.java
import java.util.List;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.train.Dataset;
import widenet.train.Probe;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

public class CustomProbe {
    /** ‖a‖₂ and mean |f(x)| of the last forward pass (on the full data set whenever a probe runs). */
    static final class OutputProbe implements Probe {
        @Override
        public List<String> names() {
            return List.of("a_norm", "mean_abs_output");
        }

        @Override
        public long every() {
            return 10;
        }

        @Override
        public void measure(Network net, long step, double[] out) {
            double s = 0;
            for (Parameter p : net.parameters()) {
                if (p.name().equals("a")) {
                    for (float v : p.value().toArray()) {
                        s += (double) v * v;
                    }
                }
            }
            FloatMatrix u = net.predictions();
            double abs = 0;
            for (int i = 0; i < u.rows(); i++) {
                abs += Math.abs(u.get(i, 0));
            }
            out[0] = Math.sqrt(s);
            out[1] = abs / u.rows();
        }
    }

    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 64, d = 16, m = 256;
        try (Kernels kernels = KernelProviders.open(KernelProviders.DEFAULT, 2);
             Dataset data = Dataset.unitSphere(n, d, rng.split());
             TwoLayerNetwork net = new TwoLayerNetwork(kernels,
                     new TwoLayerNetwork.Config(d, m, n, 1.0, true, LossKind.SUM, true), rng.split());
             Trainer trainer = new Trainer(kernels, net, data, new TrainSettings(0.1, 50, n, 5, 0), List.of(new OutputProbe()))) {
            trainer.run(row -> System.out.printf("step %d loss %.6g a_norm %.4f mean_abs_output %.4f%n",
                    row.step, row.loss, row.probes[0], row.probes[1]));
        }
    }
}
