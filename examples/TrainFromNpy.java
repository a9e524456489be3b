// Train widenet's two-layer ReLU network (Du et al. 2019) on your own data: X (n×d) and Y (n×1) as .npy files,
// then write the trained network's predictions on X with Network.predict.
//   java -p <widenet jars> --add-modules widenet.train,widenet.kernel.simd,jdk.incubator.vector \
//        examples/TrainFromNpy.java X.npy Y.npy predictions.npy
import java.nio.file.Path;
import java.util.SplittableRandom;
import widenet.kernel.KernelProviders;
import widenet.kernel.Kernels;
import widenet.model.LossKind;
import widenet.model.TwoLayerNetwork;
import widenet.tensor.FloatMatrix;
import widenet.tensor.Npy;
import widenet.train.Dataset;
import widenet.train.TrainSettings;
import widenet.train.Trainer;

public class TrainFromNpy {
    public static void main(String[] args) throws Exception {
        Path xFile = Path.of(args[0]), yFile = Path.of(args[1]), out = Path.of(args[2]);
        int m = 512;
        try (Kernels kernels = KernelProviders.open(KernelProviders.DEFAULT, 2);
             Dataset data = new Dataset(Npy.readMatrix(xFile), Npy.readMatrix(yFile), xFile + ", " + yFile)) {
            int n = data.n(), d = data.d();
            try (TwoLayerNetwork net = new TwoLayerNetwork(kernels,
                         new TwoLayerNetwork.Config(d, m, n, 1.0, false, LossKind.SUM, true), new SplittableRandom(1));
                 Trainer trainer = new Trainer(kernels, net, data, new TrainSettings(0.2, 200, n, 50, 0));
                 FloatMatrix predictions = FloatMatrix.allocate(n, 1)) {
                trainer.run(row -> System.out.printf("step %d loss %.6g%n", row.step, row.loss));
                net.predict(data.x(), predictions);   // no labels needed: works on any inputs with d columns
                Npy.write(out, predictions);
                System.out.println("wrote " + out);
            }
        }
    }
}
