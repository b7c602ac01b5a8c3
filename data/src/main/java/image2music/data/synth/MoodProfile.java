package image2music.data.synth;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The distributions a mood draws its music and pictures from. Every feature is a clipped normal
 * whose spread makes neighbouring moods overlap, so no single feature separates them: calm and
 * gloomy share slow tempi, bright and energetic share major modes and high registers, gloomy and
 * calm share blue hues, and so on. Only the combination tells the moods apart, as with real
 * recordings.
 *
 * <p>{@link #of} knows {@code calm}, {@code energetic}, {@code gloomy} and {@code bright}; any
 * other name gets a fixed blend of those four chosen by the name, so user-chosen moods are
 * reproducible.
 *
 * @param tempo beats per minute
 * @param modes relative weights of the scale modes
 * @param register MIDI note the melody centres on
 * @param density melody notes per beat
 * @param legato sounding share of each note's time slot (articulation)
 * @param velocity MIDI velocity of the melody before accents and phrasing
 * @param loudness RMS level of the rendered piece in dBFS
 * @param drums probability that a piece has a drum part
 * @param lead General-MIDI programs for the melody
 * @param pad programs for the held chords
 * @param bass programs for the bass line
 * @param hue sky hue in degrees (wraps at 360)
 * @param saturation colour saturation, 0..1
 * @param brightness value (HSV) of the scene, 0..1
 * @param contrast spread of values around their mean, 1 = unchanged
 * @param texture amplitude of the value noise, 0..1
 * @param shapes number of objects in the scene
 */
public record MoodProfile(
        Dist tempo,
        Map<Mode, Double> modes,
        Dist register,
        Dist density,
        Dist legato,
        Dist velocity,
        Dist loudness,
        double drums,
        List<Integer> lead,
        List<Integer> pad,
        List<Integer> bass,
        Dist hue,
        Dist saturation,
        Dist brightness,
        Dist contrast,
        Dist texture,
        Dist shapes) {

    /**
     * A normal distribution clipped to {@code [min, max]}.
     *
     * @param mean centre
     * @param sd spread
     * @param min smallest value drawn
     * @param max largest value drawn
     */
    public record Dist(double mean, double sd, double min, double max) {

        /** One draw. */
        public double draw(SplittableRandom r) {
            return Math.max(min, Math.min(max, mean + sd * gaussian(r)));
        }
    }

    /** Church modes (and harmonic minor) as semitone offsets from the tonic. */
    public enum Mode {
        IONIAN(0, 2, 4, 5, 7, 9, 11),
        DORIAN(0, 2, 3, 5, 7, 9, 10),
        PHRYGIAN(0, 1, 3, 5, 7, 8, 10),
        LYDIAN(0, 2, 4, 6, 7, 9, 11),
        MIXOLYDIAN(0, 2, 4, 5, 7, 9, 10),
        AEOLIAN(0, 2, 3, 5, 7, 8, 10),
        HARMONIC_MINOR(0, 2, 3, 5, 7, 8, 11);

        private final int[] steps;

        Mode(int... steps) {
            this.steps = steps;
        }

        /** Semitones above the tonic of scale degree {@code degree} (any integer, 0 = tonic). */
        public int semitones(int degree) {
            int octave = Math.floorDiv(degree, 7);
            return 12 * octave + steps[Math.floorMod(degree, 7)];
        }

        /** Lower-case name as recorded in the manifest ({@code harmonic-minor}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The profile of {@code mood}: one of the four built in, or a blend fixed by the name. */
    public static MoodProfile of(String mood) {
        return switch (mood.toLowerCase(Locale.ROOT)) {
            case "calm" -> CALM;
            case "energetic" -> ENERGETIC;
            case "gloomy" -> GLOOMY;
            case "bright" -> BRIGHT;
            default -> blend(mood);
        };
    }

    /** Draws a mode by weight. */
    public Mode drawMode(SplittableRandom r) {
        double total = modes.values().stream().mapToDouble(Double::doubleValue).sum();
        double x = r.nextDouble() * total;
        Mode last = null;
        for (Map.Entry<Mode, Double> e : modes.entrySet()) {
            last = e.getKey();
            x -= e.getValue();
            if (x < 0) {
                return last;
            }
        }
        return last;
    }

    static double gaussian(SplittableRandom r) {
        // Box-Muller on SplittableRandom: Random.nextGaussian is not available on it in JDK 17.
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }

    private static Map<Mode, Double> modes(Object... modeWeight) {
        Map<Mode, Double> m = new EnumMap<>(Mode.class);
        for (int i = 0; i < modeWeight.length; i += 2) {
            m.put((Mode) modeWeight[i], (Double) modeWeight[i + 1]);
        }
        return m;
    }

    private static Dist d(double mean, double sd, double min, double max) {
        return new Dist(mean, sd, min, max);
    }

    // GM programs: 0 piano, 4 e-piano, 8 celesta, 9 glockenspiel, 11 vibraphone, 12 marimba,
    // 19 church organ, 24 nylon guitar, 29 overdriven guitar, 30 distortion guitar, 32 acoustic
    // bass, 33 finger bass, 38 synth bass, 42 cello, 43 contrabass, 46 harp, 48 strings, 52 choir,
    // 56 trumpet, 61 brass, 71 clarinet, 73 flute, 81 saw lead, 88 new-age pad, 89 warm pad,
    // 91 choir pad, 95 sweep pad. Each profile: music (tempo … bass), then picture (hue … shapes).
    private static final Dist ANY_HUE = new Dist(0, 0, -1e9, 1e9);

    static final MoodProfile CALM =
            new MoodProfile(
                    d(72, 12, 50, 110),
                    modes(
                            Mode.IONIAN,
                            0.4,
                            Mode.LYDIAN,
                            0.2,
                            Mode.MIXOLYDIAN,
                            0.2,
                            Mode.DORIAN,
                            0.2),
                    d(67, 5, 52, 84),
                    d(0.8, 0.35, 0.25, 4),
                    d(0.92, 0.06, 0.3, 1),
                    d(55, 10, 30, 120),
                    d(-24, 3, -34, -12),
                    0.1,
                    List.of(73, 46, 11, 24, 0),
                    List.of(89, 48, 88),
                    List.of(32, 33),
                    hue(195, 40),
                    d(0.38, 0.12, 0.03, 1),
                    d(0.64, 0.1, 0.1, 0.95),
                    d(0.75, 0.15, 0.3, 1.8),
                    d(0.03, 0.02, 0, 0.3),
                    d(3, 2, 0, 12));
    static final MoodProfile ENERGETIC =
            new MoodProfile(
                    d(138, 14, 90, 190),
                    modes(
                            Mode.IONIAN,
                            0.3,
                            Mode.MIXOLYDIAN,
                            0.3,
                            Mode.DORIAN,
                            0.2,
                            Mode.AEOLIAN,
                            0.2),
                    d(67, 5, 52, 86),
                    d(3.0, 0.7, 0.5, 4),
                    d(0.45, 0.15, 0.2, 1),
                    d(105, 10, 30, 127),
                    d(-14, 3, -30, -8),
                    0.95,
                    List.of(81, 30, 29, 61, 56),
                    List.of(48, 61, 81),
                    List.of(38, 33, 29),
                    hue(15, 45),
                    d(0.72, 0.14, 0.03, 1),
                    d(0.6, 0.12, 0.1, 0.95),
                    d(1.35, 0.2, 0.3, 1.8),
                    d(0.09, 0.04, 0, 0.3),
                    d(9, 3, 0, 16));
    static final MoodProfile GLOOMY =
            new MoodProfile(
                    d(62, 12, 40, 110),
                    modes(
                            Mode.AEOLIAN,
                            0.4,
                            Mode.PHRYGIAN,
                            0.25,
                            Mode.DORIAN,
                            0.2,
                            Mode.HARMONIC_MINOR,
                            0.15),
                    d(54, 5, 40, 72),
                    d(1.0, 0.45, 0.25, 4),
                    d(0.88, 0.08, 0.3, 1),
                    d(60, 12, 30, 120),
                    d(-22, 3.5, -34, -10),
                    0.15,
                    List.of(42, 19, 71, 52),
                    List.of(95, 52, 91, 19),
                    List.of(43, 32),
                    hue(225, 45),
                    d(0.22, 0.1, 0.02, 1),
                    d(0.33, 0.1, 0.05, 0.9),
                    d(0.85, 0.2, 0.3, 1.8),
                    d(0.07, 0.04, 0, 0.3),
                    d(5, 2.5, 0, 14));
    static final MoodProfile BRIGHT =
            new MoodProfile(
                    d(114, 14, 70, 170),
                    modes(Mode.IONIAN, 0.5, Mode.LYDIAN, 0.3, Mode.MIXOLYDIAN, 0.2),
                    d(78, 5, 62, 94),
                    d(2.0, 0.6, 0.5, 4),
                    d(0.6, 0.15, 0.2, 1),
                    d(88, 10, 30, 127),
                    d(-18, 3, -30, -8),
                    0.45,
                    List.of(9, 12, 8, 73, 4),
                    List.of(48, 88, 4),
                    List.of(33, 32),
                    hue(50, 40),
                    d(0.6, 0.14, 0.03, 1),
                    d(0.78, 0.09, 0.1, 0.98),
                    d(1.05, 0.18, 0.3, 1.8),
                    d(0.04, 0.03, 0, 0.3),
                    d(6, 2.5, 0, 14));

    /** The four built-in moods, in their default order. */
    public static final List<String> BUILT_IN = List.of("calm", "energetic", "gloomy", "bright");

    /** Hues wrap, so they are never clipped. */
    private static Dist hue(double mean, double sd) {
        return new Dist(mean, sd, ANY_HUE.min(), ANY_HUE.max());
    }

    private static MoodProfile builtIn(String mood) {
        return switch (mood) {
            case "calm" -> CALM;
            case "energetic" -> ENERGETIC;
            case "gloomy" -> GLOOMY;
            default -> BRIGHT;
        };
    }

    /**
     * A mood outside the built-in four: a convex blend of them with weights drawn from the name's
     * hash (stable across JVMs, as {@link String#hashCode} is specified), so a user's "dreamy" is
     * always the same blend.
     */
    private static MoodProfile blend(String mood) {
        SplittableRandom r = new SplittableRandom(mood.hashCode() * 0x9E3779B97F4A7C15L);
        double[] w = new double[BUILT_IN.size()];
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] =
                    StrictMath.pow(
                            r.nextDouble(), 3); // peaked: most blends lean on one or two moods
            sum += w[i];
        }
        List<MoodProfile> ps = new ArrayList<>();
        int top = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
            ps.add(builtIn(BUILT_IN.get(i)));
            if (w[i] > w[top]) {
                top = i;
            }
        }
        Map<Mode, Double> modes = new EnumMap<>(Mode.class);
        LinkedHashSet<Integer> lead = new LinkedHashSet<>(ps.get(top).lead);
        double drums = 0;
        for (int i = 0; i < w.length; i++) {
            final double wi = w[i];
            ps.get(i).modes.forEach((m, x) -> modes.merge(m, wi * x, Double::sum));
            drums += wi * ps.get(i).drums;
            if (wi > 0.2) {
                lead.addAll(ps.get(i).lead);
            }
        }
        return new MoodProfile(
                mix(ps, w, MoodProfile::tempo),
                modes,
                mix(ps, w, MoodProfile::register),
                mix(ps, w, MoodProfile::density),
                mix(ps, w, MoodProfile::legato),
                mix(ps, w, MoodProfile::velocity),
                mix(ps, w, MoodProfile::loudness),
                drums,
                List.copyOf(lead),
                ps.get(top).pad,
                ps.get(top).bass,
                mixHue(ps, w),
                mix(ps, w, MoodProfile::saturation),
                mix(ps, w, MoodProfile::brightness),
                mix(ps, w, MoodProfile::contrast),
                mix(ps, w, MoodProfile::texture),
                mix(ps, w, MoodProfile::shapes));
    }

    private static Dist mix(
            List<MoodProfile> ps, double[] w, java.util.function.Function<MoodProfile, Dist> f) {
        double mean = 0;
        double sd = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < w.length; i++) {
            Dist d = f.apply(ps.get(i));
            mean += w[i] * d.mean;
            sd += w[i] * d.sd;
            min = Math.min(min, d.min);
            max = Math.max(max, d.max);
        }
        return new Dist(mean, sd, min, max);
    }

    /** Hues average on the circle (350° and 10° blend to 0°, not 180°). */
    private static Dist mixHue(List<MoodProfile> ps, double[] w) {
        double x = 0;
        double y = 0;
        double sd = 0;
        for (int i = 0; i < w.length; i++) {
            Dist h = ps.get(i).hue;
            x += w[i] * StrictMath.cos(Math.toRadians(h.mean));
            y += w[i] * StrictMath.sin(Math.toRadians(h.mean));
            sd += w[i] * h.sd;
        }
        return hue(Math.toDegrees(Math.atan2(y, x)), sd);
    }
}
