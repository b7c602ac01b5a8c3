package image2music.audio.spectrogram;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Riffusion's EXIF tags (11000-11080) as a big-endian ("MM") TIFF block, the payload of a PNG
 * {@code eXIf} chunk or (after "Exif\0\0") a JPEG APP1 segment. Integers are written as SHORT,
 * floats as DOUBLE, in tag order, exactly as Riffusion's images carry them; reading also accepts
 * little-endian TIFF and LONG, RATIONAL and FLOAT values.
 */
public final class SpectrogramExif {

    /** The tags in file order, with Riffusion's names. */
    public enum Tag {
        SAMPLE_RATE(11000, false),
        STEREO(11005, false),
        STEP_SIZE_MS(11010, false),
        WINDOW_DURATION_MS(11020, false),
        PADDED_DURATION_MS(11030, false),
        NUM_FREQUENCIES(11040, false),
        MIN_FREQUENCY(11050, false),
        MAX_FREQUENCY(11060, false),
        POWER_FOR_IMAGE(11070, true),
        MAX_VALUE(11080, true);

        public final int id;
        final boolean isDouble;

        Tag(int id, boolean isDouble) {
            this.id = id;
            this.isDouble = isDouble;
        }
    }

    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;
    private static final int TYPE_RATIONAL = 5;
    private static final int TYPE_FLOAT = 11;
    private static final int TYPE_DOUBLE = 12;

    private SpectrogramExif() {}

