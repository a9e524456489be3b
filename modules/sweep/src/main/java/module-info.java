/**
 * Width sweeps: over a grid of sample counts n, the smallest width m_min(n) whose full-batch gradient descent
 * reaches a target loss ratio within a step budget, found by a galloping-then-bisection search over a geometric
 * width grid, several seeds, cells run concurrently and resumably; then the least-squares exponent α of
 * m_min ∝ n^α with a t-based confidence interval (Student t quantiles from ojAlgo).
 */
module widenet.sweep {
    requires transitive widenet.train;
    requires ojalgo;

    exports widenet.sweep;

    uses widenet.sweep.ClusterEngine;
}
