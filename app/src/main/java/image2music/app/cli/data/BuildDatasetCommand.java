package image2music.app.cli.data;

import image2music.app.cli.ProgressBars;
import image2music.audio.dataset.AudioSource;
import image2music.audio.dataset.AudioSources;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import image2music.audio.dataset.SpectrogramTileRenderer;
import image2music.audio.spectrogram.SpectrogramParams;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code build-dataset}: labelled audio to a captioned spectrogram training set. */
@Command(
        name = "build-dataset",
        mixinStandardHelpOptions = true,
        header = "Labelled audio to a captioned spectrogram training set.",
        description =
                "Cut labelled audio into captioned spectrogram images (HuggingFace imagefolder:"
                        + " *.png + metadata.csv). Resumable.")
public final class BuildDatasetCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--audio",
            required = true,
            paramLabel = "DIR",
            description = "Audio folder: <label>/<files>, or a scraped folder with manifest.jsonl.")
    Path audio;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder.")
    Path out;

    @Option(
            names = "--segment-seconds",
            defaultValue = "15",
            paramLabel = "S",
            description = "Segment length in seconds (default: ${DEFAULT-VALUE}).")
    double segmentSeconds;

    @Option(
            names = "--tile-width",
            defaultValue = "512",
            paramLabel = "PX",
            description =
                    "Tile width in pixels; 0 keeps whole segments (default: ${DEFAULT-VALUE}).")
    int tileWidth;

    @Option(
            names = "--mel-bins",
            defaultValue = "512",
            paramLabel = "N",
            description =
                    "Mel bins (image rows) of every tile, 16 to 1024; the images' EXIF records it"
                            + " (default: ${DEFAULT-VALUE}).")
    int melBins;

    @Option(
            names = "--silence-dbfs",
            defaultValue = "-60",
            paramLabel = "DB",
            description =
                    "Segments quieter than this RMS level are skipped (default: ${DEFAULT-VALUE}).")
    double silenceDbfs;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        SpectrogramParams base = SpectrogramParams.defaults();
        DatasetParams params;
        try {
            params =
                    new DatasetParams(
                            segmentSeconds,
                            tileWidth,
                            silenceDbfs,
                            base.sampleRate(),
                            base.hopLength(),
                            melBins);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SpectrogramParams sp = params.spectrogramParams(base);
        List<AudioSource> sources = AudioSources.scan(audio);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(audio + ": no labelled audio files found");
        }
        DatasetBuilder builder =
                new DatasetBuilder(params, new SpectrogramTileRenderer(sp), sp, threads);
        DatasetBuilder.Summary s;
        try (ProgressBar bar =
                noProgress
                        ? null
                        : ProgressBars.builder("build-dataset", sources.size())
                                .setUnit(" files", 1)
                                .build()) {
            s =
                    builder.build(
                            sources,
                            out,
                            new DatasetBuilder.Listener() {
                                @Override
                                public void fileDone(
                                        AudioSource source, DatasetBuilder.FileResult r) {
                                    if (bar == null) {
                                        return;
                                    }
                                    bar.step();
                                    if (r.failed()) {
                                        bar.setExtraMessage("failed: " + source.name());
                                    }
                                }
                            });
        }
        var o = spec.commandLine().getOut();
        o.printf(
                "%d files (%d already done, %d failed, %d shorter than a segment), %d segments"
                        + " (%d silent skipped), %.1f s of tails skipped, %d images in %s%n",
                s.files(),
                s.resumedFiles(),
                s.failedFiles(),
                s.shortFiles(),
                s.segments(),
                s.silentSegments(),
                s.tailSeconds(),
                s.images(),
                out);
        var err = spec.commandLine().getErr();
        for (String f : s.failures()) {
            err.println("error: " + f);
        }
        return s.failedFiles() == 0 ? 0 : 1;
    }
}
