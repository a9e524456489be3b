package widenet.model;

import widenet.tensor.FloatMatrix;

/**
 * A named weight of a network with its gradient buffer. {@code trainable} false means gradient descent leaves it
 * fixed (e.g. the output signs a of Du et al.); its gradient may then be left uncomputed. {@code vector} marks a
 * weight that is mathematically a vector (stored as an m×1 matrix) so that it is saved as a 1-D array.
 */
public record Parameter(String name, FloatMatrix value, FloatMatrix gradient, boolean trainable, boolean vector) {

    public static Parameter matrix(String name, FloatMatrix value, FloatMatrix gradient, boolean trainable) {
        return new Parameter(name, value, gradient, trainable, false);
    }

    public static Parameter vector(String name, FloatMatrix value, FloatMatrix gradient, boolean trainable) {
        if (value.cols() != 1) {
            throw new IllegalArgumentException(
                    "vector parameter " + name + " must be stored as a column, got " + value.shape());
        }
        return new Parameter(name, value, gradient, trainable, true);
    }
}
