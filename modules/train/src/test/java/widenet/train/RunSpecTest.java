package widenet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import widenet.train.internal.Json;
import widenet.train.internal.TrainingRun;

/** {@link RunSpec}: its JSON form round-trips, differences name the field, each model checks its own settings. */
class RunSpecTest {
    @TempDir
    Path tmp;

    static RunSpec twoLayer(int n, int d, int m) {
        return new RunSpec(
                new DataSpec.Sphere(n, d),
                ModelSpec.TwoLayer.du2019(m),
                RunSpec.Optimisation.fullBatch(0.3, 12),
                5,
                null,
                RunSpec.Theory.OFF,
                null,
                new RunSpec.Compute("scalar", 1),
                null);
    }

    static List<RunSpec> examples() {
        return List.of(
                twoLayer(16, 8, 32),
                new RunSpec(
                        new DataSpec.NpyFiles("x.npy", "y.npy"),
                        new ModelSpec.TwoLayer(10, 0.5, true, 0),
                        new RunSpec.Optimisation(0.01, 3, 4, 2, "mean"),
                        -7,
                        "init",
                        RunSpec.Theory.on(0),
                        "5",
                        new RunSpec.Compute("simd", null),
                        new EngineSpec.DataParallel("spark", "local[2]", 3)),
                new RunSpec(
                        new DataSpec.Sphere(20, 6),
                        new ModelSpec.Deep(
                                List.of(6, 30, 12, 2),
                                "leaky-relu:0.1",
                                List.of("he", "ntk:1", "lecun"),
                                "zero",
                                true,
                                List.of(2),
                                1),
                        RunSpec.Optimisation.fullBatch(0.05, 9),
                        1,
                        null,
                        new RunSpec.Theory("auto", 3L),
                        "1m",
                        null,
                        null),
                new RunSpec(
                        new DataSpec.Sphere(20, 6),
                        new ModelSpec.Implicit(
                                16, 0.3, 1e-5, 80, "linear", "sqrt-d", true, "gaussian", 0.5, true, List.of("A")),
                        RunSpec.Optimisation.fullBatch(0.05, 9),
                        2,
                        null,
                        null,
                        null,
                        null,
                        null));
    }

    @Test
    void jsonRoundTripsEveryModelDataAndEngine() {
        for (RunSpec s : examples()) {
            Map<String, Object> json = RunSpecJson.toMap(s);
            assertEquals(1, json.get("schema_version"));
            // through text, as run.json holds it
            Map<String, Object> read = Json.parse(RunSpecJson.toJson(s).getBytes(StandardCharsets.UTF_8), "spec");
            assertEquals(s, RunSpecJson.fromMap(read, "spec"));
            assertEquals(
                    List.of(), RunSpecJson.differences(json, RunSpecJson.toMap(RunSpecJson.fromMap(read, "spec"))));
        }
    }

    @Test
    void differencesNameTheField() {
        RunSpec a = twoLayer(16, 8, 32), b = twoLayer(16, 8, 48);
        List<RunSpecJson.Difference> d = RunSpecJson.differences(a.identity(), b.identity());
        assertEquals(1, d.size(), d.toString());
        assertEquals("model.width", d.get(0).field());
        assertEquals("model.width 32 → 48", d.get(0).toString());
        // the checkpoint cadence steers the run; it is not part of its identity
        assertEquals(
                List.of(),
                RunSpecJson.differences(a.identity(), a.withCheckpointEvery("1").identity()));
        InputException e = assertThrows(InputException.class, () -> Runs.requireSame(tmp, a, b));
        assertTrue(e.getMessage().contains("model.width = 32, not 48"), e.getMessage());
    }

    @Test
    void newerOrMalformedSpecsAreRefusedNamingTheProblem() {
        Map<String, Object> json = new java.util.LinkedHashMap<>(RunSpecJson.toMap(twoLayer(4, 4, 4)));
        json.put("schema_version", 99);
        assertTrue(assertThrows(InputException.class, () -> RunSpecJson.fromMap(json, "run.json"))
                .getMessage()
                .contains("schema_version 99"));
        json.put("schema_version", 1);
        json.put("model", Map.of("kind", "wide-resnet"));
        assertTrue(assertThrows(InputException.class, () -> RunSpecJson.fromMap(json, "run.json"))
                .getMessage()
                .startsWith("run.json: not a run spec"));
    }

