package image2music.data.synth;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Paints a procedural landscape: a sky gradient with a sun or moon glow, rolling ground, objects
 * (hills, trees, blocks, discs), value-noise texture, contrast and a vignette of light. Colour,
 * brightness, saturation, contrast and texture come from a {@link MoodProfile}.
 *
 * <p>Computed pixel by pixel in plain arithmetic (no Java2D anti-aliasing, whose output may differ
 * between pipelines), so a seed gives the same pixels.
 */
final class ScenePainter {

    /**
     * What was drawn for one picture, recorded per file.
     *
     * @param hue sky hue in degrees
     * @param saturation 0..1
     * @param brightness 0..1
     * @param contrast spread around the mean value
     * @param texture noise amplitude
     * @param shapes number of objects
     */
    record Spec(
            double hue,
            double saturation,
            double brightness,
            double contrast,
            double texture,
            int shapes) {

        /** {@code key=value} pairs, the form the manifest's {@code title} holds. */
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "hue=%.0f saturation=%.2f brightness=%.2f contrast=%.2f texture=%.3f"
                            + " shapes=%d",
                    hue,
                    saturation,
                    brightness,
                    contrast,
                    texture,
                    shapes);
        }
    }

    private ScenePainter() {}

    /** Draws a picture's parameters from {@code p}. */
    static Spec draw(MoodProfile p, SplittableRandom r) {
        return new Spec(
                Math.floorMod(Math.round(p.hue().draw(r)), 360),
                p.saturation().draw(r),
                p.brightness().draw(r),
                p.contrast().draw(r),
                p.texture().draw(r),
                (int) Math.round(p.shapes().draw(r)));
    }

    /** A {@code size}×{@code size} RGB picture of {@code s}. */
    static BufferedImage paint(Spec s, int size, SplittableRandom r) {
        int n = size * size;
        float[] red = new float[n];
        float[] green = new float[n];
        float[] blue = new float[n];
        double horizon = 0.45 + 0.3 * r.nextDouble();
        double sunX = r.nextDouble();
        double sunY = horizon * (0.2 + 0.6 * r.nextDouble());
        double sunR = 0.05 + 0.1 * r.nextDouble();
        double glow = s.brightness() * (0.3 + 0.7 * r.nextDouble());
        double groundHue = s.hue() + 90 + 90 * r.nextDouble();
        double[] hillAmp = {0.03 + 0.05 * r.nextDouble(), 0.01 + 0.03 * r.nextDouble()};
        double[] hillFreq = {1 + 2 * r.nextDouble(), 4 + 6 * r.nextDouble()};
        double[] hillPhase = {2 * Math.PI * r.nextDouble(), 2 * Math.PI * r.nextDouble()};
        float[] rgb = new float[3];
        for (int y = 0; y < size; y++) {
            double v = (y + 0.5) / size;
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5) / size;
                double ground =
                        horizon
                                + hillAmp[0]
                                        * StrictMath.sin(
                                                hillFreq[0] * 2 * Math.PI * u + hillPhase[0])
                                + hillAmp[1]
                                        * StrictMath.sin(
                                                hillFreq[1] * 2 * Math.PI * u + hillPhase[1]);
                if (v < ground) {
                    double t = v / ground;
                    hsv(
                            s.hue() + 25 * t,
                            s.saturation() * (0.9 - 0.4 * t),
                            s.brightness() * (0.8 + 0.3 * t),
                            rgb);
                    double d2 = ((u - sunX) * (u - sunX) + (v - sunY) * (v - sunY)) / (sunR * sunR);
                    double g = glow * StrictMath.exp(-d2);
                    rgb[0] += (float) g;
                    rgb[1] += (float) (g * 0.9);
                    rgb[2] += (float) (g * 0.7);
                } else {
                    double depth = (v - ground) / (1 - ground + 1e-9);
                    hsv(
                            groundHue,
                            s.saturation() * 0.8,
                            s.brightness() * (0.75 - 0.35 * depth),
                            rgb);
                }
                int i = y * size + x;
                red[i] = rgb[0];
                green[i] = rgb[1];
                blue[i] = rgb[2];
            }
        }
        for (int k = 0; k < s.shapes(); k++) {
            shape(s, size, horizon, r, red, green, blue);
        }
        float[] noise = valueNoise(size, r);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double tex = s.texture() * noise[i];
            red[i] += tex;
            green[i] += tex;
            blue[i] += tex;
            mean += (red[i] + green[i] + blue[i]) / 3;
        }
        mean /= n;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                double du = (x + 0.5) / size - 0.5;
                double dv = (y + 0.5) / size - 0.5;
                double light = 1 - 0.5 * (du * du + dv * dv); // vignette
                int cr = channel(mean + (red[i] - mean) * s.contrast(), light);
                int cg = channel(mean + (green[i] - mean) * s.contrast(), light);
                int cb = channel(mean + (blue[i] - mean) * s.contrast(), light);
                img.setRGB(x, y, (cr << 16) | (cg << 8) | cb);
            }
        }
        return img;
    }

    /** One object standing on the horizon: a hill (triangle), a block or a disc. */
    private static void shape(
            Spec s,
            int size,
            double horizon,
            SplittableRandom r,
            float[] red,
            float[] green,
            float[] blue) {
        int kind = r.nextInt(3);
        double cx = r.nextDouble();
        double base = horizon + 0.2 * r.nextDouble();
        double w = 0.04 + 0.16 * r.nextDouble();
        double h = 0.05 + 0.25 * r.nextDouble();
        float[] c = new float[3];
        hsv(
                s.hue() + 180 * r.nextDouble() - 90,
                Math.min(1, s.saturation() * (0.6 + 0.8 * r.nextDouble())),
                s.brightness() * (0.35 + 0.7 * r.nextDouble()),
                c);
        int x0 = Math.max(0, (int) ((cx - w) * size));
        int x1 = Math.min(size - 1, (int) ((cx + w) * size));
        int y0 = Math.max(0, (int) ((base - h) * size));
        int y1 = Math.min(size - 1, (int) (base * size));
        for (int y = y0; y <= y1; y++) {
            double v = (y + 0.5) / size;
            for (int x = x0; x <= x1; x++) {
                double u = (x + 0.5) / size;
                boolean inside =
                        switch (kind) {
                            case 0 -> Math.abs(u - cx) <= w * (v - (base - h)) / h; // triangle
                            case 1 -> Math.abs(u - cx) <= w * 0.6; // block
                            default -> {
                                double dx = (u - cx) / w;
                                double dy = (v - (base - h / 2)) / (h / 2);
                                yield dx * dx + dy * dy <= 1; // disc
                            }
                        };
                if (inside) {
                    int i = y * size + x;
                    red[i] = c[0];
                    green[i] = c[1];
                    blue[i] = c[2];
                }
            }
        }
    }

    /** Two octaves of bilinear value noise in [-1, 1]. */
    private static float[] valueNoise(int size, SplittableRandom r) {
        float[] out = new float[size * size];
        for (int cells : new int[] {8, 32}) {
            float weight = cells == 8 ? 0.6f : 0.4f;
            float[] grid = new float[(cells + 1) * (cells + 1)];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = (float) (2 * r.nextDouble() - 1);
            }
            for (int y = 0; y < size; y++) {
                double gy = (double) y * cells / size;
                int iy = (int) gy;
                double fy = gy - iy;
                for (int x = 0; x < size; x++) {
                    double gx = (double) x * cells / size;
                    int ix = (int) gx;
                    double fx = gx - ix;
                    int a = iy * (cells + 1) + ix;
                    double top = grid[a] * (1 - fx) + grid[a + 1] * fx;
                    double bottom = grid[a + cells + 1] * (1 - fx) + grid[a + cells + 2] * fx;
                    out[y * size + x] += (float) (weight * (top * (1 - fy) + bottom * fy));
                }
            }
        }
        return out;
    }

    private static void hsv(double hueDegrees, double sat, double value, float[] rgb) {
        float h = (float) (Math.floorMod(Math.round(hueDegrees * 16), 360 * 16) / (360.0 * 16));
        int c =
                Color.HSBtoRGB(
                        h,
                        (float) Math.max(0, Math.min(1, sat)),
                        (float) Math.max(0, Math.min(1, value)));
        rgb[0] = ((c >> 16) & 0xff) / 255f;
        rgb[1] = ((c >> 8) & 0xff) / 255f;
        rgb[2] = (c & 0xff) / 255f;
    }

    private static int channel(double v, double light) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v * light)));
    }
}
