package image2music.models.vit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import image2music.models.nn.Engines;
import image2music.models.train.TaggingDataset;
import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import image2music.models.vit.ViTImageProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageDataset over label folders and manifests: labels, split, augmentation, DJL batches. */
class ImageDatasetTest {

    private static final ImageProcessorConfig PRE = ImageProcessorConfig.defaults(16);

    @TempDir Path root;

    private void folders(String[] labels, int perLabel, int seedBase) throws IOException {
        for (int l = 0; l < labels.length; l++) {
            Path d = Files.createDirectories(root.resolve(labels[l]));
            for (int i = 0; i < perLabel; i++) {
                Files.write(
                        d.resolve("img" + i + ".png"),
                        SeededImages.png(seedBase + 100L * l + i, 24, 20));
            }
        }
        Files.writeString(root.resolve(labels[0]).resolve("notes.txt"), "not an image");
    }

    private ImageDataset dataset(ImageDataset.Split split, ImageTransforms t, double fraction)
            throws IOException {
        return ImageDataset.builder()
                .setRoot(root)
                .setTransforms(t)
                .optSplit(split)
                .optValidationFraction(fraction)
                .optSeed(5)
                .build();
    }

    @Test
    void unreadableImagesOfARawFolderAreSkippedAndReported() throws IOException {
        folders(new String[] {"calm", "gloomy"}, 2, 0);
        Path broken = root.resolve("calm/broken.png");
        Files.writeString(broken, "not a png at all");
        Path truncated = root.resolve("gloomy/cut.png");
        byte[] png = SeededImages.png(7, 24, 20);
        Files.write(truncated, Arrays.copyOf(png, png.length / 2));
        List<String> skipped = new ArrayList<>();
        List<ImageItem> items = ImageDataset.scan(root, skipped::add);
        assertEquals(4, items.size(), items.toString());
        assertEquals(2, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).startsWith(broken.toString()), skipped.toString());
        assertTrue(skipped.get(1).startsWith(truncated.toString()), skipped.toString());
        ImageDataset d =
                ImageDataset.builder()
                        .setItems(items)
                        .setTransforms(ImageTransforms.evaluation(PRE))
                        .build();
        for (int i = 0; i < d.imageCount(); i++) {
            d.example(i, 0); // every kept image reads
        }
    }

    @Test
    void labelFoldersGiveSortedLabelsAndOneHotTargets() throws IOException {
        folders(new String[] {"gloomy", "calm", "happy"}, 3, 0);
        ImageDataset all = dataset(ImageDataset.Split.ALL, ImageTransforms.evaluation(PRE), 0.3);
        assertEquals(List.of("calm", "gloomy", "happy"), all.labels());
        assertEquals(9, all.imageCount(), "the text file is not an image");
        for (int i = 0; i < all.imageCount(); i++) {
            ImageItem item = all.items().get(i);
            float[] t = all.example(i, 0).target();
            float[] expected = new float[3];
            expected[all.labels().indexOf(item.labels().get(0))] = 1;
            assertArrayEquals(expected, t, item.toString());
            assertEquals(MediaLayout.sha256Hex(item.file()), item.sha256());
        }
    }

    @Test
    void manifestRecordsGiveMultiHotTargets() throws IOException {
        Manifest m = new Manifest(root);
        String[][] labels = {{"calm", "dark"}, {"dark"}, {"happy", "calm"}};
        for (int i = 0; i < labels.length; i++) {
            byte[] png = SeededImages.png(i, 16, 16);
            String sha = MediaLayout.sha256Hex(png);
            String rel = MediaLayout.relativePath(labels[i][0], sha, "png");
            Files.createDirectories(root.resolve(rel).getParent());
            Files.write(root.resolve(rel), png);
            m.append(
                    MediaRecord.builder(rel, List.of(labels[i]), sha, png.length, "synth").build());
        }
        ImageDataset all = dataset(ImageDataset.Split.ALL, ImageTransforms.evaluation(PRE), 0);
        assertEquals(List.of("calm", "dark", "happy"), all.labels());
        assertArrayEquals(new float[] {1, 1, 0}, all.example(0, 0).target());
        assertArrayEquals(new float[] {0, 1, 0}, all.example(1, 0).target());
        assertArrayEquals(new float[] {1, 0, 1}, all.example(2, 0).target());
    }

    @Test
    void splitIsByContentHashAndStableWhenImagesAreAdded() throws IOException {
        folders(new String[] {"a", "b"}, 10, 0);
        ImageDataset train =
                dataset(ImageDataset.Split.TRAIN, ImageTransforms.evaluation(PRE), 0.3);
        ImageDataset val =
                dataset(ImageDataset.Split.VALIDATION, ImageTransforms.evaluation(PRE), 0.3);
        assertEquals(20, train.imageCount() + val.imageCount());
        assertTrue(val.imageCount() > 0 && train.imageCount() > 0, "both sides hold images");
        Set<Path> valFiles = files(val);
        for (ImageItem i : train.items()) {
            assertFalse(valFiles.contains(i.file()), "on both sides: " + i.file());
        }
        assertEquals(train.labels(), val.labels());

        // More images, in a new label: the old ones stay on their side.
        Path c = Files.createDirectories(root.resolve("c"));
        for (int i = 0; i < 15; i++) {
            Files.write(c.resolve("x" + i + ".png"), SeededImages.png(9000 + i, 16, 16));
        }
        Set<Path> valAfter =
                files(dataset(ImageDataset.Split.VALIDATION, ImageTransforms.evaluation(PRE), 0.3));
        for (Path p : valFiles) {
            assertTrue(valAfter.contains(p), "left validation: " + p);
        }
        for (ImageItem i : train.items()) {
            assertFalse(valAfter.contains(i.file()), "moved to validation: " + i.file());
        }
        assertTrue(ImageDataset.isValidation("0000000000000abc", 0.1));
        assertFalse(ImageDataset.isValidation("ffff000000000abc", 0.9));
    }

    @Test
    void augmentationRepeatsForTheSameSeedEpochAndIndexOnly() throws IOException {
        folders(new String[] {"a", "b"}, 2, 0);
        ImageTransforms aug = ImageTransforms.training(PRE);
        ImageDataset d1 = dataset(ImageDataset.Split.ALL, aug, 0);
        ImageDataset d2 = dataset(ImageDataset.Split.ALL, aug, 0);
        float[] first = d1.example(1, 3).pixels();
        assertEquals(3 * 16 * 16, first.length);
        assertArrayEquals(first, d2.example(1, 3).pixels(), "same seed, epoch and index");
        assertFalse(Arrays.equals(first, d1.example(1, 4).pixels()), "another epoch");
        ImageDataset otherSeed =
                ImageDataset.builder().setRoot(root).setTransforms(aug).optSeed(6).build();
        assertFalse(Arrays.equals(first, otherSeed.example(1, 3).pixels()), "another seed");
    }

    @Test
    void evaluationPipelineEqualsTheTaggersPreprocessing() throws IOException {
        folders(new String[] {"a", "b"}, 1, 0);
        ImageDataset d = dataset(ImageDataset.Split.ALL, ImageTransforms.evaluation(PRE), 0);
        RgbImage img = RgbImages.read(d.items().get(0).file());
        assertArrayEquals(
                new ViTImageProcessor(PRE).pixelValues(img), d.example(0, 7).pixels(), 0f);
    }

    @Test
    void transformsFlipAndCropAsSpecified() {
        byte[] px = new byte[3 * 3 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        RgbImage img = new RgbImage(3, 2, px);
        RgbImage flipped = new HorizontalFlip(1).apply(img, new SplittableRandom(1));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(img.get(2 - x, y, ch), flipped.get(x, y, ch));
                }
            }
        }
        assertEquals(img, new HorizontalFlip(0).apply(img, new SplittableRandom(1)));
        RgbImage big = RgbImages.toRgb(SeededImages.image(3, 40, 30));
        RgbImage crop = RandomResizedCrop.of(12, 0.5, 1).apply(big, new SplittableRandom(2));
        assertEquals(12, crop.width());
        assertEquals(12, crop.height());
        float[] n =
                new Normalize(1 / 255.0, new float[] {0.5f, 0, 0}, new float[] {0.5f, 1, 1})
                        .apply(new RgbImage(1, 1, new byte[] {(byte) 255, 0, (byte) 51}));
        assertArrayEquals(new float[] {1f, 0f, 0.2f}, n, 1e-6f);
    }

    @Test
    void djlBatchesStackPixelsAndTargets() throws IOException {
        folders(new String[] {"a", "b", "c"}, 2, 0);
        ImageDataset d =
                ImageDataset.builder()
                        .setRoot(root)
                        .setTransforms(ImageTransforms.training(PRE))
                        .setSampling(4, true)
                        .build();
        try (NDManager m = Engines.newManager()) {
            Record r = d.get(m, 0);
            assertEquals(new Shape(3, 16, 16), r.getData().singletonOrThrow().getShape());
            assertEquals(new Shape(3), r.getLabels().singletonOrThrow().getShape());
            List<Long> sizes = new ArrayList<>();
            for (Batch b : d.getData(m)) {
                assertEquals(
                        new Shape(b.getSize(), 3, 16, 16),
                        b.getData().singletonOrThrow().getShape());
                assertEquals(
                        new Shape(b.getSize(), 3), b.getLabels().singletonOrThrow().getShape());
                sizes.add((long) b.getSize());
                b.close();
            }
            assertEquals(List.of(4L, 2L), sizes);
        } catch (ai.djl.translate.TranslateException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEmptyRootIsAnErrorNamingIt() {
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> dataset(ImageDataset.Split.ALL, ImageTransforms.evaluation(PRE), 0));
        assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no images"), e.getMessage());
    }

    private static Set<Path> files(TaggingDataset d) {
        Set<Path> s = new HashSet<>();
        ((ImageDataset) d).items().forEach(i -> s.add(i.file()));
        return s;
    }
}
