package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.models.vit.LabelScore;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import image2music.models.vit.ViTTagger;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressEvent;
import image2music.pipeline.progress.ProgressListener;
import java.io.IOException;
import java.util.List;

/**
 * Image to music as a service: the tagger's labels for the picture become the prompt (reported as
 * {@link ProgressEvent.Tagged}), then the music is made and written as {@link TextToMusicService}
 * does, each sidecar also naming the picture, the tagger and the labels.
 */
public final class ImageToMusicService {

    private final ProgressListener listener;
    private final Cancellation cancellation;

    /**
     * @param listener told the tags, each step, clip and written file
     * @param cancellation checked between denoising steps
     */
    public ImageToMusicService(ProgressListener listener, Cancellation cancellation) {
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /** A service that reports nothing and is never cancelled. */
    public ImageToMusicService() {
        this(ProgressListener.NONE, new Cancellation());
    }

    /**
     * Tags the picture, makes and writes the music.
     *
     * @throws InvalidRequestException if the settings do not fit each other or the model
     * @throws IOException naming the file that cannot be read or written
     * @throws image2music.pipeline.progress.CancelledException if cancelled; nothing is written
     */
    public GenerationResult run(ImageToMusicRequest r) throws IOException {
        MusicSettings s = r.music();
        SpectrogramParams params = SpectrogramFormatFile.read(s.model());
        // Settings first, then the picture: a bad value or file fails before any model loads.
        s.generation("", params.numFrequencies());
        RgbImage picture = RgbImages.read(r.image());
        long start = System.nanoTime();
        MusicResults results;
        try (ViTTagger vit = ViTTagger.open(r.tagger());
                NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline =
                        Generators.load(s.model(), s.diffusion().loras(), m)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            ImageTags tags = new ImageToMusic(vit).tags(picture, r.topK(), r.threshold());
            listener.on(new ProgressEvent.Tagged(tags));
            GenerationRequest request = s.generation(tags.prompt(), params.numFrequencies());
            results =
                    MusicResults.make(
                            "image-to-music",
                            new TextToMusic(pipeline, params),
                            request,
                            s,
                            loadSeconds,
                            meta -> describe(meta, r, tags.labels()),
                            listener,
                            cancellation,
                            m);
        }
        return results.write(listener);
    }

    private static void describe(JsonObject meta, ImageToMusicRequest r, List<LabelScore> labels) {
        meta.addProperty("image", Sidecars.absolute(r.image()));
        meta.addProperty("tagger", Sidecars.absolute(r.tagger()));
        meta.addProperty("top_k", r.topK());
        meta.addProperty("threshold", r.threshold());
        JsonArray a = new JsonArray();
        for (LabelScore l : labels) {
            JsonObject o = new JsonObject();
            o.addProperty("label", l.label());
            o.addProperty("probability", l.probability());
            a.add(o);
        }
        meta.add("labels", a);
    }
}
