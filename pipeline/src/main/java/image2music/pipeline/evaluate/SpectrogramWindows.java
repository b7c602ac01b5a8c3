package image2music.pipeline.evaluate;

import image2music.core.manifest.MediaLayout;
import image2music.models.train.Seeds;
import image2music.models.train.TaggingDataset;
import image2music.models.vit.RgbImage;
import image2music.models.vit.data.ImageTransforms;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Spectrogram images cut into windows of one width, labelled with a class each, as a tagger's
 * dataset. Spectrograms are cropped along time only (never flipped or rescaled in frequency): for
 * training, each epoch a window at a random offset of each image; otherwise the images must already
 * be one window wide (see {@link #cut}).
 */
public final class SpectrogramWindows implements TaggingDataset {

    /** One image and the index of its class in {@code labels}. */
    public record Entry(String name, RgbImage image, int label) {}

    private final List<String> labels;
    private final List<Entry> entries;
    private final int width;
    private final boolean randomCrop;
    private final ImageTransforms transforms;
    private final long seed;

    /**
     * @param width the window width in pixels; every image at least this wide
     * @param randomCrop a random window per epoch (training) rather than the image's first
     * @param transforms resize and normalisation to the model's input
     */
    public SpectrogramWindows(
            List<String> labels,
            List<Entry> entries,
            int width,
            boolean randomCrop,
            ImageTransforms transforms,
            long seed) {
        for (Entry e : entries) {
            if (e.image().width() < width) {
                throw new IllegalArgumentException(
                        e.name() + ": " + e.image().width() + " px wide, the window is " + width);
            }
            if (e.label() < 0 || e.label() >= labels.size()) {
                throw new IllegalArgumentException(e.name() + ": label index " + e.label());
            }
        }
        this.labels = List.copyOf(labels);
        this.entries = List.copyOf(entries);
        this.width = width;
        this.randomCrop = randomCrop;
        this.transforms = transforms;
        this.seed = seed;
    }

    /** The non-overlapping windows of {@code width} from the left of {@code image}. */
    public static List<RgbImage> cut(RgbImage image, int width) {
        List<RgbImage> out = new ArrayList<>();
        for (int x = 0; x + width <= image.width(); x += width) {
            out.add(crop(image, x, width));
        }
        return out;
    }

    /** Columns {@code x … x + width − 1} of {@code image}. */
    public static RgbImage crop(RgbImage image, int x, int width) {
        if (x == 0 && width == image.width()) {
            return image;
        }
        byte[] out = new byte[3 * width * image.height()];
        for (int y = 0; y < image.height(); y++) {
            System.arraycopy(
                    image.pixels(), 3 * (y * image.width() + x), out, 3 * y * width, 3 * width);
        }
        return new RgbImage(width, image.height(), out);
    }

    public List<Entry> entries() {
        return entries;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public int imageCount() {
        return entries.size();
    }

    @Override
    public Example example(int index, long epoch) {
        Entry e = entries.get(index);
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, epoch, index));
        int x = randomCrop ? r.nextInt(e.image().width() - width + 1) : 0;
        float[] target = new float[labels.size()];
        target[e.label()] = 1f;
        return new Example(transforms.apply(crop(e.image(), x, width), r), target);
    }

    @Override
    public String fingerprint() {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            b.append(e.name()).append('\t').append(labels.get(e.label())).append('\n');
        }
        return MediaLayout.sha256Hex(b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
