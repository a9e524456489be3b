package widenet.kernel.simd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template of every GEMM microkernel: writes one file per variant ({@code Mk<bits>x<MR>x<NR>.java}) and the
 * lookup {@code GemmMicrokernels.java} into {@code src/main/java/widenet/kernel/simd/} (Lucene's {@code gen_ForUtil.py}
 * approach: the generated files are committed and marked as generated; this template is the code to review).
 * {@code GeneratedSourcesTest} fails when a committed file is not what this produces, or a stale one is left.
 *
 * <p>Regenerate after editing: {@code ./mvnw -B -o -q -pl modules/kernel-simd -am test -Dtest=GeneratedSourcesTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dwidenet.regenerate=true}.
 *
 * <p>Why generated: C2 keeps the accumulators in registers only when each (width, MR, NR, tail) combination is its own
 * method with the accumulators as plain locals and one straight-line tail (the module README's measured pitfalls:
 * one method with two tails spilled an accumulator, a helper taking vectors boxed them). That is 3 methods per
 * variant with the same k loop; the loop is written once, here.
 */
final class MicrokernelGenerator {
    /** A variant: vector width in bits, rows MR, vectors per row (NR = vectors·lanes). */
    record Variant(int bits, int mr, int vectors) {
        int lanes() {
            return bits / 32;
        }

        int nr() {
            return vectors * lanes();
        }

        String className() {
            return "Mk" + bits + "x" + mr + "x" + nr();
        }
    }

    /**
     * The variants the configuration table ({@link KernelConfigTable}) can choose from: for each width, a tile for a
     * 16-register file (8 accumulators) and larger ones for a 32-register file.
     */
    static final List<Variant> VARIANTS = List.of(
            new Variant(128, 4, 2),
            new Variant(128, 8, 2),
            new Variant(256, 4, 2),
            new Variant(256, 8, 2),
            new Variant(512, 4, 2),
            new Variant(512, 8, 2),
            new Variant(512, 12, 2));

    /** The folder of the generated sources (relative to the module, where the tests run). */
    static final Path FOLDER = Path.of("src/main/java/widenet/kernel/simd");

    /** The lookup's file name; the variants' are {@code Variant.className() + ".java"}. */
    static final String LOOKUP = "GemmMicrokernels.java";

    private static final String BANNER = """
            // GENERATED FILE — DO NOT EDIT. Produced by MicrokernelGenerator (modules/kernel-simd/src/test/java/widenet/
            // kernel/simd/MicrokernelGenerator.java), the template to review; GeneratedSourcesTest checks it is current.
            package widenet.kernel.simd;

            """;

    private MicrokernelGenerator() {}

