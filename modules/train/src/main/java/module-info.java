/** Data sets, the gradient-descent trainer, its metrics and the run output folder. */
// The qualified export names modules built after this one, so javac cannot see them here ("module not found").
@SuppressWarnings("module")
module widenet.train {
    requires transitive widenet.model;
    requires com.fasterxml.jackson.databind;
    requires static jdk.management;

    exports widenet.train;
    // The plumbing of run folders (lock, checkpoints, run.json): for widenet's own modules, not an embedding
    // application's API, which is Runs, RunSpec, RunRecord and the rest of widenet.train.
    exports widenet.train.internal to
            widenet.theory,
            widenet.sweep,
            widenet.reproduce,
            widenet.report,
            widenet.cli;
    // RunSpec's JSON form: Jackson reads and writes its records reflectively.
    opens widenet.train to
            com.fasterxml.jackson.databind;

    uses widenet.train.DataParallelEngine;
    uses widenet.train.TheoryProvider;
}
