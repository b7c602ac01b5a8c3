package image2music.pipeline.live;

import ai.djl.ndarray.NDManager;
import image2music.audio.Audio;
import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SpectrogramStitcher;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.models.vit.LabelScore;
import image2music.models.vit.PromptBuilder;
import image2music.models.vit.RgbImage;
import image2music.models.vit.ViTTagger;
import image2music.pipeline.InvalidRequestException;
import image2music.pipeline.MusicSettings;
import image2music.pipeline.Overlap;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressListener;
import image2music.pipeline.progress.StepReporter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tagger and the generator loaded once and kept, for front ends that serve many requests (the
 * web app): rank a picture's moods, turn labels into the prompt, and make pieces clip by clip with
 * {@link EndlessPiece}. One generation runs at a time per instance (the pipeline is not
 * thread-safe); a server that wants more opens more instances. Any thread may call it: each call
 * turns off autograd recording in its thread first ({@link Engines#inferenceOnly()}).
 */
public final class LiveGenerator implements AutoCloseable {

    private final ViTTagger tagger;
    private final StableDiffusionPipeline pipeline;
    private final NDManager manager;
    private final SpectrogramParams params;

    private LiveGenerator(
            ViTTagger tagger,
            StableDiffusionPipeline pipeline,
            NDManager manager,
            SpectrogramParams params) {
        this.tagger = tagger;
        this.pipeline = pipeline;
        this.manager = manager;
        this.params = params;
    }

    /**
     * Loads both models.
     *
     * @throws IOException naming the folder or file that cannot be read
     */
    public static LiveGenerator open(Path taggerDir, Path generatorDir) throws IOException {
        SpectrogramParams params = SpectrogramFormatFile.read(generatorDir);
        ViTTagger tagger = ViTTagger.open(taggerDir);
        NDManager m = Engines.newManager();
        try {
            return new LiveGenerator(tagger, PipelineFolder.load(generatorDir, m), m, params);
        } catch (IOException | RuntimeException e) {
            m.close();
            tagger.close();
            throw e;
        }
    }

    /** Every mood the tagger knows, in its label order. */
    public List<String> labels() {
        return tagger.config().labels();
    }

    /** The spectrogram format the generator makes. */
    public SpectrogramParams params() {
        return params;
    }

    /** Every mood for the picture, most probable first. */
    public List<LabelScore> rank(RgbImage picture) {
        Engines.inferenceOnly();
        // Its own lock: tagging a picture never waits for a generation.
        synchronized (tagger) {
            return tagger.tag(List.of(picture)).get(0);
        }
    }

    /**
     * The prompt for {@code labels}, each of which must be one of {@link #labels()}.
     *
     * @throws InvalidRequestException naming a label the tagger does not know, or for none
     */
    public String prompt(List<String> labels) {
        for (String l : labels) {
            if (!labels().contains(l)) {
                throw new InvalidRequestException(
                        "unknown mood '" + l + "'; the tagger knows " + labels());
            }
        }
        if (labels.isEmpty()) {
            throw new InvalidRequestException("give at least one mood");
        }
        return PromptBuilder.caption(labels);
    }

    /**
     * A new piece of {@code prompt}: clips of {@code width} px sharing {@code overlapSeconds}
     * (null: a quarter of a clip), {@code steps} denoising steps, guidance {@code guidance}.
     *
     * @throws InvalidRequestException naming a value that does not fit the model
     */
    public EndlessPiece startPiece(
            String prompt,
            long seed,
            int steps,
            double guidance,
            int width,
            Double overlapSeconds,
            int morphClips) {
        try {
            GenerationRequest request =
                    new GenerationRequest(
                            prompt,
                            "",
                            guidance,
                            steps,
                            seed,
                            width,
                            params.numFrequencies(),
                            null,
                            1);
            pipeline.latentShape(width, params.numFrequencies());
            int overlap = Overlap.pixels(overlapSeconds, width, pipeline.pixelsPerLatent(), params);
            return new EndlessPiece(request, params, overlap, morphClips);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /**
     * The piece's next clip, moving to {@code newPrompt} when it is not null: {@link #play} of one
     * clip.
     *
     * @param listener told the steps of the clip
     * @throws image2music.pipeline.progress.CancelledException if cancelled between steps
     */
    public PieceClip next(
            EndlessPiece piece,
            String newPrompt,
            ProgressListener listener,
            Cancellation cancellation) {
        return play(piece, newPrompt, null, listener, cancellation).clips().get(0);
    }

    /**
     * The piece's next stretch of {@code seconds} (null: one clip), moving to {@code newPrompt}
     * when it is not null: as many clips as it takes, their stretches back to back, and the piece
     * ended there.
     *
     * @param listener told {@code Started} with the clip count, then each clip's steps
     * @throws InvalidRequestException if {@code seconds} is out of range
     * @throws image2music.pipeline.progress.CancelledException if cancelled between steps
     */
    public PieceResult play(
            EndlessPiece piece,
            String newPrompt,
            Double seconds,
            ProgressListener listener,
            Cancellation cancellation) {
        if (seconds != null && !(seconds > 0 && seconds <= MusicSettings.MAX_SECONDS)) {
            throw new InvalidRequestException(
                    "seconds must be in (0, " + MusicSettings.MAX_SECONDS + "], got " + seconds);
        }
        Engines.inferenceOnly();
        synchronized (pipeline) {
            return playLocked(piece, newPrompt, seconds, listener, cancellation);
        }
    }

    private PieceResult playLocked(
            EndlessPiece piece,
            String newPrompt,
            Double seconds,
            ProgressListener listener,
            Cancellation cancellation) {
        int n = seconds == null ? 1 : piece.clipsFor(seconds, pipeline.pixelsPerLatent());
        StepReporter steps = new StepReporter(n, "clip", listener, cancellation);
        List<PieceClip> clips = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int clip = i;
            clips.add(
                    piece.next(
                            pipeline,
                            i == 0 ? newPrompt : null,
                            (img, s, total) -> steps.stepDone(clip, s, total)));
        }
        steps.finish();
        List<Audio> stretches = new ArrayList<>();
        for (PieceClip c : clips) {
            stretches.add(c.stream());
        }
        Audio stream = Audio.concat(stretches);
        stretches.add(piece.ending());
        Audio audio = Audio.concat(stretches);
        if (seconds != null) {
            int samples = (int) Math.round(seconds * audio.sampleRate());
            audio = audio.slice(0, Math.min(samples, audio.frames()));
        }
        return new PieceResult(clips, image(piece, clips), audio, stream);
    }

    /** The clips' spectrogram images joined as a long piece's. */
    private BufferedImage image(EndlessPiece piece, List<PieceClip> clips) {
        if (clips.size() == 1) {
            return clips.get(0).image();
        }
        ClipPlan pair = piece.pair();
        ClipPlan plan =
                new ClipPlan(
                        pair.width() + (clips.size() - 1) * pair.stride(),
                        pair.width(),
                        pair.overlap());
        List<Spectrogram> spectrograms = new ArrayList<>();
        for (PieceClip c : clips) {
            spectrograms.add(
                    SpectrogramImage.toSpectrogram(
                            c.image(), params, SpectrogramImage.DEFAULT_MAX_VALUE));
        }
        Spectrogram joined =
                new SpectrogramStitcher(plan, piece.carriedPixels()).stitch(spectrograms);
        return SpectrogramImage.fromSpectrogram(joined, SpectrogramImage.DEFAULT_MAX_VALUE);
    }

    @Override
    public void close() {
        pipeline.close();
        manager.close();
        tagger.close();
    }
}
