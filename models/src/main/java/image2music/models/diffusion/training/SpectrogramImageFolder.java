package image2music.models.diffusion.training;

import image2music.audio.dataset.MetadataCsv;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.core.io.InputFiles;
import image2music.core.parquet.ParquetFile;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A captioned spectrogram training set in HuggingFace's imagefolder layout ({@code *.png} and a
 * {@code metadata.csv} of {@code file_name,text}, as {@code build-dataset} writes it and diffusers'
 * {@code train_text_to_image.py} reads it), or as Parquet: a folder with {@code
 * data/train-*.parquet} (or other {@code data/*.parquet}) and no {@code metadata.csv}, or one
 * {@code .parquet} file, whose rows hold {@code image} (struct of the encoded {@code bytes} and
 * their file name {@code path}, how HuggingFace {@code datasets} stores an Image feature) and
 * {@code text}, as {@code build-dataset --format parquet} and {@code datasets} write them. Both
 * layouts give the same items: a Parquet row's image is decoded from its bytes with the same checks
 * as a file's, and {@link Item#file()} is where the row's {@code path} would put it in the folder.
 *
 * <p>Spectrograms are not photos: the vertical axis is frequency (a mel bin per row), so images are
 * never flipped or resized; a training sample is a window cut from the image along time only. Every
 * image's size is read from its header when the folder is opened, so a bad file is reported by name
 * before training starts.
 */
public final class SpectrogramImageFolder {

    /**
     * One image and its caption; {@code width} is time (10 ms a pixel), {@code height} mel bins.
     * {@code row} is null for an image file; for a Parquet row it says where its bytes are, and
     * {@code file} is the folder joined with the row's file name (which need not exist).
     */
    public record Item(Path file, String caption, int width, int height, ParquetRow row) {

        public Item(Path file, String caption, int width, int height) {
            this(file, caption, width, height, null);
        }

        /** The encoded image (PNG, JPEG). */
        public byte[] bytes() throws IOException {
            if (row != null) {
                return row.images().bytes(row.rowGroup(), row.index());
            }
            InputFiles.requireRegularFile(file, MAX_FILE_BYTES, "an image");
            return Files.readAllBytes(file);
        }

        /** The encoded image's size in bytes. */
        public long size() throws IOException {
            return row != null ? row.length() : Files.size(file);
        }

        /** Where the image is, for messages: its file, or its Parquet file and row. */
        public String where() {
            return row == null
                    ? file.toString()
                    : row.images().file() + ": row " + row.row() + " (" + file.getFileName() + ")";
        }
    }

    /**
     * Where a Parquet row's image is: row {@code index} of row group {@code rowGroup} ({@code row}
     * of the whole file), {@code length} bytes.
     */
    public record ParquetRow(ParquetImages images, int rowGroup, int index, long row, int length) {}

    /** Larger than any encoded spectrogram we make: refused unread. */
    static final long MAX_FILE_BYTES = SpectrogramImageIO.MAX_FILE_BYTES;

    /** Where the Parquet files of a dataset folder are, as in a HuggingFace dataset repository. */
    public static final String PARQUET_DIR = "data";

    /** The caption column and the image's file name (HuggingFace's Image feature) of a table. */
    static final String TEXT = "text";

    static final String PATH = "image.path";

    /** Larger than any spectrogram we make (a 15 s segment is 1501 × 512): refused unread. */
    static final long MAX_PIXELS = 1L << 24;

    private final Path dir;
    private final List<Item> items;

    private SpectrogramImageFolder(Path dir, List<Item> items) {
        this.dir = dir;
        this.items = items;
    }

    /**
     * Opens {@code dir}: an imagefolder (every row of its {@code metadata.csv} must name an image
     * inside the folder that exists and whose header gives a size), else the Parquet files of its
     * {@code data/} folder, or {@code dir} itself when it is a {@code .parquet} file (every row
     * must hold image bytes whose header gives a size, and a caption).
     *
     * @throws IOException naming the file and the problem: no metadata.csv nor Parquet files, an
     *     empty table, a file name that leaves the folder, a missing or unreadable image, an image
     *     over 16 Mpx, a corrupt Parquet file or one without the {@code image} and {@code text}
     *     columns
     */
    public static SpectrogramImageFolder open(Path dir) throws IOException {
        if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".parquet")) {
            Path root = dir.toAbsolutePath().normalize();
            return openParquet(root.getParent(), List.of(root));
        }
        Path csv = dir.resolve(MetadataCsv.FILE_NAME);
        if (!Files.isRegularFile(csv)) {
            List<Path> parquet = parquetFiles(dir);
            if (!parquet.isEmpty()) {
                return openParquet(dir.toAbsolutePath().normalize(), parquet);
            }
            throw new IOException(
                    dir
                            + ": no "
                            + MetadataCsv.FILE_NAME
                            + " nor "
                            + PARQUET_DIR
                            + "/*.parquet (a training set is build-dataset's output: *.png +"
                            + " metadata.csv, or data/train-*.parquet with --format parquet)");
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

    /**
     * The Parquet files of a dataset folder: {@code data/train-*.parquet} (HuggingFace's name for
     * the train split), else every {@code data/*.parquet}; sorted by name. Empty if none.
     */
    static List<Path> parquetFiles(Path dir) throws IOException {
        Path data = dir.resolve(PARQUET_DIR);
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        List<Path> all;
        try (Stream<Path> s = Files.list(data)) {
            all =
                    s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .filter(Files::isRegularFile)
                            .sorted()
                            .toList();
        }
        List<Path> train =
                all.stream().filter(p -> p.getFileName().toString().startsWith("train-")).toList();
        return train.isEmpty() ? all : train;
    }

    /**
     * Opens the rows of {@code files}, a row group at a time (only the {@code image} and {@code
     * text} columns are read), checking each image's header as {@link #headerSize(Path)} does.
     */
    static SpectrogramImageFolder openParquet(Path root, List<Path> files) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path file : files) {
            ParquetImages images = new ParquetImages(file);
            try (ParquetFile f = ParquetFile.open(file)) {
                List<String> columns = f.columns();
                for (String c : List.of(ParquetImages.BYTES, TEXT)) {
                    if (!columns.contains(c)) {
                        throw new IOException(
                                file
                                        + ": no column "
                                        + c
                                        + " (has "
                                        + columns
                                        + "; a training table has image {bytes, path} and text,"
                                        + " as HuggingFace datasets writes an image folder)");
                    }
                }
                boolean named = columns.contains(PATH);
                long row = 0;
                for (int g = 0; g < f.rowGroupCount(); g++) {
                    byte[][] png = f.readBinary(g, ParquetImages.BYTES);
                    byte[][] text = f.readBinary(g, TEXT);
                    byte[][] path = named ? f.readBinary(g, PATH) : null;
                    for (int i = 0; i < png.length; i++, row++) {
                        if (png[i] == null) {
                            throw new IOException(
                                    file + ": row " + row + " has no image bytes (image.bytes)");
                        }
                        if (text[i] == null) {
                            throw new IOException(file + ": row " + row + " has no text");
                        }
                        String name = fileName(path == null ? null : path[i], items.size());
                        Item item =
                                new Item(
                                        root.resolve(name),
                                        new String(text[i], StandardCharsets.UTF_8),
                                        0,
                                        0,
                                        new ParquetRow(images, g, i, row, png[i].length));
                        int[] size = headerSize(png[i], item.where());
                        items.add(
                                new Item(
                                        item.file(), item.caption(), size[0], size[1], item.row()));
                    }
                }
            }
        }
        if (items.isEmpty()) {
            throw new IOException(files.get(0) + ": holds no rows");
        }
        return new SpectrogramImageFolder(root, Collections.unmodifiableList(items));
    }

    /**
     * A row's file name: the last segment of its {@code image.path} (a path of the machine that
     * wrote it), or {@code row-<n>.png} ({@code n} counting the rows of all files) when there is
     * none or it is unusable as a file name.
     */
    static String fileName(byte[] path, long n) {
        String fallback = String.format("row-%08d.png", n);
        if (path == null) {
            return fallback;
        }
        String p = new String(path, StandardCharsets.UTF_8);
        String name = p.substring(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
        if (name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.length() > 255
                || name.chars()
                        .anyMatch(c -> c < 0x20 || c == 0x7f || ":*?\"<>|".indexOf(c) >= 0)) {
            return fallback;
        }
        return name;
    }

    /** Width and height from the image header, without decoding the pixels. */
    static int[] headerSize(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return headerSize(in, file.toString());
        }
    }

    /** Width and height from the header of an encoded image in memory. */
    static int[] headerSize(byte[] bytes, String where) throws IOException {
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return headerSize(in, where);
        }
    }

    private static int[] headerSize(ImageInputStream in, String file) throws IOException {
        try {
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
            if (e.getMessage() != null && e.getMessage().startsWith(file)) {
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
     * The item's pixels: its file read as any image file is, or its Parquet row's bytes decoded.
     */
    public static RgbImage image(Item item) throws IOException {
        return item.row() == null
                ? RgbImages.read(item.file())
                : RgbImages.decode(item.bytes(), item.where(), MAX_PIXELS);
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
        RgbImage img = image(item);
        if (img.width() != item.width() || img.height() != item.height()) {
            throw new IOException(item.where() + ": changed since the dataset was opened");
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
