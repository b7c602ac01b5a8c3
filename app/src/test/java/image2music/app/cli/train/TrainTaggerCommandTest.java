package image2music.app.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-tagger end to end on a tiny generated image set, then tag with its output. */
class TrainTaggerCommandTest {

    private static final String[] LABELS = {"blue", "green", "red"};

    @TempDir Path dir;

    /** A 32x32 image of mostly {@code label}'s colour, with seeded noise and a stripe pattern. */
    private static BufferedImage image(int label, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        int period = 3 + r.nextInt(6);
        boolean vertical = r.nextBoolean();
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean stripe = ((vertical ? x : y) / period) % 2 == 0;
                int[] c = new int[3];
                for (int k = 0; k < 3; k++) {
                    int base = k == 2 - label ? 200 : 40;
                    c[k] =
                            Math.max(
                                    0,
                                    Math.min(255, base + (stripe ? 30 : -30) + r.nextInt(41) - 20));
                }
                img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
            }
        }
        return img;
    }

    private Path imageSet() throws IOException {
        Path root = dir.resolve("images");
        for (int l = 0; l < LABELS.length; l++) {
            Path d = Files.createDirectories(root.resolve(LABELS[l]));
            for (int i = 0; i < 12; i++) {
                ImageIO.write(image(l, 1000L * l + i), "png", d.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void trainsATaggerThatTagsAHeldOutImage() throws IOException {
        Path images = imageSet();
        // Unreadable, as the importer would have found it: skipped and reported, not fatal.
        Files.writeString(images.resolve("red/broken.png"), "not a picture");
        Path out = dir.resolve("tagger");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train-tagger",
                                "--images",
                                images.toString(),
                                "--out",
                                out.toString(),
                                "--image-size",
                                "32",
                                "--patch-size",
                                "8",
                                "--hidden-size",
                                "32",
                                "--layers",
                                "2",
                                "--heads",
                                "2",
                                "--epochs",
                                "8",
                                "--batch-size",
                                "8",
                                "--lr",
                                "3e-3",
                                "--log-every",
                                "1",
                                "--checkpoint-every",
                                "0",
                                "--validation-fraction",
                                "0.2",
                                "--seed",
                                "3",
                                "--no-progress"));
        // Stopped part-way, then resumed: the run must still finish and learn.
        List<String> stopped = new ArrayList<>(args);
        stopped.addAll(List.of("--max-steps", "10"));
        CliRun run = CliRun.of(stopped.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("stopped after 10 steps"), run.out());
        assertTrue(run.err().contains("skipped 1 unreadable image:"), run.err());
        assertTrue(run.err().contains("broken.png"), run.err());
        args.add("--resume");
        run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("finished after"), run.out());
        assertTrue(run.err().contains("epoch 8: train loss"), run.err());

        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.get("type").getAsString().equals("step")) {
                losses.add(o.get("loss").getAsDouble());
            }
        }
        double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
        int n = losses.size();
        double last = (losses.get(n - 1) + losses.get(n - 2) + losses.get(n - 3)) / 3;
        assertTrue(last < 0.7 * first, "loss should fall: " + losses);

        BufferedImage png = ImageIO.read(out.resolve(TrainTaggerCommand.CURVES).toFile());
        assertEquals(800, png.getWidth());
        assertTrue(Files.isRegularFile(out.resolve("best").resolve("model.safetensors")));
        long written = Files.getLastModifiedTime(out.resolve("model.safetensors")).toMillis();
        CliRun done = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, done.exitCode(), done.err());
        assertTrue(done.out().startsWith("already finished at step"), done.out());
        assertEquals(
                written, Files.getLastModifiedTime(out.resolve("model.safetensors")).toMillis());

        Path heldOut = dir.resolve("held-out-red.png");
        ImageIO.write(image(2, 99_999), "png", heldOut.toFile());
        CliRun tag = CliRun.of("tag", "--model", out.toString(), "--json", heldOut.toString());
        assertEquals(0, tag.exitCode(), tag.err());
        JsonObject result = JsonParser.parseString(tag.out().trim()).getAsJsonObject();
        assertEquals(
                "red",
                result.getAsJsonArray("labels").get(0).getAsJsonObject().get("label").getAsString(),
                tag.out());
    }

    @Test
    void oneLabelAndEmptyFoldersFailWithClearErrors() throws IOException {
        Path one = dir.resolve("one");
        Path d = Files.createDirectories(one.resolve("calm"));
        ImageIO.write(image(0, 1), "png", d.resolve("a.png").toFile());
        CliRun run =
                CliRun.of(
                        "train-tagger",
                        "--images",
                        one.toString(),
                        "--out",
                        dir.resolve("o1").toString(),
                        "--validation-fraction",
                        "0",
                        "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("at least 2 labels"), run.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        run =
                CliRun.of(
                        "train-tagger",
                        "--images",
                        empty.toString(),
                        "--out",
                        dir.resolve("o2").toString(),
                        "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("no images"), run.err());
    }
}
