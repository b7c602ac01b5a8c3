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
        double rmsDb = audio.rmsDbfs();
        float peak = audio.peak();
        if (!(peak > 0) || Double.isInfinite(rmsDb)) {
            return audio;
        }
        double gain = Math.pow(10, (TARGET_RMS_DBFS - rmsDb) / 20);
        double ceiling = Math.pow(10, PEAK_CEILING_DBFS / 20);
        if (peak * gain > ceiling) {
            gain = ceiling / peak;
        }
        float g = (float) gain;
        // float rounding could nudge the peak a hair over the ceiling; never let it reach 1.0
        float[][] out = new float[audio.channelCount()][];
        for (int c = 0; c < out.length; c++) {
            float[] src = audio.channel(c);
            float[] dst = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                dst[i] = Math.max(-(float) ceiling, Math.min((float) ceiling, src[i] * g));
            }
            out[c] = dst;
        }
        return new Audio(out, audio.sampleRate());
    }
}
