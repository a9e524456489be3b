package widenet.model;

import widenet.tensor.FloatMatrix;

/**
 * The checks every {@link Network#forward} makes before it computes anything: X is b×d with d the network's input
 * dimension, the labels are b×k with k its outputs, and 0 &lt; b ≤ capacity (the buffers are sized once for it).
 */
final class ForwardArguments {
    private ForwardArguments() {}

    /** Throws an {@link IllegalArgumentException} naming the first of {@code x}, {@code y} that does not fit. */
    static void check(Network net, FloatMatrix x, FloatMatrix y) {
        int rows = x.rows();
        if (x.cols() != net.inputDim()) {
            throw new IllegalArgumentException(
                    "forward: X has " + x.cols() + " columns, the network's input dimension d is " + net.inputDim());
        }
        if (y.rows() != rows || y.cols() != net.outputDim()) {
            throw new IllegalArgumentException(
                    "forward: labels are " + y.shape() + ", expected " + rows + "×" + net.outputDim());
        }
        if (rows > net.capacity() || rows == 0) {
            throw new IllegalArgumentException("forward: batch of " + rows + " rows, capacity is " + net.capacity());
        }
    }
}
