package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import image2music.audio.longform.ClipPlan;
import image2music.models.diffusion.longform.ClipStore;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.vit.LabelScore;
import image2music.models.vit.PromptBuilder;
import image2music.models.vit.RgbImage;
import image2music.models.vit.ViTTagger;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A picture to music, the whole inference pipeline: the ViT tagger's mood labels for the picture,
 * their caption as the prompt (the form the generator was trained on), then {@link TextToMusic}.
 */
public final class ImageToMusic {

    private final ViTTagger tagger;
    private final TextToMusic music;

    public ImageToMusic(ViTTagger tagger, TextToMusic music) {
        this.tagger = tagger;
        this.music = music;
    }

    /**
     * The picture's labels (at most {@code topK}, those at least {@code threshold} probable, and
     * always the most probable one) and the prompt made of them.
     */
    public ImageTags tags(RgbImage picture, int topK, float threshold) {
        List<LabelScore> ranked = tagger.tag(List.of(picture)).get(0);
        List<LabelScore> chosen = ViTTagger.select(ranked, topK, threshold);
        return new ImageTags(chosen, PromptBuilder.fromScores(chosen));
    }

    /**
     * Music for {@code tags}: {@code template}'s prompt replaced by the tags' prompt, generated as
     * {@link TextToMusic#generate} does (one clip per seed, or pieces on {@code plan}, long piece
     * {@code p} keeping its finished clips in {@code stores.apply(p)}).
     */
    public List<MusicPiece> compose(
            ImageTags tags,
            GenerationRequest template,
            ClipPlan plan,
            IntFunction<ClipStore> stores,
            GenerationProgress progress,
            NDManager manager) {
        return music.generate(template.withPrompt(tags.prompt()), plan, stores, progress, manager);
    }
}
