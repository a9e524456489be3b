package widenet.theory.eigen;

/**
 * A = Q T Qᵀ for a real symmetric A, T symmetric tridiagonal, Q orthogonal and kept only as the reflectors that
 * make it (never as an n×n matrix): what {@code widenet.theory.SymmetricEigen} needs from a reduction. Two
 * implementations: {@link HouseholderTridiagonal} (one stage, LAPACK's dsytrd) and {@link TwoStageTridiagonal}
 * (dense → band → tridiagonal, as LAPACK's dsytrd_2stage), chosen by {@link #reduceInPlace}.
 */
public interface TridiagonalForm {
    /** Above this size the two-stage reduction is used (below it the matrix is in cache and one stage is faster). */
    int TWO_STAGE_MIN = 512;

    int size();

    /** T's diagonal (a copy). */
    double[] diagonal();

    /** T's off-diagonal, T(c, c+1) = T(c+1, c) = e[c] (a copy). */
    double[] offDiagonal();

    /** y := Qᵀ y, O(n²). */
    void applyTranspose(double[] y);

    /** z := Q z, O(n²). */
    void apply(double[] z);

    /**
     * Reduces the symmetric n×n matrix in {@code a} (row- or column-major: the same for symmetric; only one triangle
     * is read), destroying it; {@code withQ} keeps what {@link #apply}/{@link #applyTranspose} need (inside
     * {@code a}), otherwise they throw.
     */
    static TridiagonalForm reduceInPlace(double[] a, int n, int threads, boolean withQ) {
        if (n >= TWO_STAGE_MIN) {
            return TwoStageTridiagonal.reduceInPlace(a, n, threads, TwoStageTridiagonal.DEFAULT_BAND, withQ);
        }
        return HouseholderTridiagonal.reduceInPlace(a, n, threads);
    }
}
