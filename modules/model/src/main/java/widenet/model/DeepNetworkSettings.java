package widenet.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import widenet.kernel.Activation;

/**
 * The settings of the {@link DeepNetwork} (Nguyen &amp; Mondelli 2020; Nguyen 2021): its {@link Config}, the widths
 * n₀..n_L with the per-layer {@link WeightInit}s, and the check of the papers' pyramid topology. A separate type so
 * that the network's file holds the computation; the network implements it, so the settings are reachable as
 * {@code DeepNetwork.Config}.
 */
public interface DeepNetworkSettings {
    /**
     * The settings. {@code inits} has one entry per layer (l = 1..L); {@code outputScale} multiplies the last
     * layer's draw (0: a zero output layer); {@code frozen} lists layers (1-based) that gradient descent leaves
     * fixed.
     */
    public record Config(
            int[] widths,
            int capacity,
            Activation activation,
            List<WeightInit> inits,
            double outputScale,
            boolean biases,
            LossKind loss,
            Set<Integer> frozen) {
        public Config {
            widths = widths.clone();
            if (widths.length < 2) {
                throw new IllegalArgumentException(
                        "a deep network needs at least 2 widths (input d and output k), got " + widths.length);
            }
            for (int l = 0; l < widths.length; l++) {
                if (widths[l] <= 0) {
                    throw new IllegalArgumentException(
                            "width n" + l + " must be positive, got " + widths[l] + " (widths " + join(widths) + ")");
                }
            }
            if (capacity <= 0) {
                throw new IllegalArgumentException("batch capacity must be positive, got " + capacity);
            }
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
            int layers = widths.length - 1;
            if (inits.size() == 1 && layers > 1) {
                inits = Collections.nCopies(layers, inits.get(0));
            }
            if (inits.size() != layers) {
                throw new IllegalArgumentException(
                        "got " + inits.size() + " weight inits for " + layers + " layers; give one, or one per layer");
            }
            inits = List.copyOf(inits);
            if (!Double.isFinite(outputScale)) {
                throw new IllegalArgumentException("output scale must be finite, got " + outputScale);
            }
            for (int l : frozen) {
                if (l < 1 || l > layers) {
                    throw new IllegalArgumentException("cannot freeze layer " + l + ": layers are 1.." + layers);
                }
            }
            frozen = Collections.unmodifiableSet(new TreeSet<>(frozen));
            if (loss == null) {
                throw new IllegalArgumentException("loss must not be null");
            }
        }

        /** L, the number of weight layers. */
        public int depth() {
            return widths.length - 1;
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        /**
         * Why the topology is not the one Nguyen &amp; Mondelli (2020) assume for {@code samples} training points
         * (first hidden width n₁ ≥ N, then n₁ ≥ n₂ ≥ … ≥ n_L), or null if it is. Training works either way.
         */
        public String pyramidViolation(int samples) {
            List<String> why = new ArrayList<>();
            if (widths.length > 2 && widths[1] < samples) {
                why.add("first hidden width n1 = " + widths[1] + " < N = " + samples + " samples");
            }
            for (int l = 2; l < widths.length; l++) {
                if (widths[l] > widths[l - 1]) {
                    why.add("widths increase after layer 1 (n" + (l - 1) + " = " + widths[l - 1] + " < n" + l + " = "
                            + widths[l] + ")");
                    break;
                }
            }
            if (why.isEmpty()) {
                return null;
            }
            return "widths " + join(widths)
                    + " are not the pyramid of Nguyen & Mondelli (2020) (n1 >= N, then non-increasing): "
                    + String.join("; ", why);
        }

        /** The widths as the command line writes them, e.g. {@code 64,512,64,1}. */
        public String widthsSpec() {
            return join(widths);
        }

        private static String join(int[] w) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                s.append(i == 0 ? "" : ",").append(w[i]);
            }
            return s.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c
                    && Arrays.equals(widths, c.widths)
                    && capacity == c.capacity
                    && activation.toString().equals(c.activation.toString())
                    && inits.equals(c.inits)
                    && Double.compare(outputScale, c.outputScale) == 0
                    && biases == c.biases
                    && loss == c.loss
                    && frozen.equals(c.frozen);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(widths) * 31 + inits.hashCode();
        }

        @Override
        public String toString() {
            return "DeepNetwork.Config[widths=" + join(widths) + ", capacity=" + capacity + ", activation=" + activation
                    + ", inits=" + inits + ", outputScale=" + outputScale + ", biases=" + biases + ", loss=" + loss
                    + ", frozen=" + frozen + "]";
        }
    }
}
