package widenet.train;

import java.util.ArrayList;
import java.util.List;
import widenet.model.ImplicitNetwork;

/**
 * The {@code widenet train} arguments that make a {@link RunSpec}: what a reproduction's log shows for each variant,
 * so a reader can run one variant alone. Options at their command-line default are left out; the checkpoint
 * cadence (run control) too.
 */
public final class RunSpecArguments {
    private RunSpecArguments() {}

    public static List<String> of(RunSpec spec) {
        List<String> a = new ArrayList<>();
        a.addAll(List.of("--model", spec.model().kind()));
        switch (spec.data()) {
            case DataSpec.Sphere s -> {
                a.addAll(List.of("--n", "" + s.n()));
                if (!(spec.model() instanceof ModelSpec.Deep)) {
                    a.addAll(List.of("--d", "" + s.d()));
                }
                option(a, "--test-n", s.testN(), null);
            }
            case DataSpec.NpyFiles f -> a.addAll(List.of("--x", f.x(), "--y", f.y()));
        }
        option(a, "--test-x", spec.data().testX(), null);
        option(a, "--test-y", spec.data().testY(), null);
        switch (spec.model()) {
            case ModelSpec.TwoLayer t -> {
                a.addAll(List.of("--width", "" + t.width()));
                option(a, "--kappa", t.kappa(), 1.0);
                flag(a, "--train-output-layer", t.trainOutputLayer());
                option(a, "--relu-grad-at-zero", t.reluGradAtZero(), 1);
            }
            case ModelSpec.Deep d -> {
                a.addAll(List.of("--widths", d.widthsText()));
                option(a, "--activation", d.activation(), "relu");
                option(a, "--weight-init", String.join(",", d.weightInit()), "lecun");
                option(a, "--output-scale", d.outputScale(), "1");
                flag(a, "--biases", d.biases());
                option(
                        a,
                        "--freeze",
                        String.join(
                                ",", d.freeze().stream().map(String::valueOf).toList()),
                        "");
                option(a, "--relu-grad-at-zero", d.reluGradAtZero(), 0);
            }
            case ModelSpec.Implicit i -> {
                a.addAll(List.of("--width", "" + i.width()));
                option(a, "--gamma", i.gamma(), ImplicitNetwork.PAPER_GAMMA);
                option(a, "--tol", i.tol(), ModelSpec.Implicit.DEFAULT_TOL);
                option(a, "--max-iter", i.maxIter(), ModelSpec.Implicit.DEFAULT_MAX_ITER);
                option(a, "--phi", i.phi(), ModelSpec.Implicit.PHI_RELU);
                option(a, "--phi-scale", i.phiScale(), ModelSpec.Implicit.SCALE_SQRT_M);
                flag(a, "--no-output-skip", !i.outputSkip());
                option(a, "--output-init", i.outputInit(), ModelSpec.Implicit.INIT_RADEMACHER);
                option(a, "--output-init-std", i.outputInitStd(), 1.0);
                flag(a, "--require-contraction", i.requireContraction());
                option(a, "--freeze", String.join(",", i.freeze()), "");
            }
        }
        RunSpec.Optimisation o = spec.optimisation();
        a.addAll(List.of("--lr", o.lrAuto() != null ? "auto:" + o.lrAuto() : "" + o.lr(), "--steps", "" + o.steps()));
        option(a, "--batch", o.batch(), null);
        option(a, "--every", o.every(), 1L);
        option(a, "--loss", o.loss(), "sum");
        a.addAll(List.of("--seed", "" + spec.seed()));
        option(a, "--init", spec.init(), null);
        option(a, "--theory", spec.theory().mode(), "auto");
        option(a, "--theory-every", spec.theory().every(), null);
        a.addAll(List.of("--kernels", spec.compute().kernels()));
        option(a, "--threads", spec.compute().threads(), null);
        if (spec.engine() instanceof EngineSpec.DataParallel dp) {
            a.addAll(List.of("--data-parallel", dp.engine(), "--master", dp.master()));
            option(a, "--partitions", dp.partitions(), null);
        }
        return a;
    }

    private static void option(List<String> a, String name, Object value, Object dflt) {
        if (value != null && !value.equals(dflt)) {
            a.addAll(List.of(name, String.valueOf(value)));
        }
    }

    private static void flag(List<String> a, String name, boolean on) {
        if (on) {
            a.add(name);
        }
    }
}
