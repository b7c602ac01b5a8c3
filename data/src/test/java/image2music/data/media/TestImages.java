package image2music.data.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Generated test images: smooth seeded patterns, their encodings, and a PNG bomb. */
public final class TestImages {

    private TestImages() {}

    /** A smooth pattern of a few seeded colour waves; different seeds look unrelated. */
    public static BufferedImage pattern(long seed, int w, int h) {
        SplittableRandom r = new SplittableRandom(seed);
        int waves = 4;
        double[][] p = new double[waves][6];
        for (double[] wave : p) {
            for (int i = 0; i < wave.length; i++) {
                wave[i] = r.nextDouble();
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / w;
                double v = (double) y / h;
                int[] c = new int[3];
                for (int k = 0; k < 3; k++) {
                    double s = 0;
                    for (double[] wave : p) {
                        s +=
                                Math.sin(
                                        2
                                                        * Math.PI
                                                        * (wave[0] * 3 * u
                                                                + wave[1] * 3 * v
                                                                + wave[2 + k])
                                                + wave[5]);
                    }
                    c[k] = (int) Math.max(0, Math.min(255, 128 + 30 * s));
                }
                img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(long seed, int w, int h) {
        return encode(pattern(seed, w, h), "png");
    }

    public static byte[] jpeg(long seed, int w, int h) {
        return encode(pattern(seed, w, h), "jpg");
    }

    /**
     * A valid black RGB PNG of {@code w} × {@code h} whose compressed size is tiny (about 1 KB per
     * 1000 rows of 20000 px): decoding it would need {@code 3·w·h} bytes. Each row is deflated once
     * with a full flush, so its compressed bytes can be repeated for every row.
     */
    public static byte[] pngBomb(int w, int h) {
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(w);
            d.writeInt(h);
            d.write(new byte[] {8, 2, 0, 0, 0});
            chunk(png, "IHDR", ihdr.toByteArray());

            byte[] row = new byte[1 + 3 * w];
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            deflater.setInput(row);
            byte[] buf = new byte[row.length];
            int n = deflater.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
            deflater.end();
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            z.write(0x78);
            z.write(0x01);
            for (int y = 0; y < h; y++) {
                z.write(buf, 0, n);
            }
            z.write(new byte[] {0x03, 0x00}); // an empty final block
            long total = (long) h * row.length;
            long adler = ((total % 65521) << 16) | 1; // Adler-32 of all-zero data
            new DataOutputStream(z).writeInt((int) adler);
            chunk(png, "IDAT", z.toByteArray());
            chunk(png, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
            throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
