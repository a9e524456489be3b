package widenet.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import widenet.files.InvalidInputException;

/** Finds {@link KernelProvider}s through {@link ServiceLoader}. */
public final class KernelProviders {
    /** The provider used when none is named. */
    public static final String DEFAULT = "simd";

    private KernelProviders() {
    }

    /** Every provider on the module path or class path, available or not. */
    public static List<KernelProvider> all() {
        List<KernelProvider> out = new ArrayList<>();
        for (KernelProvider p : ServiceLoader.load(KernelProvider.class, KernelProviders.class.getClassLoader())) {
            out.add(p);
        }
        return out;
    }

    /** The provider called {@code name}; an {@link InvalidInputException} (bad input) naming the ones there are otherwise. */
    public static KernelProvider named(String name) {
        List<KernelProvider> all = all();
        List<String> names = new ArrayList<>();
        for (KernelProvider p : all) {
            names.add(p.name());
            if (p.name().equals(name)) {
                if (!p.isAvailable()) {
                    throw new InvalidInputException("kernel provider '" + name + "' is not available: " + p.unavailableReason());
                }
                return p;
            }
        }
        throw new InvalidInputException("unknown kernel provider '" + name + "'; available: "
                + (names.isEmpty() ? "none (no provider module on the path)" : String.join(", ", names)));
    }

    /** Kernels from the provider called {@code name} with {@code threads} threads. */
    public static Kernels open(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        return named(name).create(threads);
    }
}
