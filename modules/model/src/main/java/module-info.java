/** Networks whose forward and backward passes run through the kernel API, into buffers allocated once. */
module widenet.model {
    requires transitive widenet.kernel;

    exports widenet.model;
}
