package widenet.kernel.simd;

import java.util.Locale;

/**
 * The kernel configuration: the vector width every kernel uses, the GEMM microkernel's MR×NR register tile, the cache
 * blocking KC, MC, NC and the way a GEMM is split over threads. Chosen once per process by {@link KernelConfigTable}
 * from the {@link CpuDescription}, or given by the user ({@link #override}).
 *
 * @param name   the table entry it came from, e.g. {@code avx512}, with {@code +override} when the user changed it
 * @param bits   vector width of every kernel (128, 256 or 512)
 * @param mr     rows of the register tile
 * @param nr     columns of the register tile (a multiple of the lanes)
 * @param kc     depth of one rank-KC update (also the GEMM's summation blocking: changing it changes the bits)
 * @param mc     rows of a packed A block (a multiple of MR)
 * @param nc     columns of a packed B block (a multiple of NR)
 * @param split  how one GEMM is cut over the threads
 * @param reason why this entry, and why these sizes
 */
record KernelConfig(String name, int bits, int mr, int nr, int kc, int mc, int nc, Split split, String reason) {
    /** How a GEMM's C is cut over the threads. */
    enum Split {
        /**
         * M cut in MR-row panels, one range per thread; each KC×NC block of op(B) packed once, every thread packing a
         * share of its micro-panels into one shared buffer, with a barrier after packing and one after multiplying.
         * Falls back to the column split when there are fewer row panels than threads.
         */
        ROWS_SHARED_B,
        /**
         * One block per thread along the dimension with more micro-panels (M in MR rows, N in NR columns); each thread
         * packs its own operands, so threads never wait for each other.
         */
        LARGER_DIMENSION;

        /** The name used in the summary and the override. */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Environment variable and system property that override the chosen configuration. */
    static final String ENV = "WIDENET_KERNELS_CONFIG", PROPERTY = "widenet.kernels.config";

    KernelConfig {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("bits must be 128, 256 or 512, got " + bits);
        }
        if (!GemmMicrokernels.exists(bits, mr, nr)) {
            throw new IllegalArgumentException("no " + mr + "×" + nr + " microkernel at " + bits + " bits; generated: "
                    + GemmMicrokernels.list() + " (bits:MRxNR)");
        }
        if (kc < 1 || kc > 1 << 16) {
            throw new IllegalArgumentException("kc must be in [1, 65536], got " + kc);
        }
        if (mc < mr || mc % mr != 0 || (long) mc * kc > 1 << 26) {
            throw new IllegalArgumentException(
                    "mc must be a positive multiple of mr = " + mr + " with mc·kc ≤ 2^26, got " + mc);
        }
        if (nc < nr || nc % nr != 0 || (long) nc * kc > 1 << 26) {
            throw new IllegalArgumentException(
                    "nc must be a positive multiple of nr = " + nr + " with nc·kc ≤ 2^26, got " + nc);
        }
    }

    private static final String KEYS = "bits, mr, nr, kc, mc, nc, split";

    /** A split by its name in the summary: {@code rows-shared-b} or {@code larger-dimension}. */
    static Split parseSplit(String name) {
        for (Split s : Split.values()) {
            if (s.label().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown split '" + name + "' (rows-shared-b, larger-dimension)");
    }

    int lanes() {
        return bits / 32;
    }

    /**
     * This configuration with the user's changes: a comma-separated list of {@code key=value} with keys {@code bits,
     * mr, nr, kc, mc, nc, split} (e.g. {@code bits=256,mr=4,nr=16}); {@code mc} and {@code nc} are rounded up to multiples of
     * the new MR and NR when only the tile changed. Blank: unchanged.
     */
    KernelConfig override(String spec) {
        if (spec == null || spec.isBlank()) {
            return this;
        }
        int b = bits, m = mr, n = nr, k = kc, mcv = mc, ncv = nc;
        Split sp = split;
        boolean mcSet = false, ncSet = false, nrSet = false;
        for (String part : spec.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not key=value (keys: " + KEYS + ")");
            }
            String key = p.substring(0, eq).trim();
            if (key.equals("split")) {
                sp = parseSplit(p.substring(eq + 1).trim());
                continue;
            }
            int v;
            try {
                v = Integer.parseInt(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.trim() + "': the value is not an integer");
            }
            switch (key) {
                case "bits" -> b = v;
                case "mr" -> m = v;
                case "nr" -> {
                    n = v;
                    nrSet = true;
                }
                case "kc" -> k = v;
                case "mc" -> {
                    mcv = v;
                    mcSet = true;
                }
                case "nc" -> {
                    ncv = v;
                    ncSet = true;
                }
                default -> throw new IllegalArgumentException("unknown key '" + key + "' (keys: " + KEYS + ")");
            }
        }
        if (b != bits && !nrSet) {
            n = n / lanes() * (b / 32); // keep the vectors per row
        }
        if (!mcSet) {
            mcv = Math.max(m, (mcv + m - 1) / m * m);
        }
        if (!ncSet) {
            ncv = Math.max(n, ncv / n * n);
        }
        return new KernelConfig(
                name + "+override", b, m, n, k, mcv, ncv, sp, reason + "; overridden by " + spec.trim());
    }

    /** One line for the banner and run.json. */
    String summary() {
        return name + ": " + bits + "-bit, " + mr + "×" + nr + " microkernel (" + mr * nr / lanes()
                + " accumulators), KC " + kc + ", MC " + mc + ", NC " + nc + ", split " + split.label();
    }
}