    @Test
    void eachModelChecksItsOwnSettingsInTheOptionsTerms() {
        DataSpec sphere = new DataSpec.Sphere(8, 4);
        Object[][] cases = {
            {new ModelSpec.TwoLayer(0, 1, false, 1), "--width must be positive, got 0"},
            {new ModelSpec.TwoLayer(4, -1, false, 1), "--kappa must be positive and finite, got -1.0"},
            {new ModelSpec.TwoLayer(4, 1, false, 2), "--relu-grad-at-zero must be 1 or 0, got 2"},
            {ModelSpec.Deep.of(null), "--model deep needs --widths"},
            {ModelSpec.Deep.of(List.of(4)), "has 1 width; give at least 2"},
            {ModelSpec.Deep.of(List.of(5, 8, 1)), "--widths starts with 5 but --d is 4"},
            {
                new ModelSpec.Deep(List.of(4, 8, 1), "relu", List.of("lecun"), "big", false, List.of(), 0),
                "--output-scale 'big'"
            },
            {ModelSpec.Implicit.paper(8, -1), "--gamma must be non-negative"},
            {
                new ModelSpec.Implicit(8, 0.2, 1e-6, 0, null, null, true, null, 1, false, List.of()),
                "--max-iter must be at least 1"
            },
            {
                ModelSpec.Implicit.earlier(8, 0.2, false, List.of("v")),
                "(v only with the output skip, which --no-output-skip turned off)"
            },
            {ModelSpec.Implicit.earlier(8, 0.2, false, List.of("A", "W", "u")), "leaves nothing to train"},
            {
                new ModelSpec.Implicit(8, 0.2, 1e-6, 10, "tanh", null, true, null, 1, false, List.of()),
                "--phi must be relu (the paper's) or linear, got 'tanh'"
            },
            {
                new ModelSpec.Implicit(8, 0.2, 1e-6, 10, null, "m", true, null, 1, false, List.of()),
                "--phi-scale must be sqrt-m"
            },
            {
                new ModelSpec.Implicit(8, 0.2, 1e-6, 10, null, null, true, "normal", 1, false, List.of()),
                "--output-init must be rademacher"
            },
        };
        for (Object[] c : cases) {
            RunSpec s = new RunSpec(
                    sphere, (ModelSpec) c[0], RunSpec.Optimisation.fullBatch(0.1, 1), 0, null, null, null, null, null);
            String m = assertThrows(InputException.class, s::validate).getMessage();
            assertTrue(m.contains((String) c[1]), m + " should say " + c[1]);
        }
        RunSpec dp = new RunSpec(
                sphere,
                ModelSpec.Deep.of(List.of(4, 8, 1)),
                RunSpec.Optimisation.fullBatch(0.1, 1),
                0,
                null,
                null,
                null,
                null,
                new EngineSpec.DataParallel("spark", null, null));
        assertEquals(
                "--data-parallel spark trains --model two-layer, not deep",
                assertThrows(InputException.class, dp::validate).getMessage());
    }

    @Test
    void runsTrainTheSpecAndRecordItWithOneDefinitionOfEachTiming() throws Exception {
        RunSpec spec = twoLayer(16, 8, 32);
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        RunRecord ra = Runs.train(spec, a, RunListener.SILENT);
        assertTrue(ra.finished());
        assertEquals(12, ra.steps());
        assertEquals(spec, Runs.recordedSpec(a));
        RunRecord read = RunRecord.read(a);
        assertEquals(read.gdSeconds(), read.trainSeconds() - read.probeSeconds(), 0);
        assertEquals(read.theorySeconds(), read.theorySetupSeconds() + read.probeSeconds(), 0);
        Map<String, Object> json = Json.read(a.resolve(TrainingRun.RUN_JSON));
        assertEquals(((Number) json.get("gd_seconds")).doubleValue(), read.gdSeconds(), 0);
        // the recorded spec trains again to the same bits
        Runs.train(Runs.recordedSpec(a), b, RunListener.SILENT);
        for (String f : List.of("final/W.npy", "final/a.npy", "init/W.npy")) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f))), f);
        }
        // a finished run is kept by continueIn, and only for the same spec
        assertEquals(read, Runs.continueIn(spec, a, RunListener.SILENT));
        InputException e =
                assertThrows(InputException.class, () -> Runs.continueIn(twoLayer(16, 8, 33), a, RunListener.SILENT));
        assertTrue(e.getMessage().contains("model.width = 32, not 33"), e.getMessage());
    }
}
