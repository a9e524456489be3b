package widenet.kernel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import widenet.files.InvalidInputException;

/** Finds {@link KernelProvider}s through {@link ServiceLoader}. */
public final class KernelProviders {
    /**
     * The provider used when none is named: {@code simd} where it can run, otherwise {@code scalar} with one warning
     * line (Lucene's {@code VectorizationProvider.lookup}: log why, return the portable implementation). Naming
     * {@code simd} explicitly still fails when it cannot run.
     */
    public static final String DEFAULT = "auto";
    /** The preferred provider and the portable one {@link #DEFAULT} falls back to. */
    static final String PREFERRED = "simd", PORTABLE = "scalar";

    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** Where the fallback warning goes; the tests swap it. */
    static volatile PrintStream warnings = System.err;

    private KernelProviders() {}

    /** Every provider on the module path or class path, available or not. */
    public static List<KernelProvider> all() {
        List<KernelProvider> out = new ArrayList<>();
        for (KernelProvider p : ServiceLoader.load(KernelProvider.class, KernelProviders.class.getClassLoader())) {
            out.add(p);
        }
        return out;
    }

    /**
     * The provider called {@code name} ({@link #DEFAULT} picks one); an {@link InvalidInputException} (bad input)
     * naming the ones there are otherwise.
     */
    public static KernelProvider named(String name) {
        List<KernelProvider> all = all();
        if (name.equals(DEFAULT)) {
            return automatic(all);
        }
        List<String> names = new ArrayList<>();
        for (KernelProvider p : all) {
            names.add(p.name());
            if (p.name().equals(name)) {
                if (!p.isAvailable()) {
                    throw new InvalidInputException(
                            "kernel provider '" + name + "' is not available: " + p.unavailableReason());
                }
                return p;
            }
        }
        throw new InvalidInputException("unknown kernel provider '" + name + "'; available: "
                + (names.isEmpty() ? "none (no provider module on the path)" : String.join(", ", names)) + ", "
                + DEFAULT);
    }

    private static KernelProvider automatic(List<KernelProvider> all) {
        KernelProvider preferred = find(all, PREFERRED);
        if (preferred != null && preferred.isAvailable()) {
            return preferred;
        }
        KernelProvider portable = find(all, PORTABLE);
        if (portable == null || !portable.isAvailable()) {
            throw new InvalidInputException("no kernel provider can run: "
                    + (preferred == null ? "the simd provider is not on the path" : preferred.unavailableReason())
                    + (portable == null
                            ? "; the scalar provider is not on the path"
                            : "; " + portable.unavailableReason()));
        }
        if (WARNED.compareAndSet(false, true)) {
            warnings.println("widenet: warning: using the scalar kernels because the simd kernels cannot run here ("
                    + (preferred == null
                            ? "the widenet.kernel.simd module is not on the path"
                            : preferred.unavailableReason())
                    + "); training is correct but about 10-40x slower (GEMM, the step's bulk, runs without vectors)");
        }
        return portable;
    }

    private static KernelProvider find(List<KernelProvider> all, String name) {
        for (KernelProvider p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Kernels from the provider called {@code name} with {@code threads} threads. */
    public static Kernels open(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        return named(name).create(threads);
    }
}