    public static void main(String[] args) throws IOException {
        Path folder = args.length > 0 ? Path.of(args[0]) : FOLDER;
        for (Map.Entry<String, String> file : generate().entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** Every generated file: name → contents, the lookup first, then the variants in {@link #VARIANTS}' order. */
    static Map<String, String> generate() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(LOOKUP, lookup());
        for (Variant v : VARIANTS) {
            StringBuilder s = new StringBuilder(BANNER);
            s.append("""
                    import java.lang.foreign.MemorySegment;
                    import jdk.incubator.vector.FloatVector;
                    import jdk.incubator.vector.VectorSpecies;
                    """);
            StringBuilder body = new StringBuilder();
            variant(body, v);
            // The template writes members one level deep (8 spaces); a top-level class's are at 4.
            s.append(body.toString().replace("\n    ", "\n"));
            files.put(v.className() + ".java", s.toString());
        }
        return files;
    }

    private static String lookup() {
        StringBuilder s = new StringBuilder(BANNER);
        s.append("""
                /** The lookup of the generated {@link Microkernel} variants by width and tile shape. */
                final class GemmMicrokernels {
                    private GemmMicrokernels() {
                    }

                    /** The variant for {@code bits}-bit vectors and an {@code mr}×{@code nr} tile, or null if none was generated. */
                    static Microkernel find(int bits, int mr, int nr) {
                """);
        for (Variant v : VARIANTS) {
            s.append("        if (bits == ")
                    .append(v.bits())
                    .append(" && mr == ")
                    .append(v.mr())
                    .append(" && nr == ")
                    .append(v.nr())
                    .append(") {\n            return new ")
                    .append(v.className())
                    .append("();\n        }\n");
        }
        s.append("        return null;\n    }\n\n");
        s.append(
                "    /** Whether a variant for {@code bits}-bit vectors and an {@code mr}×{@code nr} tile was generated (loads no vector class). */\n");
        s.append("    static boolean exists(int bits, int mr, int nr) {\n        return ");
        for (int i = 0; i < VARIANTS.size(); i++) {
            Variant v = VARIANTS.get(i);
            s.append(i == 0 ? "" : "\n                || ")
                    .append("bits == ")
                    .append(v.bits())
                    .append(" && mr == ")
                    .append(v.mr())
                    .append(" && nr == ")
                    .append(v.nr());
        }
        s.append(";\n    }\n\n    /** The generated variants as width:MR×NR, for messages. */\n");
        s.append("    static String list() {\n        return \"");
        for (int i = 0; i < VARIANTS.size(); i++) {
            Variant v = VARIANTS.get(i);
            s.append(i == 0 ? "" : ", ")
                    .append(v.bits())
                    .append(":")
                    .append(v.mr())
                    .append("x")
                    .append(v.nr());
        }
        s.append("\";\n    }\n}\n");
        return s.toString();
    }

    private static void variant(StringBuilder s, Variant v) {
        s.append("\n/** ")
                .append(v.mr())
                .append("×")
                .append(v.nr())
                .append(" at ")
                .append(v.bits())
                .append(" bits: ")
                .append(v.mr() * v.vectors())
                .append(" accumulators. */\n");
        s.append("final class ").append(v.className()).append(" extends Microkernel {\n");
        s.append("        private static final VectorSpecies<Float> S = FloatVector.SPECIES_")
                .append(v.bits())
                .append(";\n");
        s.append("        private static final int MR = ")
                .append(v.mr())
                .append(", NR = ")
                .append(v.nr())
                .append(";\n\n");
        s.append("        ")
                .append(v.className())
                .append("() {\n            super(")
                .append(v.bits())
                .append(", MR, NR);\n        }\n");

        // multiply → tile buffer
        s.append(
                "\n        @Override\n        void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {\n");
        kLoop(s, v);
        for (int r = 0; r < v.mr(); r++) {
            for (int q = 0; q < v.vectors(); q++) {
                s.append("            ")
                        .append(acc(r, q))
                        .append(".intoArray(tile, ")
                        .append(r * v.nr() + q * v.lanes())
                        .append(");\n");
            }
        }
        s.append("        }\n");

        // multiplyWrite
        s.append(
                "\n        @Override\n        void multiplyWrite(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff,\n"
                        + "                           long ldc, float alpha) {\n");
        kLoop(s, v);
        for (int r = 0; r < v.mr(); r++) {
            for (int q = 0; q < v.vectors(); q++) {
                s.append("            ")
                        .append(acc(r, q))
                        .append(".mul(alpha).intoMemorySegment(c, ")
                        .append(cOffset(v, r, q))
                        .append(", Lanes.ORDER);\n");
            }
        }
        s.append("        }\n");

        // multiplyUpdate
        s.append(
                "\n        @Override\n        void multiplyUpdate(int kc, float[] a, int aOff, float[] b, int bOff, MemorySegment c, long cOff,\n"
                        + "                            long ldc, float alpha, float betaOrOne) {\n");
        kLoop(s, v);
        for (int r = 0; r < v.mr(); r++) {
            for (int q = 0; q < v.vectors(); q++) {
                String off = cOffset(v, r, q);
                s.append("            ")
                        .append(acc(r, q))
                        .append(".mul(alpha).add(FloatVector.fromMemorySegment(S, c, ")
                        .append(off)
                        .append(", Lanes.ORDER).mul(betaOrOne))\n                    .intoMemorySegment(c, ")
                        .append(off)
                        .append(", Lanes.ORDER);\n");
            }
        }
        s.append("        }\n");

        s.append("}\n");
    }

    /** Accumulators zeroed, then the k loop: per step, the row's B vectors loaded once, one broadcast per A row. */
    private static void kLoop(StringBuilder s, Variant v) {
        for (int r = 0; r < v.mr(); r++) {
            s.append("            FloatVector ");
            for (int q = 0; q < v.vectors(); q++) {
                s.append(q == 0 ? "" : ", ").append(acc(r, q)).append(" = FloatVector.zero(S)");
            }
            s.append(";\n");
        }
        s.append("            for (int p = 0; p < kc; p++) {\n");
        s.append("                int bi = bOff + p * NR;\n                int ai = aOff + p * MR;\n");
        for (int q = 0; q < v.vectors(); q++) {
            s.append("                FloatVector b")
                    .append(q)
                    .append(" = FloatVector.fromArray(S, b, bi")
                    .append(q == 0 ? "" : " + " + q * v.lanes())
                    .append(");\n");
        }
        for (int r = 0; r < v.mr(); r++) {
            s.append("                ")
                    .append(r == 0 ? "FloatVector " : "")
                    .append("av = FloatVector.broadcast(S, a[ai")
                    .append(r == 0 ? "" : " + " + r)
                    .append("]);\n");
            for (int q = 0; q < v.vectors(); q++) {
                s.append("                ")
                        .append(acc(r, q))
                        .append(" = av.fma(b")
                        .append(q)
                        .append(", ")
                        .append(acc(r, q))
                        .append(");\n");
            }
        }
        s.append("            }\n");
    }

    private static String acc(int r, int q) {
        return "c" + r + "_" + q;
    }

    private static String cOffset(Variant v, int r, int q) {
        return offset("cOff", "ldc", v, r, q);
    }

    private static String offset(String base, String ld, Variant v, int r, int q) {
        String row = r == 0 ? base : r == 1 ? base + " + " + ld : base + " + " + r + " * " + ld;
        return q == 0 ? row : row + " + " + (long) q * v.lanes() * Float.BYTES;
    }
}
