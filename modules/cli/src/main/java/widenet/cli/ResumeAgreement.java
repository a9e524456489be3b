package widenet.cli;

import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
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

    /** The spec to continue with: {@code recorded}, with the command line's checkpoint cadence if given. */
    RunSpec agree(RunSpec recorded) {
        String kind = cmd.given("--model") ? cmd.model.model : recorded.model().kind();
        Map<String, Object> mine = cmd.runSpec(kind).identity();
        for (RunSpecJson.Difference d : RunSpecJson.differences(recorded.identity(), mine)) {
            String option = option(d.field());
            if (option != null && cmd.given(option)) {
                throw new InputException(differs(option, d.was()));
            }
        }
        return cmd.given("--checkpoint-every") ? recorded.withCheckpointEvery(cmd.checkpointEvery) : recorded;
    }

    private String differs(String option, Object recorded) {
        ParseResult parsed = cmd.spec.commandLine().getParseResult();
        OptionSpec o = parsed.matchedOption(option);
        boolean flag = o.arity().max() == 0;
        String value = flag ? "" : " " + String.join(" ", o.stringValues());
        Object shown = recorded instanceof java.util.List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : recorded;
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
