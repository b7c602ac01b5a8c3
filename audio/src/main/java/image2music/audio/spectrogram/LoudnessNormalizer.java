package image2music.audio.spectrogram;

import image2music.audio.Audio;

/**
 * Riffusion's output level (-12 dBFS RMS) without its clipping: when reaching the RMS target would
 * push the peak above -0.1 dBFS, the gain is lowered so that the peak sits at -0.1 dBFS instead.
 */
public final class LoudnessNormalizer {

    public static final double TARGET_RMS_DBFS = -12.0;
    public static final double PEAK_CEILING_DBFS = -0.1;

    private LoudnessNormalizer() {}

    /** A scaled copy of {@code audio}; digital silence is returned as is. */
    public static Audio normalize(Audio audio) {
        double gain = gain(audio);
        return Double.isNaN(gain) ? audio : scale(audio, gain);
    }

    /**
     * The gain {@link #normalize} applies to {@code audio}: the RMS target's, lowered where it
     * would push the peak past the ceiling; NaN for digital silence, which has no such gain.
     */
    public static double gain(Audio audio) {
        double rmsDb = audio.rmsDbfs();
        float peak = audio.peak();
        if (!(peak > 0) || Double.isInfinite(rmsDb)) {
            return Double.NaN;
        }
        double gain = Math.pow(10, (TARGET_RMS_DBFS - rmsDb) / 20);
        double ceiling = ceiling();
        return peak * gain > ceiling ? ceiling / peak : gain;
    }

    /** The peak ceiling as a sample value. */
    public static double ceiling() {
        return Math.pow(10, PEAK_CEILING_DBFS / 20);
    }

    /** A copy of {@code audio} times {@code gain}, every sample held within the ceiling. */
    public static Audio scale(Audio audio, double gain) {
        float ceiling = (float) ceiling();
        float g = (float) gain;
        // float rounding could nudge the peak a hair over the ceiling; never let it reach 1.0
        float[][] out = new float[audio.channelCount()][];
        for (int c = 0; c < out.length; c++) {
            float[] src = audio.channel(c);
            float[] dst = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                dst[i] = Math.max(-ceiling, Math.min(ceiling, src[i] * g));
            }
            out[c] = dst;
        }
        return new Audio(out, audio.sampleRate());
    }
}
