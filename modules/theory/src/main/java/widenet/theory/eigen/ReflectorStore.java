package widenet.theory.eigen;

import java.util.Arrays;

/**
 * The band-to-tridiagonal stage's reflectors, in the order they were made, for applying Q₂ or Q₂ᵀ to vectors
 * later. About n²/2 doubles in all, so they are kept in the upper triangle of the n×n array the first stage has
 * finished with (column-major: column j's rows 0..j−1 are free, a run of j doubles), packed greedily run by run;
 * what does not fit (small n, where the runs' waste of up to b−1 doubles each outweighs their number) spills into an
 * array of its own. Reflector r acts on rows start[r]..start[r]+len[r]−1, v = (1, tail), the tail (len − 1
 * doubles) at {@code off[r]} in the matrix, or at −1 − off[r] in the spill.
 */
final class ReflectorStore {
    private final double[] a;
    private final int n;
    private int column = 1;
    private int used;
    private double[] spill = new double[0];
    private int spillUsed;
    private int count;
    private int[] start;
    private int[] len;
    private int[] off;
    private double[] tau;

    /** For the bulge chasing of an n×n band of half-bandwidth b: sized for every reflector it can make. */
    ReflectorStore(double[] a, int n, int b) {
        this.a = a;
        this.n = n;
        // Sweep i makes one reflector on rows i+1..min(i+b, n−1), then one per b rows below: an upper bound, so the
        // index is allocated once (no doubling copies at n = 10⁴, where it is ≈ 31 MB).
        long most = 0;
        for (int i = 0; i + 2 < n; i++) {
            int ed = Math.min(i + b, n - 1);
            most += 1 + (n - 1 - ed + b - 1) / b;
        }
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, most));
        start = new int[cap];
        len = new int[cap];
        off = new int[cap];
        tau = new double[cap];
    }

    /** Records H = I − τvvᵀ on rows s..s+l−1, v = (1, v[vo+1 .. vo+l)). */
    void add(int s, int l, double t, double[] v, int vo) {
        if (t == 0 || l < 2) {
            return;
        }
        int tail = l - 1;
        if (count == start.length) {
            int c = 2 * count;
            start = Arrays.copyOf(start, c);
            len = Arrays.copyOf(len, c);
            off = Arrays.copyOf(off, c);
            tau = Arrays.copyOf(tau, c);
        }
        while (column < n && column - used < tail) {
            column++;
            used = 0;
        }
        int o;
        if (column < n) {
            o = column * n + used;
            used += tail;
            System.arraycopy(v, vo + 1, a, o, tail);
        } else {
            if (spillUsed + tail > spill.length) {
                spill = Arrays.copyOf(spill, Math.max(2 * spill.length, spillUsed + tail + 1024));
            }
            o = -1 - spillUsed;
            System.arraycopy(v, vo + 1, spill, spillUsed, tail);
            spillUsed += tail;
        }
        start[count] = s;
        len[count] = l;
        off[count] = o;
        tau[count] = t;
        count++;
    }

    /** z := Q₂ᵀ z (Q₂ = H₁H₂…H_K: the first reflector made is applied first). */
    void applyTranspose(double[] z) {
        for (int r = 0; r < count; r++) {
            reflect(r, z);
        }
    }

    /** z := Q₂ z (the last reflector first). */
    void apply(double[] z) {
        for (int r = count - 1; r >= 0; r--) {
            reflect(r, z);
        }
    }

    private void reflect(int r, double[] z) {
        int s = start[r];
        int tail = len[r] - 1;
        double[] src = off[r] >= 0 ? a : spill;
        int o = off[r] >= 0 ? off[r] : -1 - off[r];
        double w = tau[r] * (z[s] + DoubleKernels.dot(src, o, z, s + 1, tail));
        z[s] -= w;
        DoubleKernels.axpy(-w, src, o, z, s + 1, tail);
    }

    /** Doubles spilled outside the matrix (for the memory estimate's check). */
    int spilled() {
        return spillUsed;
    }
}
