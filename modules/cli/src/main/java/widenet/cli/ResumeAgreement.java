package widenet.cli;

import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import widenet.train.DataSpec;
import widenet.train.InputException;
import widenet.train.RunSpec;
import widenet.train.RunSpecJson;

/**
 * {@code widenet train --resume DIR}: the run continues with the spec its checkpoint recorded. An option given on
 * the command line must agree with the recorded field it sets ({@code --lr 0.2 differs from the checkpoint's 0.1});
 * options that only steer the run ({@code --quiet}, {@code --checkpoint-every}) may change. The field an option
 * sets is its name in the spec's JSON form ({@code --max-iter} sets {@code model.max_iter}), with the exceptions
 * in {@link #option}.
 */
final class ResumeAgreement {
    private final TrainCommand cmd;

    ResumeAgreement(TrainCommand cmd) {
        this.cmd = cmd;
    }

    /**
     * The spec to continue with: {@code recorded}, with the command line's checkpoint cadence if given, and its data
     * files where {@code --x}/{@code --y} say they are now (a run whose data moved: their content must be the
     * same, which the checkpoint's CRC32 checks; a different spelling of the same path is the same file).
     */
    RunSpec agree(RunSpec recorded) {
        String kind = cmd.given("--model") ? cmd.model.model : recorded.model().kind();
        RunSpec mineSpec = cmd.runSpec(kind);
        Map<String, Object> mine = mineSpec.identity();
        for (RunSpecJson.Difference d : RunSpecJson.differences(recorded.identity(), mine)) {
            String option = option(d.field());
            if (option != null
                    && cmd.given(option)
                    && !d.field().equals("data.x")
                    && !d.field().equals("data.y")) {
                throw new InputException(differs(option, d.was()));
            }
        }
        RunSpec out = cmd.given("--checkpoint-every") ? recorded.withCheckpointEvery(cmd.checkpointEvery) : recorded;
        if ((cmd.given("--x") || cmd.given("--y"))
                && mineSpec.data() instanceof DataSpec.NpyFiles now
                && recorded.data() instanceof DataSpec.NpyFiles) {
            out = out.withData(now);
        }
        return out;
    }

    private String differs(String option, Object recorded) {
        ParseResult parsed = cmd.spec.commandLine().getParseResult();
        OptionSpec o = parsed.matchedOption(option);
        boolean flag = o.arity().max() == 0;
        String value = flag ? "" : " " + String.join(" ", o.stringValues());
        Object shown = recorded instanceof java.util.List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : recorded;
        return option + value + " differs from the checkpoint's " + (flag ? option + " " : "") + shown;
    }

    /** The option that sets the spec field {@code field} (a dotted path of the JSON form). */
    static String option(String field) {
        return switch (field) {
            case "model.kind" -> "--model";
            case "data.kind", "data.x" -> "--x";
            case "data.y" -> "--y";
            case "theory.mode" -> "--theory";
            case "theory.every" -> "--theory-every";
            case "engine.kind", "engine.engine" -> "--data-parallel";
            default -> "--" + field.substring(field.lastIndexOf('.') + 1).replace('_', '-');
        };
    }
}
