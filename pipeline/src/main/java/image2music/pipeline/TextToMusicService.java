package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressEvent;
import image2music.pipeline.progress.ProgressListener;
import java.io.IOException;
import java.util.Locale;

/**
 * Text to music as a service: loads the generator, makes the request's results ({@link
 * TextToMusic}) and writes {@code X.wav}, {@code X.png} and {@code X.json} for each, nothing until
 * all are ready.
 */
public final class TextToMusicService {

    /** UNets above this many parameters are "full size" (SD-1.5: 860 M). */
    private static final long LARGE_UNET = 100_000_000L;

    private final ProgressListener listener;
    private final Cancellation cancellation;

    /**
     * @param listener told each step, clip and written file
     * @param cancellation checked between denoising steps
     */
    public TextToMusicService(ProgressListener listener, Cancellation cancellation) {
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /** A service that reports nothing and is never cancelled. */
    public TextToMusicService() {
        this(ProgressListener.NONE, new Cancellation());
    }

    /**
     * Makes and writes the request's results.
     *
     * @throws InvalidRequestException if the settings do not fit each other or the model
     * @throws IOException naming the file that cannot be read or written
     * @throws image2music.pipeline.progress.CancelledException if cancelled; nothing is written
     */
    public GenerationResult run(TextToMusicRequest r) throws IOException {
        MusicSettings s = r.music();
        SpectrogramParams params = SpectrogramFormatFile.read(s.model());
        GenerationRequest request = s.generation(r.prompt(), params.numFrequencies());
        long start = System.nanoTime();
        MusicResults results;
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline =
                        Generators.load(s.model(), s.diffusion().loras(), m)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            warnIfSlow(pipeline, request.steps());
            results =
                    MusicResults.make(
                            "text-to-audio",
                            new TextToMusic(pipeline, params),
                            request,
                            s,
                            loadSeconds,
                            meta -> {},
                            listener,
                            cancellation,
                            m);
        }
        return results.write(listener);
    }

    private void warnIfSlow(StableDiffusionPipeline pipeline, int steps) {
        long count = StateDict.parameterCount(pipeline.unet());
        if (count > LARGE_UNET && !Engines.device().isGpu()) {
            listener.on(
                    new ProgressEvent.Notice(
                            String.format(
                                    Locale.ROOT,
                                    "note: a full-size UNet (%.0f M parameters) on the CPU: expect"
                                            + " several seconds per denoising step (about 9 s per"
                                            + " guided SD-1.5 step on 2 cores), %d steps per image",
                                    count / 1e6,
                                    steps)));
        }
    }
}
