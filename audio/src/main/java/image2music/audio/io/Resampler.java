package image2music.audio.io;

import image2music.audio.Audio;

/** Sample-rate conversion. */
public final class Resampler {

    private Resampler() {}

    /** Returns {@code audio} at {@code rate}. */
    public static Audio resample(Audio audio, int rate) {
        if (audio.sampleRate() == rate) {
            return audio;
        }
        throw new UnsupportedOperationException("resampling not implemented yet");
    }
}
