package image2music.models.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.train.Seeds;
import image2music.models.train.TaggingDataset;
import image2music.models.train.TrainingArguments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training runs of a tiny ViT on generated tensors: resumption, checkpoints, errors. */
class TaggerTrainerTest {

    private static final int SIDE = 16;

    @TempDir Path dir;

    /**
     * Images whose mean colour channel says the label, with noise that changes with the epoch (as
     * augmentation would).
     */
    record Synthetic(List<String> labels, int size, long salt, int side) implements TaggingDataset {
        Synthetic(List<String> labels, int size, long salt) {
            this(labels, size, salt, SIDE);
        }

        @Override
        public Example example(int index, long epoch) {
            int label = index % labels.size();
            SplittableRandom r = new SplittableRandom(Seeds.mix(salt, epoch, index));
            float[] px = new float[3 * side * side];
            for (int i = 0; i < px.length; i++) {
                int c = i / (side * side);
                px[i] = (c == label % 3 ? 0.8f : -0.8f) + (float) r.nextGaussian() * 0.3f;
            }
            float[] t = new float[labels.size()];
            t[label] = 1;
            return new Example(px, t);
        }

        @Override
        public int imageCount() {
            return size;
        }

        @Override
        public String fingerprint() {
            return "synthetic-" + salt + "-" + size;
        }
    }

    private static TaggerTrainingConfig config(long maxSteps, int checkpointEvery, boolean single) {
        return TaggerTrainingConfig.builder()
                .training(
                        TrainingArguments.builder()
                                .epochs(3)
                                .batchSize(3)
                                .learningRate(3e-3)
                                .warmupRatio(0.2)
                                .weightDecay(0.01)
                                .maxGradNorm(1.0)
                                .seed(7)
                                .checkpointEvery(checkpointEvery)
                                .keepCheckpoints(2)
                                .logEvery(1)
                                .maxSteps(maxSteps)
                                .build())
                .singleLabel(single)
                .imageSize(SIDE)
                .patchSize(8)
                .hiddenSize(16)
                .numLayers(2)
                .numHeads(2)
                .dropout(0.1f)
                .selectBy(TaggerTrainingConfig.MAP)
                .threshold(0.5f)
                .build();
    }

    private static final List<String> LABELS = List.of("calm", "dark", "happy");
    private static final TaggingDataset TRAIN = new Synthetic(LABELS, 12, 1);
    private static final TaggingDataset VALIDATION = new Synthetic(LABELS, 6, 2);

    @Test
    void stoppingAndResumingGivesTheSameParametersAsOneRun() throws IOException {
        Path once = dir.resolve("once");
        new TaggerTrainer(config(0, 0, false), TRAIN, VALIDATION, once, null).run(false);

        Path twice = dir.resolve("twice");
        TaggerTrainer.Result first =
                new TaggerTrainer(config(6, 0, false), TRAIN, VALIDATION, twice, null).run(false);
        assertFalse(first.finished());
        assertEquals(6, first.steps());
        // Step 6 is mid-epoch (4 steps per epoch): the stop wrote a checkpoint there.
        assertTrue(Files.isDirectory(twice.resolve("checkpoint-6")));
        TaggerTrainer.Result second =
                new TaggerTrainer(config(0, 0, false), TRAIN, VALIDATION, twice, null).run(true);
        assertTrue(second.finished());
        assertEquals(12, second.steps());

        assertArrayEquals(
                Files.readAllBytes(once.resolve(ViTCheckpoints.WEIGHTS)),
                Files.readAllBytes(twice.resolve(ViTCheckpoints.WEIGHTS)),
                "parameters after 12 steps, in one run vs 6 + resumed 6");
        assertEquals(losses(once), losses(twice), "step losses in metrics.jsonl");
        assertEquals(epochLines(once), epochLines(twice), "epoch lines (train loss, validation)");
        assertEquals(12, losses(once).size());
    }

