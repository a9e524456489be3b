package widenet.kernel;

/** Whether a GEMM operand is used as stored ({@code N}) or transposed ({@code T}). */
public enum Op {
    N,
    T;

    /** Rows of op(M) for a stored rows×cols matrix. */
    public int rows(widenet.tensor.FloatMatrix m) {
        return this == N ? m.rows() : m.cols();
    }

    /** Columns of op(M) for a stored rows×cols matrix. */
    public int cols(widenet.tensor.FloatMatrix m) {
        return this == N ? m.cols() : m.rows();
    }
}
