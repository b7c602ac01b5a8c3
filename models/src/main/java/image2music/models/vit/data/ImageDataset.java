package image2music.models.vit.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import image2music.core.manifest.LabelFolders;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import image2music.models.nn.Tensors;
import image2music.models.train.Seeds;
import image2music.models.train.TaggingDataset;
import image2music.models.vit.RgbImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Labelled images as a DJL {@link RandomAccessDataset}: a media root with {@code manifest.jsonl}
 * (multi-label records), or without one, label folders {@code <root>/<label>/<image>}.
 *
 * <p>Labels are ordered by name over the whole root ({@link #labels()} is the model's {@code
 * id2label}), so the training and validation sides agree. An image is on the validation side when
 * its SHA-256 read as a fraction is below the validation share: the same file always lands on the
 * same side, whatever else the folder holds. Record {@code i} is the image's CHW pixels and its
 * multi-hot label vector, augmented with randomness seeded by (seed, epoch, i).
 */
public final class ImageDataset extends RandomAccessDataset implements TaggingDataset {

    /** Which side of the split a dataset holds. */
    public enum Split {
        TRAIN,
        VALIDATION,
        ALL
    }

    private static final Set<String> IMAGE_EXTENSIONS =
            Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif");

    private final List<ImageItem> items;
    private final List<String> labels;
    private final ImageTransforms transforms;
    private final long seed;
    private volatile long epoch;

    private ImageDataset(Builder b, List<ImageItem> items, List<String> labels) {
        super(b);
        this.items = List.copyOf(items);
        this.labels = List.copyOf(labels);
        this.transforms = b.transforms;
        this.seed = b.seed;
    }

    /** A builder; {@code root} and {@code transforms} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every labelled image under {@code root}: the manifest's records when {@code manifest.jsonl}
     * exists, else the images of its label folders (unreadable ones skipped silently; see {@link
     * #scan(Path, Consumer)}).
     */
    public static List<ImageItem> scan(Path root) throws IOException {
        return scan(root, note -> {});
    }

