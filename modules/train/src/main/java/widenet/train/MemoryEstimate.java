package widenet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory a run will ask for, counted from its sizes before anything is allocated, and checked against what
 * the machine has: a run that cannot fit is refused in a second with one line (the size asked, the estimate, what
 * is available) instead of an {@code OutOfMemoryError} minutes later, or the OOM killer after the machine has paged
 * for an hour.
 *
 * <p>The counts follow the allocations of the networks and the trainer (float32, 4 bytes): for each weight matrix
 * its value, its gradient and its initial copy (distances from initialisation are metrics); per layer the
 * activations and the ReLU masks of one batch; the data and, for mini-batches, one batch copy; the Gram matrices of
 * the theory probes: X Xᵀ in float32, the kernel in double precision, decomposed in its own array (widenet.theory's
 * eigensolver keeps no second n × n array: the reflectors of both reduction stages live in the matrix itself, plus an
 * index of ≈ 20 bytes per 2b = 64 entries for the band stage's). What the JVM itself needs (≈ 0.3–0.8 GB, see docs/reliability.md) is not counted:
 * the check catches requests far beyond the machine, not the last few hundred megabytes.
 */
public final class MemoryEstimate {
    private static final long F32 = Float.BYTES;
    /**
     * The kernel in doubles (8 bytes an entry), decomposed in place, and the index of the band stage's reflectors
     * (start, length, offset, τ: 20 bytes per reflector, one reflector per 2b = 64 entries: 0.3125 bytes an entry).
     * With the output layer in the kernel (H∞ + κ²G∞) the sum is formed out of place: 16 bytes an entry more, briefly.
     */
    private static final double EIGEN_BYTES_PER_ENTRY = Double.BYTES + 20.0 / 64;

    private final Map<String, Double> parts = new LinkedHashMap<>();

    /** Made by the per-model factories ({@link #twoLayer}, {@link #deep}, {@link #implicit}). */
    private MemoryEstimate() {}

    /** Bytes counted so far, by part (weights, gradients, initial weights, activations, masks, data, Gram/eigen). */
    public Map<String, Double> parts() {
        return parts;
    }

    private MemoryEstimate add(String part, double bytes) {
        parts.merge(part, bytes, Double::sum);
        return this;
    }

    /** The n × d inputs and n × k labels, and with {@code batch < n} one batch copy of each. */
    public MemoryEstimate data(long n, long d, long k, long batch) {
        add("data", F32 * (double) n * (d + k));
        if (batch < n) {
            add("data", F32 * (double) batch * (d + k));
        }
        return this;
    }

    /** A weight matrix of {@code rows × cols}: its value, gradient and initial copy. */
    public MemoryEstimate weights(long rows, long cols) {
        double entries = (double) rows * cols;
        add("weights", F32 * entries);
        add("gradients", F32 * entries);
        add("initial weights", F32 * entries);
        return this;
    }

    /** {@code count} activation buffers of {@code batch × width} (features, pre-activations, fixed-point iterates). */
    public MemoryEstimate activations(long batch, long width, int count) {
        return add("activations", F32 * (double) batch * width * count);
    }

    /** {@code count} ReLU mask buffers of {@code batch × width} (the pattern now and at initialisation). */
    public MemoryEstimate masks(long batch, long width, int count) {
        return add("masks", F32 * (double) batch * width * count);
    }

    /**
     * An n × n Gram matrix: X Xᵀ (float32) and the kernel built from it (double precision, decomposed in place) — at
     * n = 10⁴, 400 MB + 800 MB + 31 MB.
     */
    public MemoryEstimate gram(long n) {
        return add("Gram/eigen", (F32 + EIGEN_BYTES_PER_ENTRY) * (double) n * n);
    }

    /** Du et al.'s two-layer network f(x) = aᵀσ(Wx)/√m: W (m × d), a (m), hidden and mask of a batch. */
    public static MemoryEstimate twoLayer(long n, long d, long m, long batch) {
        return new MemoryEstimate()
                .data(n, d, 1, batch)
                .weights(m, d)
                .weights(m, 1)
                .activations(batch, m, 1)
                .masks(batch, m, 2);
    }

    /** The deep network of widths n₀ = d, n₁, …, n_L: W_l (n_{l−1} × n_l), features and derivatives per layer. */
    public static MemoryEstimate deep(long n, int[] widths, long batch, boolean biases) {
        MemoryEstimate e = new MemoryEstimate().data(n, widths[0], widths[widths.length - 1], batch);
        long maxHidden = 0;
        for (int l = 1; l < widths.length; l++) {
            e.weights(widths[l - 1], widths[l]);
            if (biases) {
                e.weights(widths[l], 1);
            }
            e.activations(batch, widths[l], 1);
            if (l < widths.length - 1) {
                e.masks(batch, widths[l], 2); // σ'(g_l) now and at initialisation
                maxHidden = Math.max(maxHidden, widths[l]);
            }
        }
        return e.activations(batch, maxHidden, 2); // the backward pass's two ping-pong buffers
    }

    /** Gao et al.'s implicit network: A (m × m), B (m × d), u, v; φ, Z and the adjoint iterates of a batch. */
    public static MemoryEstimate implicit(long n, long d, long m, long batch) {
        return new MemoryEstimate()
                .data(n, d, 1, batch)
                .weights(m, m)
                .weights(m, d)
                .weights(m, 1)
                .weights(m, 1)
                .activations(batch, m, 5)
                .masks(batch, m, 2)
                .activations(batch, d, 1);
    }

    /** {@code k} of these at once (e.g. a sweep's concurrent cells): every part times k. */
    public MemoryEstimate times(long k) {
        parts.replaceAll((part, bytes) -> bytes * k);
        return this;
    }

    public double total() {
        return parts.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** "12.0 GB (weights 4.0 GB, gradients 4.0 GB, …)": the parts above 1 % of the total. */
    public String describe() {
        double t = total();
        StringBuilder sb = new StringBuilder(bytes(t)).append(" (");
        boolean first = true;
        for (Map.Entry<String, Double> p : parts.entrySet()) {
            if (p.getValue() >= 0.01 * t) {
                sb.append(first ? "" : ", ").append(p.getKey()).append(' ').append(bytes(p.getValue()));
                first = false;
            }
        }
        return sb.append(')').toString();
    }

    /**
     * Refuses the run ({@link InputException}) when the estimate exceeds the memory available: {@code maxMemory}
     * (bytes, from {@code --max-memory}) when given, else what the machine has free for a new process
     * ({@link #available()}). {@code what} names the request ("train --width 2000000 --d 1000").
     */
    public void check(String what, Long maxMemory) {
        double need = total();
        Available avail = maxMemory != null ? new Available(maxMemory, "--max-memory") : available();
        if (avail == null || need <= avail.bytes()) {
            return;
        }
        throw new InputException(
                what + " needs about " + describe() + " but " + bytes(avail.bytes()) + " is available ("
                        + avail.source() + "); make the run smaller, or give --max-memory SIZE (e.g. --max-memory "
                        + Math.max(1, (long) Math.ceil(need / (1L << 30))) + "g) to try anyway");
    }

    /** Memory a new process can use, and where the number comes from. */
    public record Available(long bytes, String source) {}

    /**
     * What this process can still allocate: the kernel's MemAvailable (free memory plus what it can reclaim
     * without swapping), capped by the control group's limit less its current use, when there is one. Null where
     * neither can be read (not Linux): then no check is made.
     */
    public static Available available() {
        Long memAvailable = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    memAvailable = 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: see below
        }
        Long cgroup = null;
        try {
            String max = Files.readString(Path.of("/sys/fs/cgroup/memory.max")).strip();
            if (!max.equals("max")) {
                long used = Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/memory.current"))
                        .strip());
                cgroup = Math.max(0, Long.parseLong(max) - used);
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2 limit
        }
        if (memAvailable == null && cgroup == null) {
            return null;
        }
        if (cgroup != null && (memAvailable == null || cgroup < memAvailable)) {
            return new Available(cgroup, "the control group's memory.max less its use");
        }
        return new Available(memAvailable, "MemAvailable in /proc/meminfo");
    }

    /**
     * A size as {@code --max-memory} takes it: a number of bytes with an optional suffix k, m, g, t (powers of
     * 1024, case-insensitive, an optional trailing b/B: 512m, 16g, 1.5GB).
     */
    public static long parseSize(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty()) {
            int at = List.of('k', 'm', 'g', 't').indexOf(s.charAt(s.length() - 1));
            if (at >= 0) {
                unit = 1L << (10 * (at + 1));
                s = s.substring(0, s.length() - 1);
            }
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v > 0) || v * unit >= Long.MAX_VALUE || !s.matches("[0-9]*\\.?[0-9]+")) {
            throw new InputException("--max-memory '" + text + "' is not a size such as 512m, 16g or 2t");
        }
        return (long) (v * unit);
    }

    static String bytes(double b) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }
}