    /** The TIFF block for {@code p} and the spectrogram's {@code maxValue}. */
    public static byte[] encode(SpectrogramParams p, double maxValue) {
        Map<Tag, Number> values = values(p, maxValue);
        Tag[] tags = Tag.values();
        int doubles = 0;
        for (Tag t : tags) {
            if (t.isDouble) {
                doubles++;
            }
        }
        int ifdSize = 2 + 12 * tags.length + 4;
        ByteBuffer b = ByteBuffer.allocate(8 + ifdSize + 8 * doubles).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) tags.length);
        int dataOffset = 8 + ifdSize;
        for (Tag t : tags) {
            Number v = values.get(t);
            b.putShort((short) t.id);
            if (t.isDouble) {
                b.putShort((short) TYPE_DOUBLE).putInt(1).putInt(dataOffset);
                b.putDouble(dataOffset, v.doubleValue());
                dataOffset += 8;
            } else {
                int s = v.intValue();
                if (s < 0 || s > 0xFFFF) {
                    throw new IllegalArgumentException(
                            t + " = " + s + " does not fit an EXIF SHORT");
                }
                b.putShort((short) TYPE_SHORT).putInt(1).putShort((short) s).putShort((short) 0);
            }
        }
        b.putInt(0);
        return b.array();
    }

    /** The tag values in {@link Tag} order. */
    public static Map<Tag, Number> values(SpectrogramParams p, double maxValue) {
        Map<Tag, Number> m = new LinkedHashMap<>();
        m.put(Tag.SAMPLE_RATE, p.sampleRate());
        m.put(Tag.STEREO, p.stereo() ? 1 : 0);
        m.put(Tag.STEP_SIZE_MS, p.stepSizeMs());
        m.put(Tag.WINDOW_DURATION_MS, p.windowDurationMs());
        m.put(Tag.PADDED_DURATION_MS, p.paddedDurationMs());
        m.put(Tag.NUM_FREQUENCIES, p.numFrequencies());
        m.put(Tag.MIN_FREQUENCY, p.minFrequency());
        m.put(Tag.MAX_FREQUENCY, p.maxFrequency());
        m.put(Tag.POWER_FOR_IMAGE, p.powerForImage());
        m.put(Tag.MAX_VALUE, maxValue);
        return m;
    }

    /**
     * The Riffusion tags found in a TIFF block (others are ignored).
     *
     * @throws IllegalArgumentException if the block is not valid TIFF
     */
    public static Map<Tag, Number> decode(byte[] tiff) {
        if (tiff.length < 8) {
            throw new IllegalArgumentException("EXIF block too short");
        }
        ByteOrder order;
        if (tiff[0] == 'M' && tiff[1] == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else if (tiff[0] == 'I' && tiff[1] == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new IllegalArgumentException("EXIF block has no TIFF byte-order mark");
        }
        ByteBuffer b = ByteBuffer.wrap(tiff).order(order);
        if ((b.getShort(2) & 0xFFFF) != 42) {
            throw new IllegalArgumentException("EXIF block has a bad TIFF magic number");
        }
        int ifd = b.getInt(4);
        if (ifd < 8 || ifd + 2 > tiff.length) {
            throw new IllegalArgumentException("EXIF IFD offset out of range");
        }
        int count = b.getShort(ifd) & 0xFFFF;
        if (ifd + 2 + 12L * count > tiff.length) {
            throw new IllegalArgumentException("EXIF IFD runs past the end of the block");
        }
        Map<Integer, Tag> byId = new LinkedHashMap<>();
        for (Tag t : Tag.values()) {
            byId.put(t.id, t);
        }
        Map<Tag, Number> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int e = ifd + 2 + 12 * i;
            Tag tag = byId.get(b.getShort(e) & 0xFFFF);
            int type = b.getShort(e + 2) & 0xFFFF;
            long n = b.getInt(e + 4) & 0xFFFFFFFFL;
            if (tag == null || n < 1) {
                continue;
            }
            Number v = value(b, type, e + 8, tiff.length);
            if (v != null) {
                out.put(tag, v);
            }
        }
        return out;
    }

    private static Number value(ByteBuffer b, int type, int field, int length) {
        switch (type) {
            case TYPE_SHORT:
                return b.getShort(field) & 0xFFFF;
            case TYPE_LONG:
                return b.getInt(field) & 0xFFFFFFFFL;
            case TYPE_FLOAT:
                return (double) b.getFloat(field);
            case TYPE_DOUBLE:
            case TYPE_RATIONAL:
                int off = b.getInt(field);
                if (off < 0 || off + 8 > length) {
                    throw new IllegalArgumentException("EXIF value offset out of range");
                }
                if (type == TYPE_DOUBLE) {
                    return b.getDouble(off);
                }
                long num = b.getInt(off) & 0xFFFFFFFFL;
                long den = b.getInt(off + 4) & 0xFFFFFFFFL;
                return den == 0 ? null : (double) num / den;
            default:
                return null;
        }
    }

    /** Params from decoded tags; absent tags keep Riffusion's defaults. */
    public static SpectrogramParams params(Map<Tag, Number> tags) {
        SpectrogramParams d = SpectrogramParams.defaults();
        return new SpectrogramParams(
                intOr(tags, Tag.STEREO, d.stereo() ? 1 : 0) != 0,
                intOr(tags, Tag.SAMPLE_RATE, d.sampleRate()),
                intOr(tags, Tag.STEP_SIZE_MS, d.stepSizeMs()),
                intOr(tags, Tag.WINDOW_DURATION_MS, d.windowDurationMs()),
                intOr(tags, Tag.PADDED_DURATION_MS, d.paddedDurationMs()),
                intOr(tags, Tag.NUM_FREQUENCIES, d.numFrequencies()),
                intOr(tags, Tag.MIN_FREQUENCY, d.minFrequency()),
                intOr(tags, Tag.MAX_FREQUENCY, d.maxFrequency()),
                tags.containsKey(Tag.POWER_FOR_IMAGE)
                        ? tags.get(Tag.POWER_FOR_IMAGE).doubleValue()
                        : d.powerForImage(),
                d.griffinLimIters());
    }

    /** Largest MAX_VALUE accepted: far above any int16-scaled magnitude (30e6 is typical). */
    public static final double MAX_MAX_VALUE = 1e15;

    /**
     * MAX_VALUE if present.
     *
     * @throws IllegalArgumentException when it is not a finite number in [0, {@value
     *     #MAX_MAX_VALUE}] (0 is a silent clip's; an infinite or negative one would decode a loud
     *     image to silence)
     */
    public static OptionalDouble maxValue(Map<Tag, Number> tags) {
        Number v = tags.get(Tag.MAX_VALUE);
        if (v == null) {
            return OptionalDouble.empty();
        }
        double d = v.doubleValue();
        if (!(d >= 0 && d <= MAX_MAX_VALUE)) {
            throw new IllegalArgumentException(
                    "MAX_VALUE must be in [0, " + MAX_MAX_VALUE + "], got " + d);
        }
        return OptionalDouble.of(d);
    }

    /**
     * An integer tag, or {@code fallback} when absent. A value that is not a whole number in int
     * range is refused here (a cast would wrap or saturate it into something plausible).
     */
    private static int intOr(Map<Tag, Number> tags, Tag t, int fallback) {
        Number v = tags.get(t);
        if (v == null) {
            return fallback;
        }
        double d = v.doubleValue();
        if (!(d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(t + " = " + d + " is out of range");
        }
        return (int) Math.round(d);
    }
}
