package image2music.audio.spectrogram;

/**
 * A mel magnitude spectrogram.
 *
 * @param data {@code [channel][mel bin, 0 = lowest][frame]}; amplitudes in int16-sample units
 * @param params the parameters it was made with
 */
public record Spectrogram(float[][][] data, SpectrogramParams params) {

    public Spectrogram {
        if (data.length != params.channels()) {
            throw new IllegalArgumentException(
                    "spectrogram has "
                            + data.length
                            + " channels, params say "
                            + params.channels());
        }
        int frames = -1;
        for (float[][] ch : data) {
            if (ch.length != params.numFrequencies()) {
                throw new IllegalArgumentException(
                        "spectrogram has "
                                + ch.length
                                + " mel bins, params say "
                                + params.numFrequencies());
            }
            for (float[] row : ch) {
                if (frames < 0) {
                    frames = row.length;
                } else if (row.length != frames) {
                    throw new IllegalArgumentException("spectrogram rows differ in length");
                }
            }
        }
        if (frames < 1) {
            throw new IllegalArgumentException("spectrogram has no frames");
        }
    }

    /** Largest amplitude over all channels, bins and frames (0 for silence). */
    public float max() {
        float m = 0;
        for (float[][] ch : data) {
            for (float[] row : ch) {
                for (float v : row) {
                    m = Math.max(m, v);
                }
            }
        }
        return m;
    }

    /** Number of frames (image columns). */
    public int frames() {
        return data[0][0].length;
    }

    public int channels() {
        return data.length;
    }

    /** The magnitudes of one channel as {@code [frame][mel bin]} (a copy). */
    float[][] framesOf(int channel) {
        float[][] rows = data[channel];
        float[][] out = new float[frames()][rows.length];
        for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            for (int t = 0; t < row.length; t++) {
                out[t][i] = row[t];
            }
        }
        return out;
    }
}
