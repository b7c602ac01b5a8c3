package image2music.app.plot;

import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramParams;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * A labelled picture of a mel spectrogram: amplitudes in dB below the peak through a colour map,
 * the frequency axis in Hz at mel-spaced positions, time in seconds, a title and a colour bar.
 * Plain Java2D, so it runs headless.
 */
public final class SpectrogramPlot {

    /** Range shown below the peak. */
    public static final double DYNAMIC_RANGE_DB = 80;

    private static final int LEFT = 80;
    private static final int RIGHT = 110;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int MAX_PLOT_WIDTH = 1600;
    private static final double[] HZ_TICKS = {
        0, 50, 100, 200, 500, 1000, 2000, 3000, 5000, 7000, 10000, 15000, 20000
    };

    private SpectrogramPlot() {}

    /** Renders channel 0 of {@code s} (or both, stacked, for stereo) under {@code title}. */
    public static BufferedImage render(Spectrogram s, String title, ColorMap map) {
        SpectrogramParams p = s.params();
        int frames = s.frames();
        int bins = p.numFrequencies();
        int plotW = Math.max(200, Math.min(MAX_PLOT_WIDTH, frames));
        int panelH = s.channels() == 1 ? bins : bins / 2 + 128;
        int plotH = panelH * s.channels() + (s.channels() - 1) * 20;
        int width = LEFT + plotW + RIGHT;
        int height = TOP + plotH + BOTTOM;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            double max = Math.max(s.max(), 1e-30);
            for (int c = 0; c < s.channels(); c++) {
                int y0 = TOP + c * (panelH + 20);
                heatmap(img, s.data()[c], max, map, LEFT, y0, plotW, panelH);
                frequencyAxis(g, p, y0, panelH);
                g.setColor(Color.BLACK);
                g.drawRect(LEFT, y0, plotW, panelH);
                if (s.channels() == 2) {
                    g.drawString(c == 0 ? "left" : "right", LEFT + 6, y0 + 16);
                }
            }
            timeAxis(g, p, frames, plotW, TOP + plotH);
            colourBar(g, map, LEFT + plotW + 30, TOP, plotH);
            g.setFont(g.getFont().deriveFont(Font.BOLD, 16f));
            g.setColor(Color.BLACK);
            g.drawString(title, LEFT, TOP - 18);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Mel row for a frequency (fractional; row 0 = lowest mel bin centre). */
    static double melRow(double hz, SpectrogramParams p) {
        double mMin = mel(p.minFrequency());
        double mMax = mel(p.maxFrequency());
        double step = (mMax - mMin) / (p.numFrequencies() + 1);
        return (mel(hz) - mMin) / step - 1;
    }

    private static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    private static void heatmap(
            BufferedImage img,
            float[][] data,
            double max,
            ColorMap map,
            int x0,
            int y0,
            int w,
            int h) {
        int bins = data.length;
        int frames = data[0].length;
        for (int py = 0; py < h; py++) {
            int bin = Math.min(bins - 1, (int) ((h - 1 - py) * (long) bins / h));
            float[] row = data[bin];
            for (int px = 0; px < w; px++) {
                int t = Math.min(frames - 1, (int) (px * (long) frames / w));
                double db = 20 * Math.log10(Math.max(row[t] / max, 1e-12));
                img.setRGB(x0 + px, y0 + py, map.rgb(1 + db / DYNAMIC_RANGE_DB));
            }
        }
    }

    private static void frequencyAxis(Graphics2D g, SpectrogramParams p, int y0, int h) {
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
        FontMetrics fm = g.getFontMetrics();
        int bins = p.numFrequencies();
        int lastY = Integer.MAX_VALUE;
        for (double hz : HZ_TICKS) {
            if (hz < p.minFrequency() || hz > p.maxFrequency()) {
                continue;
            }
            double row = Math.max(0, melRow(hz, p));
            int y = y0 + h - 1 - (int) Math.round(row * h / bins);
            if (lastY - y < fm.getHeight()) {
                continue;
            }
            lastY = y;
            g.drawLine(LEFT - 5, y, LEFT, y);
            String label = hz >= 1000 ? label(hz / 1000) + "k" : label(hz);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        AffineTransform old = g.getTransform();
        g.rotate(-Math.PI / 2);
        String axis = "frequency (Hz, mel scale)";
        g.drawString(axis, -(y0 + h / 2 + fm.stringWidth(axis) / 2), 18);
        g.setTransform(old);
    }

    private static void timeAxis(Graphics2D g, SpectrogramParams p, int frames, int w, int y) {
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        double seconds = (frames - 1) * p.stepSizeMs() / 1000.0;
        double step = niceStep(seconds / 8);
        for (double s = 0; s <= seconds + 1e-9; s += step) {
            int x = LEFT + (int) Math.round(s / Math.max(seconds, 1e-9) * (w - 1));
            g.drawLine(x, y, x, y + 5);
            String label = label(Math.round(s * 1000) / 1000.0);
            g.drawString(label, x - fm.stringWidth(label) / 2, y + 8 + fm.getAscent());
        }
        String axis = "time (s)";
        g.drawString(axis, LEFT + w / 2 - fm.stringWidth(axis) / 2, y + 40);
    }

    private static void colourBar(Graphics2D g, ColorMap map, int x, int y0, int h) {
        int barW = 18;
        for (int py = 0; py < h; py++) {
            g.setColor(new Color(map.rgb(1 - py / (double) (h - 1))));
            g.drawLine(x, y0 + py, x + barW, y0 + py);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y0, barW, h);
        FontMetrics fm = g.getFontMetrics();
        for (int db = 0; db >= -DYNAMIC_RANGE_DB; db -= 20) {
            int y = y0 + (int) Math.round(-db / DYNAMIC_RANGE_DB * (h - 1));
            g.drawLine(x + barW, y, x + barW + 4, y);
            g.drawString(db + " dB", x + barW + 7, y + fm.getAscent() / 2 - 1);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** A tick label without trailing zeros. */
    private static String label(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
