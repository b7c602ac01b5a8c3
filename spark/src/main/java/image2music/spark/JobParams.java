package image2music.spark;

import image2music.audio.dataset.DatasetParams;
import image2music.audio.spectrogram.SpectrogramParams;
import java.io.Serializable;

/** {@link DatasetParams} in a form Spark can ship to executors. */
record JobParams(
        double segmentSeconds,
        int tileWidth,
        double silenceDbfs,
        int sampleRate,
        int hopLength,
        int melBins)
        implements Serializable {

    static JobParams of(DatasetParams p) {
        return new JobParams(
                p.segmentSeconds(),
                p.tileWidth(),
                p.silenceDbfs(),
                p.sampleRate(),
                p.hopLength(),
                p.melBins());
    }

    DatasetParams datasetParams() {
        return new DatasetParams(
                segmentSeconds, tileWidth, silenceDbfs, sampleRate, hopLength, melBins);
    }

    /** The tiles' spectrogram format, exactly as {@code build-dataset} derives it. */
    SpectrogramParams spectrogramParams() {
        return datasetParams().spectrogramParams(SpectrogramParams.defaults());
    }
}
