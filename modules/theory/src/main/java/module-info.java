/**
 * The theory side of widenet: Gram matrices (H∞, G∞, H(k)), their spectra, the bounds and trajectories the papers
 * predict, and the {@code Probe}s that write them beside a run's measurements. It requires {@code widenet.train}
 * (for {@code Probe} and {@code Dataset}); {@code widenet.train} never needs the theory: its runs find the theory
 * through the {@code TheoryProvider} service this module provides, so the graph stays acyclic: cli → theory → train
 * → model. Dense symmetric eigen-decompositions come from ojAlgo.
 */
module widenet.theory {
    requires transitive widenet.train;
    requires ojalgo;
    exports widenet.theory;
    provides widenet.train.TheoryProvider with widenet.theory.StandardTheory;
}
