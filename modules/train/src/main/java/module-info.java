/** Data sets, the gradient-descent trainer, its metrics and the run output folder. */
module widenet.train {
    requires transitive widenet.model;
    requires com.fasterxml.jackson.databind;
    requires static jdk.management;
    exports widenet.train;
    uses widenet.train.DataParallelEngine;
}
