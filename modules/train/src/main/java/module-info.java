/** Data sets, the gradient-descent trainer, its metrics and the run output folder. */
module widenet.train {
    requires transitive widenet.model;
    requires com.fasterxml.jackson.databind;
    requires static jdk.management;
    exports widenet.train;
    // RunSpec's JSON form: Jackson reads and writes its records reflectively.
    opens widenet.train to com.fasterxml.jackson.databind;
    uses widenet.train.DataParallelEngine;
    uses widenet.train.TheoryProvider;
}
