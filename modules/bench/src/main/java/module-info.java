/**
 * JMH benchmarks of widenet's kernels and training step. The benchmarks run from the shaded
 * {@code target/benchmarks.jar} on the class path (JMH's runner loads the generated classes reflectively and
 * {@code benchmarks.jar} merges every module into one jar), so this descriptor only governs compilation: it keeps
 * the benchmarks honest about which widenet APIs they use. The JMH-generated sources land in
 * {@code widenet.bench.jmh_generated}, inside this module, and need nothing beyond {@code jmh.core}.
 *
 * <p>Kernel providers are not required: they are found by name through {@code KernelProviders} (service files
 * on the class path), so a provider that is not built simply is not there at run time.
 */
// jmh-core has no module descriptor; requiring it by its automatic name is the only way and is intended here.
@SuppressWarnings("requires-automatic")
module widenet.bench {
    requires widenet.kernel;
    requires widenet.train; // and, transitively, widenet.model
    // jmh-core 1.37 is an automatic module; its manifest names it jmh.core.
    requires jmh.core;
    // GdStepPhases counts heap allocation per step with com.sun.management.ThreadMXBean.
    requires jdk.management;

    // Not needed on the class path, but makes the jar runnable from the module path too: JMH instantiates the
    // generated benchmark classes and the @State classes reflectively.
    opens widenet.bench to
            jmh.core;
    opens widenet.bench.jmh_generated to
            jmh.core;
}
