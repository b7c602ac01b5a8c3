package image2music.models.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import image2music.audio.spectrogram.MelScale;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.nn.Tensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Which cells of a spectrogram image (or of its latent grid) are regenerated in inpainting and
 * outpainting; the rest is kept from a known image. Row 0 is the top of the image (the highest
 * frequency, as in the Riffusion format), column 0 the first frame. Immutable.
 */
public final class InpaintMask {

    /** A pixel at or above this luminance (0..255) is white: regenerate. */
    static final int WHITE_THRESHOLD = 128;

    private final boolean[][] regenerate;

    private InpaintMask(boolean[][] regenerate) {
        this.regenerate = regenerate;
    }

    /**
     * The mask in {@code file} (white = regenerate, black = keep; a transparent pixel keeps), which
     * must be {@code width} × {@code height}, the size of the image it masks.
     *
     * @throws IOException if the file cannot be read or decoded
     * @throws IllegalArgumentException naming the file, expected and found size when they differ
     */
    public static InpaintMask read(Path file, int width, int height) throws IOException {
        // The size comes from the header, so a wrong-sized (or huge) file is refused undecoded.
        try (InputStream raw = Files.newInputStream(file);
                ImageInputStream in = ImageIO.createImageInputStream(raw)) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": not a PNG, JPEG or other readable image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w != width || h != height) {
                    throw new IllegalArgumentException(
                            file
                                    + ": mask is "
                                    + w
                                    + "x"
                                    + h
                                    + " px, the image is "
                                    + width
                                    + "x"
                                    + height
                                    + " px");
                }
                return of(reader.read(0));
            } catch (IOException e) {
                throw new IOException(file + ": cannot decode the mask: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The mask drawn in {@code img}: a pixel regenerates if opaque and light. */
    public static InpaintMask of(BufferedImage img) {
        boolean[][] r = new boolean[img.getHeight()][img.getWidth()];
        for (int y = 0; y < r.length; y++) {
            for (int x = 0; x < r[y].length; x++) {
                int argb = img.getRGB(x, y);
                int alpha = argb >>> 24;
                int luma = (((argb >> 16) & 0xff) + ((argb >> 8) & 0xff) + (argb & 0xff)) / 3;
                r[y][x] = alpha >= WHITE_THRESHOLD && luma >= WHITE_THRESHOLD;
            }
        }
        return new InpaintMask(r);
    }

    /** Regenerate nothing (img2img of the whole image uses no mask; this keeps everything). */
    public static InpaintMask keepAll(int width, int height) {
        return new InpaintMask(new boolean[checkHeight(height)][checkWidth(width)]);
    }

    /**
     * Regenerate columns {@code [fromCol, toCol)}, clipped to the image; outpainting a clip whose
     * first {@code k} columns continue the previous clip is {@code columns(w, h, k, w)}.
     */
    public static InpaintMask columns(int width, int height, int fromCol, int toCol) {
        boolean[][] r = new boolean[checkHeight(height)][checkWidth(width)];
        int from = Math.max(0, fromCol);
        int to = Math.min(width, toCol);
        for (boolean[] row : r) {
            for (int x = from; x < to; x++) {
                row[x] = true;
            }
        }
        return new InpaintMask(r);
    }

    /**
     * Regenerate the time span {@code [fromSeconds, toSeconds)}: the columns whose frame centre
     * ({@code column · hop / rate} s, frames being centred) falls in it.
     */
    public static InpaintMask timeSpan(
            int width, int height, double fromSeconds, double toSeconds, SpectrogramParams params) {
        if (!(fromSeconds >= 0) || !(toSeconds > fromSeconds) || Double.isInfinite(toSeconds)) {
            throw new IllegalArgumentException(
                    "time span must satisfy 0 <= from < to, got "
                            + fromSeconds
                            + ".."
                            + toSeconds
                            + " s");
        }
        double framesPerSecond = (double) params.sampleRate() / params.hopLength();
        return columns(
                width,
                height,
                firstColumnAtOrAfter(fromSeconds * framesPerSecond),
                firstColumnAtOrAfter(toSeconds * framesPerSecond));
    }

    /**
     * Regenerate the band {@code [lowHz, highHz]}: every mel row whose triangular filter reaches
     * into it. A row with any of the band's energy regenerates (rather than only rows whose centre
     * lies in the band) so no part of the band is left as it was. The image must have one row per
     * mel bin; low frequencies are at the bottom.
     */
    public static InpaintMask frequencyBand(
            int width, int height, double lowHz, double highHz, SpectrogramParams params) {
        if (height != params.numFrequencies()) {
            throw new IllegalArgumentException(
                    "image height "
                            + height
                            + " px differs from the spectrogram's "
                            + params.numFrequencies()
                            + " mel bins");
        }
        if (!(lowHz >= 0) || !(highHz > lowHz) || Double.isInfinite(highHz)) {
            throw new IllegalArgumentException(
                    "frequency band must satisfy 0 <= low < high, got "
                            + lowHz
                            + ".."
                            + highHz
                            + " Hz");
        }
        int mels = params.numFrequencies();
        double melMin = MelScale.hzToMel(params.minFrequency());
        double melMax = MelScale.hzToMel(params.maxFrequency());
        boolean[][] r = new boolean[height][checkWidth(width)];
        for (int bin = 0; bin < mels; bin++) {
            // Filter `bin` rises from point bin to bin + 1 and falls to bin + 2 (HTK, as the
            // audio module's filterbank).
            double lo = MelScale.melToHz(melMin + (melMax - melMin) * bin / (mels + 1));
            double hi = MelScale.melToHz(melMin + (melMax - melMin) * (bin + 2) / (mels + 1));
            if (lo < highHz && hi > lowHz) {
                java.util.Arrays.fill(r[height - 1 - bin], true);
            }
        }
        return new InpaintMask(r);
    }

    public int width() {
        return regenerate[0].length;
    }

    public int height() {
        return regenerate.length;
    }

    /** True if the cell at {@code row} (0 = top), {@code column} is regenerated. */
    public boolean regenerates(int row, int column) {
        return regenerate[row][column];
    }

    /** Number of regenerated cells. */
    public int count() {
        int n = 0;
        for (boolean[] row : regenerate) {
            for (boolean b : row) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }

    /** Regenerate where either mask does (a time span and a band together). */
    public InpaintMask or(InpaintMask other) {
        if (other.width() != width() || other.height() != height()) {
            throw new IllegalArgumentException(
                    "masks differ in size: "
                            + width()
                            + "x"
                            + height()
                            + " and "
                            + other.width()
                            + "x"
                            + other.height());
        }
        boolean[][] r = new boolean[height()][width()];
        for (int y = 0; y < r.length; y++) {
            for (int x = 0; x < r[y].length; x++) {
                r[y][x] = regenerate[y][x] || other.regenerate[y][x];
            }
        }
        return new InpaintMask(r);
    }

    /** Keep what this regenerates and regenerate what it keeps. */
    public InpaintMask inverted() {
        boolean[][] r = new boolean[height()][width()];
        for (int y = 0; y < r.length; y++) {
            for (int x = 0; x < r[y].length; x++) {
                r[y][x] = !regenerate[y][x];
            }
        }
        return new InpaintMask(r);
    }

    /**
     * The mask on the latent grid of a VAE that downsamples by {@code factor} (8 for SD): a cell
     * regenerates if any of its {@code factor × factor} pixels does. Why any: a latent cell decodes
     * to its whole pixel block (and beyond), so keeping a cell fixed would keep the pixels the user
     * asked to regenerate; regenerating a little more is the safe side, and the pipeline can paste
     * the known pixels back outside the pixel mask after decoding.
     */
    public InpaintMask toLatentGrid(int factor) {
        if (factor < 1 || width() % factor != 0 || height() % factor != 0) {
            throw new IllegalArgumentException(
                    "a "
                            + width()
                            + "x"
                            + height()
                            + " mask does not divide into "
                            + factor
                            + "x"
                            + factor
                            + " latent cells");
        }
        boolean[][] r = new boolean[height() / factor][width() / factor];
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < width(); x++) {
                if (regenerate[y][x]) {
                    r[y / factor][x / factor] = true;
                }
            }
        }
        return new InpaintMask(r);
    }

    /**
     * The final image: {@code generated} where this (pixel-sized) mask regenerates, {@code known}
     * everywhere else, so kept pixels come out bit for bit as they went in (the VAE's decode would
     * otherwise alter them slightly, and a latent mask regenerates whole 8×8 blocks).
     */
    public BufferedImage composite(BufferedImage generated, BufferedImage known) {
        for (BufferedImage img : new BufferedImage[] {generated, known}) {
            if (img.getWidth() != width() || img.getHeight() != height()) {
                throw new IllegalArgumentException(
                        "image is "
                                + img.getWidth()
                                + "x"
                                + img.getHeight()
                                + " px, the mask "
                                + width()
                                + "x"
                                + height()
                                + " px");
            }
        }
        BufferedImage out = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < width(); x++) {
                BufferedImage from = regenerate[y][x] ? generated : known;
                out.setRGB(x, y, from.getRGB(x, y));
            }
        }
        return out;
    }

    /** The mask as a float32 array of shape (1, 1, height, width): 1 = regenerate, 0 = keep. */
    public NDArray toNDArray(NDManager manager) {
        float[] v = new float[height() * width()];
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < width(); x++) {
                v[y * width() + x] = regenerate[y][x] ? 1f : 0f;
            }
        }
        return Tensors.of(manager, v, new Shape(1, 1, height(), width()));
    }

    /**
     * One denoising step's blend: {@code mask · latents + (1 − mask) · noisedKnown}, where {@code
     * noisedKnown} is the known image's latents noised to the step's timestep (the pipeline makes
     * them). Kept cells come out exactly equal to {@code noisedKnown}. {@code mask} is (1, 1, h, w)
     * or any shape broadcasting to the latents' (batch, channels, h, w); the result is in {@code
     * latents}' manager.
     */
    public static NDArray blend(NDArray latents, NDArray noisedKnown, NDArray mask) {
        Shape s = latents.getShape();
        Shape m = mask.getShape();
        if (!s.equals(noisedKnown.getShape())
                || m.dimension() != s.dimension()
                || m.get(m.dimension() - 1) != s.get(s.dimension() - 1)
                || m.get(m.dimension() - 2) != s.get(s.dimension() - 2)) {
            throw new IllegalArgumentException(
                    "blend needs latents and known latents of one shape and a mask of their size,"
                            + " got "
                            + s
                            + ", "
                            + noisedKnown.getShape()
                            + " and "
                            + m);
        }
        NDManager outer = latents.getManager();
        try (NDManager scope = outer.newSubManager()) {
            // In the latents' type (F16 on a GPU), so no product promotes to F32.
            // A copy of its own: toType with copy = true returns the mask's own storage when
            // the type already matches, and the scope would then free the caller's mask (used
            // again at the next step) — native memory in use after free.
            NDArray weight =
                    mask.getDataType() == latents.getDataType()
                            ? mask.duplicate()
                            : mask.toType(latents.getDataType(), false);
            weight.attach(scope);
            // Results of operations on `weight` land in its manager, the scope.
            NDArray keep = weight.neg().add(1f);
            NDArray regenerated = weight.mul(latents);
            NDArray kept = keep.mul(noisedKnown);
            NDArray out = regenerated.add(kept);
            out.attach(outer);
            return out;
        }
    }

    private static int firstColumnAtOrAfter(double frame) {
        // A frame position within rounding of an integer is that integer (1.0 s * 100 fps).
        double nearest = Math.rint(frame);
        return (int) (Math.abs(frame - nearest) < 1e-9 ? nearest : Math.ceil(frame));
    }

    private static int checkWidth(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("mask width must be positive, got " + width);
        }
        return width;
    }

    private static int checkHeight(int height) {
        if (height < 1) {
            throw new IllegalArgumentException("mask height must be positive, got " + height);
        }
        return height;
    }
}
