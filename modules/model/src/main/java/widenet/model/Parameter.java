package widenet.model;

import widenet.tensor.FloatMatrix;

/**
 * A named weight matrix of a network with its gradient buffer. {@code trainable} false means gradient descent
 * leaves it fixed (e.g. the output signs a of Du et al.); its gradient may then be left uncomputed.
 */
public record Parameter(String name, FloatMatrix value, FloatMatrix gradient, boolean trainable) {
}
