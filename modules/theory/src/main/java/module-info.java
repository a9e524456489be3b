/**
 * The theory side of widenet: Gram matrices (H∞, H(k), feature Grams), their spectra and the bounds and
 * trajectories the papers predict. Dense symmetric eigen-decompositions come from ojAlgo.
 */
module widenet.theory {
    requires transitive widenet.model;
    requires ojalgo;
    exports widenet.theory;
}
