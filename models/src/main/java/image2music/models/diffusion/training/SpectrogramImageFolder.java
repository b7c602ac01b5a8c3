package image2music.models.diffusion.training;

import image2music.audio.dataset.MetadataCsv;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A captioned spectrogram training set in HuggingFace's imagefolder layout ({@code *.png} and a
 * {@code metadata.csv} of {@code file_name,text}, as {@code build-dataset} writes it and diffusers'
 * {@code train_text_to_image.py} reads it).
 *
 * <p>Spectrograms are not photos: the vertical axis is frequency (a mel bin per row), so images are
 * never flipped or resized; a training sample is a window cut from the image along time only. Every
 * image's size is read from its header when the folder is opened, so a bad file is reported by name
 * before training starts.
 */
public final class SpectrogramImageFolder {

    /**
     * One image and its caption; {@code width} is time (10 ms a pixel), {@code height} mel bins.
     */
    public record Item(Path file, String caption, int width, int height) {}

    /** Larger than any spectrogram we make (a 15 s segment is 1501 × 512): refused unread. */
    static final long MAX_PIXELS = 1L << 24;

    private final Path dir;
    private final List<Item> items;

    private SpectrogramImageFolder(Path dir, List<Item> items) {
        this.dir = dir;
        this.items = items;
    }

    /**
     * Opens {@code dir}: every row of its {@code metadata.csv} must name an image inside the folder
     * that exists and whose header gives a size.
     *
     * @throws IOException naming the file and the problem: no metadata.csv, an empty table, a file
     *     name that leaves the folder, a missing or unreadable image, an image over 16 Mpx
     */
    public static SpectrogramImageFolder open(Path dir) throws IOException {
        Path csv = dir.resolve(MetadataCsv.FILE_NAME);
        if (!Files.isRegularFile(csv)) {
            throw new IOException(
                    dir
                            + ": no "
                            + MetadataCsv.FILE_NAME
                            + " (a training set is build-dataset's output: *.png + metadata.csv)");
        }
        List<MetadataCsv.Row> rows = MetadataCsv.read(csv);
        if (rows.isEmpty()) {
            throw new IOException(csv + ": lists no images");
        }
        Path root = dir.toAbsolutePath().normalize();
        List<Item> items = new ArrayList<>(rows.size());
        for (MetadataCsv.Row r : rows) {
            Path file = root.resolve(r.fileName()).normalize();
            if (!file.startsWith(root) || file.equals(root)) {
                throw new IOException(csv + ": '" + r.fileName() + "' is outside " + root);
            }
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": listed in " + csv + " but missing");
            }
            int[] size = headerSize(file);
            items.add(new Item(file, r.text(), size[0], size[1]));
        }
        return new SpectrogramImageFolder(root, Collections.unmodifiableList(items));
    }

    /** Width and height from the image header, without decoding the pixels. */
    static int[] headerSize(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": not an image format we read (PNG, JPEG)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS) {
                    throw new IOException(
                            file + ": " + w + " × " + h + " px is empty or over 16 Mpx");
                }
                return new int[] {w, h};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": unreadable image (" + e.getMessage() + ")", e);
        }
    }

    public Path dir() {
        return dir;
    }

    public List<Item> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    /** The distinct captions, sorted: the default validation prompts. */
    public SortedSet<String> captions() {
        SortedSet<String> out = new TreeSet<>();
        items.forEach(i -> out.add(i.caption()));
        return out;
    }

    /**
     * Checks that every image can give a {@code height}-row window {@code width} columns wide: the
     * frequency axis must match the model's exactly, time must be at least as long.
     */
    public void checkFits(int width, int height) throws IOException {
        for (Item i : items) {
            if (i.height() != height) {
                throw new IOException(
                        i.file()
                                + ": "
                                + i.height()
                                + " mel rows, the model takes "
                                + height
                                + " (spectrograms are cropped in time only, never resized in"
                                + " frequency)");
            }
            if (i.width() < width) {
                throw new IOException(
                        i.file()
                                + ": "
                                + i.width()
                                + " px of time, shorter than the "
                                + width
                                + " px training window");
            }
        }
    }

    /**
     * Where a window of {@code width} starts: uniformly random, or centred when {@code random} is
     * null.
     */
    public static int offset(Item item, int width, SplittableRandom random) {
        int slack = item.width() - width;
        if (slack < 0) {
            throw new IllegalArgumentException(
                    item.file() + ": " + item.width() + " px is shorter than " + width);
        }
        return random == null ? slack / 2 : random.nextInt(slack + 1);
    }

    /**
     * The window {@code [offset, offset + width)} of {@code item} as 3 × height × width floats in
     * [−1, 1] (channel-major, rows top to bottom as stored: high frequencies first), the input
     * range of SD's VAE.
     */
    public static float[] window(Item item, int offset, int width) throws IOException {
        RgbImage img = RgbImages.read(item.file());
        if (img.width() != item.width() || img.height() != item.height()) {
            throw new IOException(item.file() + ": changed since the dataset was opened");
        }
        if (offset < 0 || offset + width > img.width()) {
            throw new IllegalArgumentException(
                    item.file() + ": window [" + offset + ", " + (offset + width) + ") is outside");
        }
        int h = item.height();
        int plane = h * width;
        float[] out = new float[3 * plane];
        byte[] px = img.pixels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < width; x++) {
                int src = 3 * (y * img.width() + offset + x);
                for (int c = 0; c < 3; c++) {
                    out[c * plane + y * width + x] = (px[src + c] & 0xff) / 127.5f - 1f;
                }
            }
        }
        return out;
    }
}
