package image2music.audio;

import java.util.SplittableRandom;

/**
 * A short, deterministic piece of music made from scratch (no recordings): plucked chords of a
 * I-V-vi-IV progression, a sine bass on the chord roots and high-passed noise ticks on every eighth
 * note, peaking at -1 dBFS. Used by the demo, the benchmark and tests.
 */
public final class SyntheticMusic {

    private static final double BEAT_SECONDS = 0.5;

    /** C major, G major, A minor, F major as MIDI notes, one chord per two beats. */
    private static final int[][] CHORDS = {{60, 64, 67}, {55, 59, 62}, {57, 60, 64}, {53, 57, 60}};

    private SyntheticMusic() {}

    /**
     * {@code seconds} of mono music at {@code sampleRate}; the seed varies the ticks and voicing.
     */
    public static Audio clip(double seconds, int sampleRate, long seed) {
        int n = (int) Math.round(seconds * sampleRate);
        double[] x = new double[n];
        SplittableRandom random = new SplittableRandom(seed);
        int beatSamples = (int) (BEAT_SECONDS * sampleRate);
        for (int beat = 0; beat * beatSamples < n; beat++) {
            int[] chord = CHORDS[(beat / 2) % CHORDS.length];
            int start = beat * beatSamples;
            int octave = random.nextInt(3) == 0 ? 12 : 0;
            for (int note : chord) {
                pluck(x, start, midiToHz(note + octave), 0.18, 1.2, sampleRate);
            }
            if (beat % 2 == 0) {
                sineNote(x, start, 2 * beatSamples, midiToHz(chord[0] - 24), 0.3, sampleRate);
            }
            for (int half = 0; half < 2; half++) {
                tick(x, start + half * beatSamples / 2, 0.08, sampleRate, random);
            }
        }
        double peak = 0;
        for (double v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        float[] out = new float[n];
        double gain = peak > 0 ? Math.pow(10, -1 / 20.0) / peak : 0;
        for (int i = 0; i < n; i++) {
            out[i] = (float) (x[i] * gain);
        }
        return Audio.mono(out, sampleRate);
    }

    static double midiToHz(int note) {
        return 440 * Math.pow(2, (note - 69) / 12.0);
    }

    /** Decaying harmonics, brighter at the attack, like a plucked string. */
    private static void pluck(
            double[] x, int start, double hz, double amp, double decay, int rate) {
        int len = Math.min(x.length - start, (int) (decay * 3 * rate));
        for (int h = 1; h <= 8; h++) {
            double f = hz * h;
            if (f > rate / 2.0) {
                break;
            }
            double a = amp / h;
            double tau = decay / h;
            for (int i = 0; i < len; i++) {
                double t = i / (double) rate;
                x[start + i] += a * Math.exp(-t / tau) * Math.sin(2 * Math.PI * f * t);
            }
        }
    }

    private static void sineNote(double[] x, int start, int len, double hz, double amp, int rate) {
        int end = Math.min(x.length, start + len);
        int fade = rate / 100;
        for (int i = start; i < end; i++) {
            int k = i - start;
            double env = Math.min(1.0, Math.min(k, end - 1 - i) / (double) fade);
            x[i] += amp * env * Math.sin(2 * Math.PI * hz * k / rate);
        }
    }

    /** A 20 ms burst of differentiated (high-passed) noise. */
    private static void tick(double[] x, int start, double amp, int rate, SplittableRandom r) {
        int len = Math.min(x.length - start, rate / 50);
        double prev = 0;
        for (int i = 0; i < len; i++) {
            double w = r.nextDouble() * 2 - 1;
            x[start + i] += amp * Math.exp(-i / (rate * 0.004)) * (w - prev);
            prev = w;
        }
    }
}
