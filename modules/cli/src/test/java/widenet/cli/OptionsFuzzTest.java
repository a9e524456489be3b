package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import widenet.files.InvalidInputException;
import widenet.train.InputException;
import widenet.train.RunSpec;
import widenet.train.RunSpecJson;
import widenet.train.internal.CheckpointPolicy;
import widenet.train.internal.Json;

/**
 * Jazzer fuzz tests of the {@code train} command's option values and of {@code --resume} agreeing with a checkpoint's
 * recorded run spec: every input is accepted or refused with the errors the CLI turns into exit code 2 and a
 * one-line message (picocli's {@link CommandLine.ParameterException} or, for an unreadable {@code @file},
 * {@link CommandLine.InitializationException}, {@link InputException}, or the
 * {@link IllegalArgumentException} of a value parser), never another exception. Nothing is trained.
 */
class OptionsFuzzTest {
    static final String[] OPTIONS = {
        "--n",
        "--d",
        "--width",
        "--m",
        "--lr",
        "--eta",
        "--steps",
        "--seed",
        "--kappa",
        "--loss",
        "--relu-grad-at-zero",
        "--batch",
        "--kernels",
        "--threads",
        "--every",
        "--checkpoint-every",
        "--model",
        "--train-output-layer",
        "--x",
        "--y",
        "--init",
        "--out",
        "--quiet",
        "--force"
    };

    private static void requireMessage(RuntimeException e) {
        assertNotNull(e.getMessage(), e.toString());
        assertTrue(!e.getMessage().isBlank(), e.toString());
    }

    private static List<String> args(FuzzedDataProvider data, int pairs) {
        List<String> args = new ArrayList<>(List.of("train"));
        for (int i = 0; i < pairs && data.remainingBytes() > 0; i++) {
            String name = data.pickValue(OPTIONS);
            args.add(name);
            if (data.consumeBoolean()) {
                args.add(data.consumeString(24));
            }
        }
        return args;
    }

    @FuzzTest(maxDuration = "30s")
    void optionValues(FuzzedDataProvider data) {
        TrainCommand cmd = new TrainCommand();
        try {
            new CommandLine(cmd).parseArgs(args(data, 4).toArray(new String[0]));
            cmd.runSpec().validate();
            assertNotNull(CheckpointPolicy.parse(cmd.checkpointEvery));
        } catch (CommandLine.ParameterException | CommandLine.InitializationException | InvalidInputException e) {
            // bad input only: an IllegalArgumentException here would be reported as an internal error (exit 1)
            requireMessage(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void resumeSettings(FuzzedDataProvider data) {
        List<String> args = args(data, 2);
        args.add("--resume");
        args.add("run");
        byte[] json = data.consumeRemainingAsBytes();
        TrainCommand cmd = new TrainCommand();
        try {
            Map<String, Object> run = Json.parse(json, "run.json");
            Map<?, ?> recorded = run.get("spec") instanceof Map<?, ?> m ? m : run;
            new CommandLine(cmd).parseArgs(args.toArray(new String[0]));
            RunSpec spec = RunSpecJson.fromMap(recorded, "run.json");
            new ResumeAgreement(cmd).agree(spec).validate();
        } catch (CommandLine.ParameterException | CommandLine.InitializationException | InputException e) {
            requireMessage(e);
        } catch (IllegalArgumentException e) {
            requireMessage(e);
        }
    }

    /** The finding: an "@file" argument naming a folder was an uncaught InitializationException (exit 1, stack trace). */
    @org.junit.jupiter.api.Test
    void anArgumentFileThatCannotBeReadIsABadInput() {
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--loss", "@.");
        org.junit.jupiter.api.Assertions.assertEquals(2, r.code(), r.err());
        org.junit.jupiter.api.Assertions.assertEquals(
                "widenet: Could not read argument file @.: . (Is a directory)",
                r.err().strip());
    }
}
