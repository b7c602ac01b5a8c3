package image2music.audio.spectrogram;

/**
 * Spectral convergence as design.md defines it: {@code ||R - aE||_F / ||R||_F} with {@code a} the
 * least-squares gain {@code <R, E> / <E, E>}, over all channels and bins, both trimmed to the
 * shorter frame count. 0 is a perfect match (up to gain); 1 means no better than silence.
 */
public final class SpectralConvergence {

    private SpectralConvergence() {}

    /** The SC of {@code estimate} against {@code reference} (same params). */
    public static double between(Spectrogram reference, Spectrogram estimate) {
        if (reference.channels() != estimate.channels()
                || reference.params().numFrequencies() != estimate.params().numFrequencies()) {
            throw new IllegalArgumentException("spectrograms differ in channels or mel bins");
        }
        return between(reference.data(), estimate.data());
    }

    /**
     * The mel SC of {@code estimate} against {@code reference}, both analysed by {@code converter}
     * (so at its sample rate).
     */
    public static double ofAudio(
            SpectrogramConverter converter,
            image2music.audio.Audio reference,
            image2music.audio.Audio estimate) {
        return between(
                converter.spectrogramFromAudio(reference),
                converter.spectrogramFromAudio(estimate));
    }

    /** The SC over {@code [channel][bin][frame]} arrays, trimmed to the shorter frame count. */
    public static double between(float[][][] reference, float[][][] estimate) {
        int frames = Math.min(reference[0][0].length, estimate[0][0].length);
        double rr = 0;
        double re = 0;
        double ee = 0;
        for (int c = 0; c < reference.length; c++) {
            for (int i = 0; i < reference[c].length; i++) {
                float[] r = reference[c][i];
                float[] e = estimate[c][i];
                for (int t = 0; t < frames; t++) {
                    rr += (double) r[t] * r[t];
                    re += (double) r[t] * e[t];
                    ee += (double) e[t] * e[t];
                }
            }
        }
        if (rr == 0) {
            return ee == 0 ? 0 : 1;
        }
        double a = ee > 0 ? re / ee : 0;
        // ||R - aE||^2 = rr - 2a re + a^2 ee = rr - re^2 / ee at the optimum
        double err = Math.max(0, rr - 2 * a * re + a * a * ee);
        return Math.sqrt(err / rr);
    }
}
