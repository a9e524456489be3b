package widenet.bench;

import widenet.kernel.KernelProvider;
import widenet.kernel.KernelProviders;

/**
 * Lists the kernel providers the benchmark jar contains, one per line: {@code name<TAB>available<TAB>reason}.
 * {@code native-bench/compare.sh} runs it before JMH so that a provider that is not built (or cannot run in this
 * JVM) is reported and skipped instead of failing every benchmark that names it. With {@code --describe} it prints
 * the simd provider's {@link widenet.kernel.Kernels#description()} instead: the CPU it saw and the kernel
 * configuration it chose.
 */
public final class ProviderCheck {
    private ProviderCheck() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--describe")) {
            try (widenet.kernel.Kernels k = KernelProviders.open("simd", 1)) {
                System.out.println(k.description());
            }
            return;
        }
        for (KernelProvider p : KernelProviders.all()) {
            boolean available = p.isAvailable();
            System.out.println(p.name() + "\t" + (available ? "available" : "unavailable") + "\t"
                    + (available ? "" : p.unavailableReason()));
        }
    }
}