    /**
     * As {@link #scan(Path)}, reporting what it skips: each image of a raw label folder (not
     * checked by an importer) is decoded once, and one that cannot be read is left out with a line
     * "FILE: problem" to {@code skipped}, as the importer skips it, instead of stopping training
     * when its turn comes.
     */
    public static List<ImageItem> scan(Path root, Consumer<String> skipped) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder");
        }
        Manifest manifest = new Manifest(root);
        List<ImageItem> out = new ArrayList<>();
        if (Files.isRegularFile(manifest.file())) {
            for (MediaRecord r : manifest.readAll()) {
                Path file;
                try {
                    file = MediaLayout.resolveExisting(root, r.path());
                } catch (IllegalArgumentException e) {
                    throw new IOException(manifest.file() + ": " + e.getMessage(), e);
                }
                if (!isImage(file)) {
                    continue;
                }
                String sha = r.sha256() != null ? r.sha256() : MediaLayout.sha256Hex(file);
                out.add(new ImageItem(file, r.labels(), sha));
            }
            return out;
        }
        Map<String, List<Path>> folders = LabelFolders.read(root, Set.of(), note -> {});
        for (Map.Entry<String, List<Path>> e : folders.entrySet()) {
            for (Path f : e.getValue()) {
                if (!isImage(f)) {
                    continue;
                }
                try {
                    RgbImages.read(f);
                } catch (IOException | RuntimeException ex) {
                    String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                    skipped.accept(m.startsWith(f.toString()) ? m : f + ": " + m);
                    continue;
                }
                out.add(new ImageItem(f, List.of(e.getKey()), MediaLayout.sha256Hex(f)));
            }
        }
        return out;
    }

    /** Whether the image with this SHA-256 belongs to the validation share {@code fraction}. */
    public static boolean isValidation(String sha256, double fraction) {
        // 13 hex digits = 52 bits: exact in a double.
        long head = Long.parseLong(sha256.substring(0, 13), 16);
        return head / (double) (1L << 52) < fraction;
    }

    private static boolean isImage(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    /** The images of this side, in record order. */
    public List<ImageItem> items() {
        return items;
    }

    @Override
    public int imageCount() {
        return items.size();
    }

    /** The epoch that {@link #get} draws augmentation for (DJL's loaders know no epochs). */
    public void setEpoch(long epoch) {
        this.epoch = epoch;
    }

    @Override
    public Example example(int index, long forEpoch) throws IOException {
        ImageItem item = items.get(index);
        float[] pixels =
                transforms.apply(
                        RgbImages.read(item.file()),
                        new SplittableRandom(Seeds.mix(seed, forEpoch, index)));
        float[] target = new float[labels.size()];
        for (String l : item.labels()) {
            target[labels.indexOf(l)] = 1;
        }
        return new Example(pixels, target);
    }

    /** Pixels [3, H, W] and the multi-hot labels [n] of image {@code index}. */
    @Override
    public Record get(NDManager manager, long index) throws IOException {
        Example ex = example(Math.toIntExact(index), epoch);
        int side = (int) Math.round(Math.sqrt(ex.pixels().length / 3.0));
        return new Record(
                new NDList(Tensors.of(manager, ex.pixels(), new Shape(3, side, side))),
                new NDList(Tensors.of(manager, ex.target(), new Shape(ex.target().length))));
    }

    @Override
    protected long availableSize() {
        return items.size();
    }

    @Override
    public void prepare(Progress progress) {
        // Everything is read when the dataset is built.
    }

    /** SHA-256 over the sorted (hash, labels) lines of this side's images. */
    @Override
    public String fingerprint() {
        TreeSet<String> lines = new TreeSet<>();
        for (ImageItem i : items) {
            lines.add(i.sha256() + "\t" + String.join(",", i.labels()));
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String l : lines) {
                md.update((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds an {@link ImageDataset}; DJL's sampling defaults to batches of 1 in order. */
    public static final class Builder extends BaseBuilder<Builder> {
        private Path root;
        private List<ImageItem> scanned;
        private Split split = Split.ALL;
        private double validationFraction = 0.1;
        private ImageTransforms transforms;
        private long seed;

        @Override
        protected Builder self() {
            return this;
        }

        /** The media root (required). */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /**
         * The images of the root, already {@link #scan scanned} (so that the training and the
         * validation side read the folder once); the root then only names it in messages.
         */
        public Builder setItems(List<ImageItem> items) {
            this.scanned = List.copyOf(items);
            return this;
        }

        /** The augmentation and normalisation (required). */
        public Builder setTransforms(ImageTransforms transforms) {
            this.transforms = transforms;
            return this;
        }

        /** Which side of the split to hold (default all images). */
        public Builder optSplit(Split split) {
            this.split = split;
            return this;
        }

        /** The share of images held out for validation (default 0.1). */
        public Builder optValidationFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException(
                        "validation fraction must be in [0, 1), got " + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /** The run seed augmentation derives from (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Reads the root and builds the dataset.
         *
         * @throws IOException when the root holds no images, or a manifest or folder is unreadable
         */
        public ImageDataset build() throws IOException {
            if ((root == null && scanned == null) || transforms == null) {
                throw new IllegalStateException("ImageDataset needs a root and transforms");
            }
            if (sampler == null) {
                setSampling(1, false);
            }
            List<ImageItem> all = scanned != null ? scanned : scan(root);
            if (all.isEmpty()) {
                throw new IOException(
                        (root != null ? root : "the folder")
                                + ": no images (neither a "
                                + Manifest.FILE_NAME
                                + " nor label folders with images)");
            }
            TreeSet<String> names = new TreeSet<>();
            all.forEach(i -> names.addAll(i.labels()));
            List<ImageItem> side = new ArrayList<>();
            for (ImageItem i : all) {
                boolean validation = isValidation(i.sha256(), validationFraction);
                if (split == Split.ALL || validation == (split == Split.VALIDATION)) {
                    side.add(i);
                }
            }
            return new ImageDataset(this, side, new ArrayList<>(names));
        }
    }
}
