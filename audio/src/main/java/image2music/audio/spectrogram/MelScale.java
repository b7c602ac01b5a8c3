package image2music.audio.spectrogram;

/** The HTK mel scale of Riffusion's spectrograms (torchaudio's {@code mel_scale="htk"}). */
public final class MelScale {

    private MelScale() {}

    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
}
