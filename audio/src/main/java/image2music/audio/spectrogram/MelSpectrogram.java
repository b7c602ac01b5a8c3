package image2music.audio.spectrogram;

/** Mel magnitude spectrogram of one channel: STFT magnitude (bins up to the top filter) to mel. */
final class MelSpectrogram {

    final MelFilterbank filterbank;
    final Stft stft;

    MelSpectrogram(SpectrogramParams p) {
        this.filterbank = MelFilterbank.of(p);
        this.stft = new Stft(p, filterbank.bins);
    }

    /**
     * The {@code [mel bin][frame]} magnitudes of {@code x * scale} (scale 32768 turns [-1, 1]
     * samples into Riffusion's int16 units).
     */
    float[][] compute(float[] x, float scale) {
        int frames = stft.frames(x.length);
        int mels = filterbank.mels;
        float[][] out = new float[mels][frames];
        int bins = stft.bins;
        stft.analyzeChunked(
                x,
                scale,
                frames,
                () -> {
                    float[] mag = new float[bins];
                    float[] mel = new float[mels];
                    return (t, reIm) -> {
                        magnitudes(reIm, mag, bins);
                        filterbank.apply(mag, mel);
                        for (int i = 0; i < mels; i++) {
                            out[i][t] = mel[i];
                        }
                    };
                });
        return out;
    }

    static void magnitudes(float[] reIm, float[] mag, int bins) {
        for (int k = 0; k < bins; k++) {
            float re = reIm[2 * k];
            float im = reIm[2 * k + 1];
            mag[k] = (float) Math.sqrt(re * re + im * im);
        }
    }
}
