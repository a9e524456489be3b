/**
 * The theory side of widenet: Gram matrices (H∞, H(k), feature Grams), their spectra and the bounds and
 * trajectories the papers predict. Dense symmetric eigen-decompositions come from ojAlgo. Expensive quantities
 * plug into the trainer as {@code widenet.train.Probe}s.
 */
module widenet.theory {
    requires transitive widenet.model;
    requires transitive widenet.train;
    requires ojalgo;
    exports widenet.theory;
}
