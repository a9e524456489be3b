/** Off-heap float32 matrices and vectors on {@code MemorySegment}s, and NumPy {@code .npy} I/O. */
module widenet.tensor {
    requires transitive widenet.files;

    exports widenet.tensor;
}
