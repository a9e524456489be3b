// A deep ReLU network (Nguyen & Mondelli 2020; Nguyen 2021): widths d, n1, …, nL, LeCun initialisation, one
// wide layer (the pyramidal topology of the theorems), trained by full-batch gradient descent on the unit sphere.
//   java -p <widenet jars> --add-modules widenet.train,widenet.kernel.simd,jdk.incubator.vector examples/DeepNetworkExample.java
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import widenet.kernel.Activation;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.DeepNetwork;
import widenet.model.LossKind;
import widenet.model.WeightInit;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

public class DeepNetworkExample {
    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 48;
        int[] widths = {16, 256, 64, 32, 1};   // d = 16, a wide first layer, then narrowing: pyramidal
        try (Kernels kernels = KernelProviders.open(KernelProviders.DEFAULT, 2);
             Dataset data = Dataset.unitSphere(n, widths[0], widths[widths.length - 1], rng.split());
             DeepNetwork net = new DeepNetwork(kernels, new DeepNetwork.Config(widths, n, Activation.relu(false),
                     List.of(WeightInit.LECUN), 1.0, false, LossKind.SUM, Set.of()), rng.split());
             Trainer trainer = new Trainer(kernels, net, data, new TrainSettings(0.005, 300, n, 50, 0))) {
            trainer.run(row -> System.out.printf("step %d loss %.6g%n", row.step, row.loss));
        }
    }
}