    @Test
    void resumingAFinishedRunLeavesItAloneAndSaysSo() throws IOException {
        Path out = dir.resolve("done");
        new TaggerTrainer(config(0, 0, false), TRAIN, VALIDATION, out, null).run(false);
        Map<Path, byte[]> before = contents(out);
        Map<Path, java.nio.file.attribute.FileTime> times = new java.util.HashMap<>();
        for (Path f : before.keySet()) {
            times.put(f, Files.getLastModifiedTime(f));
        }
        TaggerTrainer.Result again =
                new TaggerTrainer(config(0, 0, false), TRAIN, VALIDATION, out, null).run(true);
        assertTrue(again.wasDone());
        assertTrue(again.finished());
        assertEquals(12, again.steps());
        Map<Path, byte[]> after = contents(out);
        assertEquals(before.keySet(), after.keySet());
        for (Path f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), f.toString());
            assertEquals(times.get(f), Files.getLastModifiedTime(f), f + " was rewritten");
        }
    }

    private static Map<Path, byte[]> contents(Path root) throws IOException {
        Map<Path, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.put(f, Files.readAllBytes(f));
            }
        }
        return out;
    }

    @Test
    void writesCheckpointsBestModelAndMetrics() throws IOException {
        Path out = dir.resolve("run");
        TaggerTrainer.Result r =
                new TaggerTrainer(config(0, 2, false), TRAIN, VALIDATION, out, null).run(false);
        assertEquals(12, r.steps());
        // Kept: the newest two of checkpoint-2, -4 (epoch end), -6, -8, -10, -12.
        List<String> cps = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("checkpoint-"))
                    .sorted()
                    .forEach(cps::add);
        }
        assertEquals(List.of("checkpoint-10", "checkpoint-12"), cps);
        Path cp = out.resolve("checkpoint-12");
        for (String f :
                List.of(
                        "config.json",
                        "model.safetensors",
                        "optimizer.safetensors",
                        "trainer_state.json",
                        "training_provenance.json")) {
            assertTrue(Files.isRegularFile(cp.resolve(f)), f);
        }
        JsonObject state =
                JsonParser.parseString(Files.readString(cp.resolve("trainer_state.json")))
                        .getAsJsonObject();
        assertEquals(3, state.get("epoch").getAsLong());
        assertEquals(0, state.get("position").getAsInt());
        assertEquals(12, state.getAsJsonObject("scheduler").get("total_steps").getAsLong());
        JsonObject prov =
                JsonParser.parseString(Files.readString(out.resolve("training_provenance.json")))
                        .getAsJsonObject();
        assertEquals(
                "synthetic-1-12",
                prov.getAsJsonObject("data").get("train_fingerprint").getAsString());

        ViTConfig best = ViTConfig.read(out.resolve("best").resolve("config.json"));
        assertEquals(LABELS, best.labels());
        assertEquals(ViTConfig.MULTI_LABEL, best.problemType());
        try (ViTTagger tagger = ViTTagger.open(out.resolve("best"))) {
            assertEquals(LABELS, tagger.config().labels());
        }
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        long epochs = lines.stream().filter(l -> l.contains("\"type\":\"epoch\"")).count();
        assertEquals(3, epochs);
        JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        assertTrue(last.getAsJsonObject("validation").has("map"));
        List<Double> loss = losses(out);
        assertTrue(
                loss.get(loss.size() - 1) < loss.get(0),
                "loss should fall on separable data: " + loss);
    }

    @Test
    void singleLabelTrainingWritesItsProblemType() throws IOException {
        Path out = dir.resolve("single");
        new TaggerTrainer(config(4, 0, true), TRAIN, VALIDATION, out, null).run(false);
        assertEquals(
                ViTConfig.SINGLE_LABEL, ViTConfig.read(out.resolve("config.json")).problemType());
    }

    @Test
    void startsFromAClassifierOrBackboneFolderWithAFreshHead() throws IOException {
        Path tiny = Fixtures.path("hf/vit_tiny");
        Path backbone = dir.resolve("in21k");
        try (NDManager m = Engines.newManager()) {
            // The in21k layout of the same weights: no "vit." prefix, a pooler, no classifier.
            Map<String, NDArray> cls = SafetensorsFile.read(tiny.resolve("model.safetensors"), m);
            Map<String, NDArray> bare = new LinkedHashMap<>();
            cls.forEach(
                    (k, v) -> {
                        if (k.startsWith("vit.")) {
                            bare.put(k.substring(4), v);
                        }
                    });
            bare.put("pooler.dense.weight", m.ones(new Shape(32, 32)));
            bare.put("pooler.dense.bias", m.zeros(new Shape(32)));
            Files.createDirectories(backbone);
            SafetensorsWriter.write(backbone.resolve("model.safetensors"), bare);
            Files.copy(tiny.resolve("config.json"), backbone.resolve("config.json"));
        }
        for (Path init : List.of(tiny, backbone)) {
            TaggerTrainingConfig c =
                    TaggerTrainingConfig.builder()
                            .training(
                                    TrainingArguments.builder()
                                            .epochs(1)
                                            .batchSize(3)
                                            .learningRate(1e-4)
                                            .warmupRatio(0)
                                            .weightDecay(0.01)
                                            .maxGradNorm(1.0)
                                            .seed(7)
                                            .checkpointEvery(0)
                                            .keepCheckpoints(1)
                                            .logEvery(1)
                                            .maxSteps(2)
                                            .build())
                            .init(init)
                            .imageSize(0)
                            .patchSize(0)
                            .hiddenSize(0)
                            .numLayers(0)
                            .numHeads(0)
                            .dropout(0f)
                            .build();
            Path out = dir.resolve("from-" + init.getFileName());
            new TaggerTrainer(c, new Synthetic(LABELS, 6, 1, 32), null, out, null).run(false);
            ViTConfig written = ViTConfig.read(out.resolve("config.json"));
            assertEquals(LABELS, written.labels(), init.toString());
            assertEquals(ViTConfig.MULTI_LABEL, written.problemType());
            assertEquals(32, written.hiddenSize());
            String config = Files.readString(out.resolve("config.json"));
            assertTrue(config.contains("\"label2id\""), config);
            try (NDManager m = Engines.newManager()) {
                Map<String, NDArray> before =
                        SafetensorsFile.read(tiny.resolve("model.safetensors"), m);
                Map<String, NDArray> after =
                        SafetensorsFile.read(out.resolve("model.safetensors"), m);
                assertEquals(new Shape(3, 32), after.get("classifier.weight").getShape());
                String key = "vit.embeddings.patch_embeddings.projection.weight";
                // Two AdamW steps of 1e-4 move each weight by at most ~2e-4 (+ tiny decay).
                float moved = before.get(key).sub(after.get(key)).abs().max().getFloat();
                assertTrue(moved > 0 && moved < 3e-4f, init + ": backbone moved by " + moved);
            }
        }
    }

    @Test
    void refusesEmptyAndOneLabelDatasetsAndBadResumes() throws IOException {
        IllegalArgumentException empty =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TaggerTrainer(
                                        config(0, 0, false),
                                        new Synthetic(LABELS, 0, 1),
                                        null,
                                        dir,
                                        null));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        IllegalArgumentException one =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TaggerTrainer(
                                        config(0, 0, false),
                                        new Synthetic(List.of("calm"), 4, 1),
                                        null,
                                        dir,
                                        null));
        assertTrue(one.getMessage().contains("at least 2 labels"), one.getMessage());

        Path out = dir.resolve("fresh");
        IOException noCheckpoint =
                assertThrows(
                        IOException.class,
                        () ->
                                new TaggerTrainer(config(0, 0, false), TRAIN, null, out, null)
                                        .run(true));
        assertTrue(noCheckpoint.getMessage().contains("no checkpoint"), noCheckpoint.getMessage());
        new TaggerTrainer(config(1, 0, false), TRAIN, null, out, null).run(false);
        IllegalArgumentException again =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TaggerTrainer(config(2, 0, false), TRAIN, null, out, null)
                                        .run(false));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
        TaggerTrainingConfig base = config(0, 0, false);
        TaggerTrainingConfig otherSeed =
                base.toBuilder().training(base.training().toBuilder().seed(8).build()).build();
        IllegalArgumentException changed =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new TaggerTrainer(otherSeed, TRAIN, null, out, null).run(true));
        assertTrue(changed.getMessage().contains("seed 7 -> 8"), changed.getMessage());
    }

    private static List<String> epochLines(Path out) throws IOException {
        return Files.readAllLines(out.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"epoch\""))
                .toList();
    }

    private static List<Double> losses(Path out) throws IOException {
        List<Double> l = new ArrayList<>();
        for (String line :
                Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.get("type").getAsString().equals("step")) {
                l.add(o.get("loss").getAsDouble());
            }
        }
        return l;
    }
}
