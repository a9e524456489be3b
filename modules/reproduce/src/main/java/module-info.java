/**
 * The papers' experiments: {@link widenet.reproduce.Reproduction} and its five subclasses (du2019, arora2019,
 * nguyen-mondelli2020, nguyen2021, gao2022), each building {@code RunSpec}s and training them through
 * {@code widenet.train.Runs} in a {@link widenet.reproduce.ReproductionContext}, then writing summary.md,
 * reproduction.json and series/*.csv. It knows nothing of the command line: {@code widenet.cli}'s
 * {@code reproduce} command turns its options into {@link widenet.reproduce.ReproductionOptions} and hands in the
 * listener that draws progress, so the graph stays cli → reproduce → theory → train.
 */
module widenet.reproduce {
    requires transitive widenet.theory;

    exports widenet.reproduce;
}
