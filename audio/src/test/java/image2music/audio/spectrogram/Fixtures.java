package image2music.audio.spectrogram;

import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Reads the Riffusion golden files from the test class path. */
final class Fixtures {

    static final String RIFFUSION = "fixtures/riffusion/";

    private Fixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Audio wav(String name) throws IOException {
        return WavReader.read(Path.of(name), bytes(name));
    }

    static BufferedImage image(String name) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes(name)));
    }

    /** A little-endian float32 NPY array (format v1/v2) with its shape, data in C order. */
    record Npy(int[] shape, float[] data) {}

    static Npy npy(String name) {
        byte[] b = bytes(name);
        if ((b[0] & 0xFF) != 0x93 || b[1] != 'N' || b[2] != 'U') {
            throw new IllegalArgumentException(name + ": not an NPY file");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        int headerLen = major == 1 ? buf.getShort(8) & 0xFFFF : buf.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(b, start, headerLen, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'")) {
            throw new IllegalArgumentException(name + ": expected <f4, got " + header);
        }
        boolean fortran = header.contains("'fortran_order': True");
        Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(name + ": no shape in " + header);
        }
        String[] parts = m.group(1).split(",");
        int count = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                count++;
            }
        }
        int[] shape = new int[count];
        int n = 1;
        int i = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[i] = Integer.parseInt(p.trim());
                n *= shape[i++];
            }
        }
        float[] data = new float[n];
        buf.position(start + headerLen);
        buf.asFloatBuffer().get(data);
        return new Npy(shape, fortran ? toCOrder(data, shape) : data);
    }

    /** Column-major (first index fastest) to row-major (last index fastest). */
    private static float[] toCOrder(float[] f, int[] shape) {
        float[] c = new float[f.length];
        int[] idx = new int[shape.length];
        for (int i = 0; i < c.length; i++) {
            int fi = 0;
            for (int d = shape.length - 1; d >= 0; d--) {
                fi = fi * shape[d] + idx[d];
            }
            c[i] = f[fi];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return c;
    }
}
