/**
 * The theory side of widenet: Gram matrices (H∞, G∞, H(k)), their spectra, the bounds and trajectories the papers
 * predict, and the {@code Probe}s that write them beside a run's measurements. It requires {@code widenet.train}
 * (for {@code Probe} and {@code Dataset}); {@code widenet.train} never needs the theory: its runs find the theory
 * through the {@code TheoryProvider} service this module provides, so the graph stays acyclic: cli → theory → train
 * → model. Dense symmetric eigen-decompositions are widenet's own (blocked Householder + implicit QL,
 * double-precision Vector API kernels in {@code widenet.theory.eigen}).
 */
module widenet.theory {
    requires transitive widenet.train;
    requires jdk.incubator.vector;
    requires ojalgo; // FeatureGram's double products
    requires static jdk.management; // the allocation tests' thread counters

    exports widenet.theory;
    exports widenet.theory.infinite;

    provides widenet.train.TheoryProvider with
            widenet.theory.StandardTheory;
}
