package image2music.data.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Scaling of RGB images. */
final class Resize {

    private Resize() {}

    /**
     * Scales {@code image} so its longer side is at most {@code maxSide}, keeping the aspect ratio;
     * returns it unchanged when it already fits.
     */
    static BufferedImage toFit(BufferedImage image, int maxSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        int side = Math.max(w, h);
        if (side <= maxSide) {
            return image;
        }
        double s = (double) maxSide / side;
        int tw = Math.max(1, (int) Math.round(w * s));
        int th = Math.max(1, (int) Math.round(h * s));
        // Bilinear in halving steps, then one final step: one big bilinear step would skip most
        // source pixels and alias.
        BufferedImage cur = image;
        while (cur.getWidth() / 2 >= tw && cur.getHeight() / 2 >= th) {
            cur = to(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return cur.getWidth() == tw && cur.getHeight() == th ? cur : to(cur, tw, th);
    }

    /** Bilinear scaling to exactly {@code w} × {@code h}, as an RGB image. */
    static BufferedImage to(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
