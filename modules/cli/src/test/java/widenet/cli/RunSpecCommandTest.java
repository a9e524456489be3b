package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import widenet.train.RunSpec;
import widenet.train.RunSpecArguments;
import widenet.train.RunSpecJson;
import widenet.train.Runs;

/**
 * {@code widenet train} as a {@link RunSpec}: run.json records it, {@code widenet rerun} trains it again to the
 * same bits, the arguments shown for a spec parse back to it, and an option of another model is refused.
 */
class RunSpecCommandTest {
    @TempDir
    Path tmp;

    private static RunSpec parse(List<String> args) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args.toArray(new String[0]));
        return cmd.runSpec().validate();
    }

    @Test
    void theArgumentsShownForASpecParseBackToIt() {
        List<List<String>> commands = List.of(
                List.of(
                        "--n",
                        "24",
                        "--d",
                        "10",
                        "--width",
                        "48",
                        "--steps",
                        "6",
                        "--kappa",
                        "0.5",
                        "--train-output-layer"),
                List.of(
                        "--model",
                        "deep",
                        "--n",
                        "16",
                        "--widths",
                        "6,20,8,2",
                        "--activation",
                        "leaky-relu:0.2",
                        "--weight-init",
                        "he,ntk:1,lecun",
                        "--output-scale",
                        "zero",
                        "--biases",
                        "--freeze",
                        "2",
                        "--theory-every",
                        "3",
                        "--threads",
                        "1"),
                List.of(
                        "--model",
                        "implicit",
                        "--n",
                        "10",
                        "--d",
                        "5",
                        "--width",
                        "12",
                        "--gamma",
                        "0.3",
                        "--tol",
                        "1e-5",
                        "--max-iter",
                        "40",
                        "--phi",
                        "linear",
                        "--phi-scale",
                        "sqrt-d",
                        "--output-init",
                        "gaussian",
                        "--freeze",
                        "A,v",
                        "--batch",
                        "5",
                        "--every",
                        "2",
                        "--loss",
                        "mean",
                        "--seed",
                        "9",
                        "--theory",
                        "off"),
                List.of(
                        "--model",
                        "implicit",
                        "--n",
                        "10",
                        "--d",
                        "5",
                        "--width",
                        "12",
                        "--no-output-skip",
                        "--freeze",
                        "u"),
                List.of(
                        "--x",
                        "x.npy",
                        "--y",
                        "y.npy",
                        "--width",
                        "8",
                        "--data-parallel",
                        "spark",
                        "--master",
                        "local[2]",
                        "--partitions",
                        "2",
                        "--theory",
                        "off",
                        "--init",
                        "w"));
        for (List<String> c : commands) {
            RunSpec spec = parse(c);
            assertEquals(
                    spec, parse(RunSpecArguments.of(spec)), String.join(" ", c) + " → " + RunSpecArguments.of(spec));
        }
    }

    @Test
    void rerunTrainsTheRecordedSpecToTheSameBits() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        assertEquals(
                0, Main.run(TrainCommandTest.with(TrainCommandTest.SMALL, "--threads", "1", "--out", a.toString())));
        RunSpec recorded = Runs.recordedSpec(a);
        assertEquals(48, ((widenet.train.ModelSpec.TwoLayer) recorded.model()).width());
        assertEquals(0, Main.run("rerun", a.toString(), "--out", b.toString(), "--quiet"));
        for (String f : List.of("init/W.npy", "final/W.npy", "final/a.npy")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertEquals(withoutTime(a), withoutTime(b));
        assertEquals(
                List.of(),
                RunSpecJson.differences(RunSpecJson.toMap(recorded), RunSpecJson.toMap(Runs.recordedSpec(b))));
        String shown = TheoryCommandTest.stdout(() -> assertEquals(0, Main.run("rerun", a.toString(), "--print")));
        assertTrue(
                shown.contains("widenet train --model two-layer --n 24 --d 10 --width 48 --lr 0.1 --steps 6"), shown);

        TrainCommandTest.Result r =
                TrainCommandTest.run("rerun", tmp.resolve("none").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("holds no run"), r.err());
    }

    @Test
    void anOptionOfAnotherModelIsRefused() {
        Object[][] cases = {
            {
                new String[] {"--gamma", "0.3"},
                "--gamma does not apply to --model two-layer (it is an option of --model implicit)"
            },
            {
                new String[] {"--model", "implicit", "--kappa", "2"},
                "--kappa does not apply to --model implicit (it is an option of --model two-layer)"
            },
            {
                new String[] {"--model", "implicit", "--relu-grad-at-zero", "0"},
                "--relu-grad-at-zero does not apply to --model implicit"
            },
            {
                new String[] {"--model", "implicit", "--biases"},
                "--biases does not apply to --model implicit (it is an option of --model deep)"
            },
            {
                new String[] {"--freeze", "1"},
                "--freeze does not apply to --model two-layer (it is an option of --model deep or implicit)"
            },
        };
        for (Object[] c : cases) {
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(List.of(TrainCommandTest.SMALL));
            args.addAll(List.of((String[]) c[0]));
            args.addAll(List.of("--out", tmp.resolve("x").toString()));
            TrainCommandTest.Result r = TrainCommandTest.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains((String) c[1]), r.err());
            assertTrue(!Files.exists(tmp.resolve("x")), "nothing written");
        }
    }

    private static List<String> withoutTime(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] f = line.split(",");
            out.add(String.join(",", java.util.Arrays.copyOf(f, f.length - 2)));
        }
        return out;
    }
}
