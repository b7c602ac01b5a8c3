package image2music.audio.spectrogram;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;

/**
 * Riffusion's spectrogram image rule. Pixel {@code = (int) (255 - 255 (S / max)^power)}, computed
 * in float32 as numpy does, rows flipped so that low frequencies are at the bottom; mono images are
 * grey (R = G = B), stereo images carry (0, left, right) in (R, G, B).
 */
public final class SpectrogramImage {

    /** Riffusion's fixed amplitude scale when an image carries no MAX_VALUE. */
    public static final double DEFAULT_MAX_VALUE = 30e6;

    private SpectrogramImage() {}

    /** The 8-bit RGB image of {@code s}, normalised by its own maximum. */
    public static BufferedImage fromSpectrogram(Spectrogram s) {
        return fromSpectrogram(s, s.max());
    }

    /**
     * The 8-bit RGB image of {@code s} on a fixed scale: {@code maxValue} is white-to-black's top
     * (values above it clip to black). What an image decoded with {@link #toSpectrogram} at {@code
     * maxValue} (a generated clip) is re-encoded with, so its pixels keep their meaning.
     */
    public static BufferedImage fromSpectrogram(Spectrogram s, double maxValue) {
        float max = (float) maxValue;
        int width = s.frames();
        int height = s.params().numFrequencies();
        float power = (float) s.params().powerForImage();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        float[][][] data = s.data();
        boolean stereo = s.channels() == 2;
        for (int bin = 0; bin < height; bin++) {
            int row = (height - 1 - bin) * width;
            float[] a = data[0][bin];
            float[] b = stereo ? data[1][bin] : null;
            for (int t = 0; t < width; t++) {
                int pa = pixel(a[t], max, power);
                rgb[row + t] =
                        stereo ? (pa << 8) | pixel(b[t], max, power) : (pa << 16) | (pa << 8) | pa;
            }
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    /** numpy: {@code (255 - (S / max) ** power * 255).astype(uint8)} in float32. */
    static int pixel(float value, float max, float power) {
        if (!(max > 0)) {
            return 255;
        }
        float normalised = value / max;
        // Two square roots in double round to the same float as powf(x, 0.25), ~10x faster.
        float powered =
                power == 0.25f
                        ? (float) Math.sqrt(Math.sqrt(normalised))
                        : (float) Math.pow(normalised, power);
        float v = 255f - powered * 255f;
        return Math.max(0, Math.min(255, (int) v));
    }

    /**
     * The spectrogram an image encodes: {@code S = max ((255 - p) / 255)^(1 / power)}. Mono reads
     * the average of R, G and B (Riffusion reads R only; generated images are not exactly grey),
     * stereo reads G as left and B as right.
     *
     * @throws IllegalArgumentException if the image height differs from {@code p.numFrequencies()}
     */
    public static Spectrogram toSpectrogram(
            BufferedImage img, SpectrogramParams p, double maxValue) {
        int width = img.getWidth();
        int height = img.getHeight();
        if (height != p.numFrequencies()) {
            throw new IllegalArgumentException(
                    "image is "
                            + height
                            + " px tall, the spectrogram params need "
                            + p.numFrequencies()
                            + " mel bins");
        }
        int[] rgb = packedRgb(img);
        float[] lut = new float[256 * 3 + 1];
        double inversePower = 1 / p.powerForImage();
        // Index = 3 * (255 - mean pixel), so one table serves averaged and single channels.
        for (int i = 0; i < lut.length; i++) {
            lut[i] = (float) (maxValue * Math.pow(i / (3 * 255.0), inversePower));
        }
        int channels = p.channels();
        float[][][] data = new float[channels][height][width];
        for (int bin = 0; bin < height; bin++) {
            int row = (height - 1 - bin) * width;
            for (int t = 0; t < width; t++) {
                int c = rgb[row + t];
                int r = (c >> 16) & 0xFF;
                int g = (c >> 8) & 0xFF;
                int b = c & 0xFF;
                if (channels == 2) {
                    data[0][bin][t] = lut[3 * (255 - g)];
                    data[1][bin][t] = lut[3 * (255 - b)];
                } else {
                    data[0][bin][t] = lut[765 - r - g - b];
                }
            }
        }
        return new Spectrogram(data, p);
    }

    /**
     * The pixels as packed 0xRRGGBB. A grey image's samples are the data themselves: {@code getRGB}
     * would treat them as linear light and gamma-encode them (a mid grey 128 reads as 186), so grey
     * is read raw, as PIL (and so Riffusion) reads it; 16-bit grey keeps its top byte.
     */
    static int[] packedRgb(BufferedImage img) {
        int width = img.getWidth();
        int height = img.getHeight();
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel || cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return img.getRGB(0, 0, width, height, null, 0, width);
        }
        int shift = cm.getComponentSize(0) - 8;
        int[] grey = img.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
        for (int i = 0; i < grey.length; i++) {
            int v = shift >= 0 ? grey[i] >> shift : grey[i] << -shift;
            grey[i] = (v << 16) | (v << 8) | v;
        }
        return grey;
    }
}
