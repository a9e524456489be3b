package widenet.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import widenet.kernel.Op;

/**
 * A GEMM problem C = op(A)·op(B) with op(A) M×K, op(B) K×N, C M×N, written as {@code NT:1000x4000x1000}: the two
 * transposes, then M×N×K. The same spelling is used by the JMH {@code shape} parameter, by
 * {@code native-bench/sgemm_bench} and by the comparison table, so one string identifies a row everywhere.
 * A GEMM of this shape performs {@link #flops()} = 2·M·N·K floating-point operations.
 *
 * @param opA how A is used; A is stored M×K for {@code N} and K×M for {@code T}
 * @param opB how B is used; B is stored K×N for {@code N} and N×K for {@code T}
 */
public record GemmShape(Op opA, Op opB, int m, int n, int k) {
    private static final Pattern SPEC = Pattern.compile("([NT])([NT]):(\\d+)x(\\d+)x(\\d+)", Pattern.CASE_INSENSITIVE);

    public GemmShape {
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("GEMM dimensions must be positive, got M=" + m + " N=" + n + " K=" + k);
        }
    }

    /** Parses {@code NT:1000x4000x1000} (case-insensitive). */
    public static GemmShape parse(String spec) {
        Matcher mt = SPEC.matcher(spec.trim());
        if (!mt.matches()) {
            throw new IllegalArgumentException(
                    "GEMM shape '" + spec + "' is not of the form <opA><opB>:<M>x<N>x<K>, e.g. NT:1000x4000x1000");
        }
        return new GemmShape(
                op(mt.group(1)),
                op(mt.group(2)),
                Integer.parseInt(mt.group(3)),
                Integer.parseInt(mt.group(4)),
                Integer.parseInt(mt.group(5)));
    }

    private static Op op(String letter) {
        return Op.valueOf(letter.toUpperCase(Locale.ROOT));
    }

    public int aRows() {
        return opA == Op.N ? m : k;
    }

    public int aCols() {
        return opA == Op.N ? k : m;
    }

    public int bRows() {
        return opB == Op.N ? k : n;
    }

    public int bCols() {
        return opB == Op.N ? n : k;
    }

    /** 2·M·N·K: one multiply and one add per term of every dot product. */
    public long flops() {
        return 2L * m * n * k;
    }

    @Override
    public String toString() {
        return "" + opA + opB + ":" + m + "x" + n + "x" + k;
    }
}
