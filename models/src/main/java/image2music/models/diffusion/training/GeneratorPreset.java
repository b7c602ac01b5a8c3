package image2music.models.diffusion.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.models.clip.CLIPTextConfig;
import image2music.models.clip.CLIPTextModel;
import image2music.models.clip.CLIPTokenizer;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.schedulers.Schedulers;
import image2music.models.nn.Engines;
import java.util.List;
import java.util.Locale;

/**
 * Generators trained from scratch on a CPU: pixel-space models (no VAE: a random VAE would encode
 * nothing the UNet could learn to draw, and training one first would double the run) with a small
 * frozen random CLIP text encoder over a vocabulary fitted to the data's captions, and a
 * DPM-Solver++ sampler on DDPM's linear betas, predicting v.
 *
 * <p>The frequency axis is never resized: the model takes the dataset's full height, so a preset is
 * meant for a dataset built at few mel bins ({@code build-dataset --mel-bins 64}), the time axis
 * cut into {@code --width}-pixel windows. {@link #TINY} learns a few moods in minutes on two cores;
 * {@link #SMALL} is the quality preset for a longer CPU run or a GPU.
 */
public enum GeneratorPreset {
    /** ~1.7 M UNet parameters: three levels (32, 64, 64 channels). */
    TINY(List.of(32, 64, 64), 1, 64, 2, 8),
    /** Four levels (64 … 256 channels), two resnets a level. */
    SMALL(List.of(64, 128, 256, 256), 2, 128, 4, 32);

    /** Rows of the preset tokenizer (BOS, words, EOS, padding). */
    public static final int MAX_LENGTH = 32;

    private final List<Integer> channels;
    private final int layersPerBlock;
    private final int textWidth;
    private final int textLayers;
    private final int groups;

    GeneratorPreset(
            List<Integer> channels, int layersPerBlock, int textWidth, int textLayers, int groups) {
        this.channels = channels;
        this.layersPerBlock = layersPerBlock;
        this.textWidth = textWidth;
        this.textLayers = textLayers;
        this.groups = groups;
    }

    /** The preset named {@code name} ({@code tiny}, {@code small}). */
    public static GeneratorPreset forName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown preset '" + name + "' (known: tiny, small)", e);
        }
    }

    /** Pixels per side a sample must be a multiple of: one halving per level below the top. */
    public int sizeMultiple() {
        return 1 << (channels.size() - 1);
    }

    /**
     * A randomly initialised pipeline (libtorch's generator seeded with {@code seed}) for images of
     * {@code height} rows, its tokenizer fitted to {@code captions}, weights in a sub-manager of
     * {@code manager}.
     */
    public StableDiffusionPipeline build(
            List<String> captions, int height, long seed, NDManager manager) {
        if (height % sizeMultiple() != 0) {
            throw new IllegalArgumentException(
                    "the "
                            + name().toLowerCase(Locale.ROOT)
                            + " preset needs image heights divisible by "
                            + sizeMultiple()
                            + ", the data has "
                            + height
                            + " rows");
        }
        CLIPTokenizer tokenizer = CLIPTokenizer.forTexts(captions, MAX_LENGTH);
        CLIPTextConfig text =
                new CLIPTextConfig(
                        tokenizer.vocabSize(),
                        textWidth,
                        4 * textWidth,
                        textWidth,
                        textLayers,
                        4,
                        MAX_LENGTH,
                        "quick_gelu",
                        1e-5f,
                        0f,
                        0.02f,
                        1f,
                        tokenizer.padId(),
                        tokenizer.bosId(),
                        tokenizer.eosId(),
                        null);
        NDManager weights = manager.newSubManager();
        Engines.engine().setRandomSeed((int) seed);
        CLIPTextModel encoder = new CLIPTextModel(text);
        UNet2DConditionModel unet = new UNet2DConditionModel(unetConfig(height));
        encoder.initialize(weights, DataType.FLOAT32);
        unet.initialize(weights, DataType.FLOAT32);
        return new StableDiffusionPipeline(tokenizer, encoder, unet, null, scheduler(), weights);
    }

    /** The UNet over RGB pixels (grey spectrograms: R = G = B) of {@code height} rows. */
    public UNet2DConditionConfig unetConfig(int height) {
        int levels = channels.size();
        JsonObject o = new JsonObject();
        o.addProperty("sample_size", height);
        o.addProperty("in_channels", 3);
        o.addProperty("out_channels", 3);
        JsonArray ch = new JsonArray();
        channels.forEach(ch::add);
        o.add("block_out_channels", ch);
        o.addProperty("layers_per_block", layersPerBlock);
        JsonArray down = new JsonArray();
        JsonArray up = new JsonArray();
        for (int i = 0; i < levels; i++) {
            // Attention from the third level down (a 64 × 128 window is 512 tokens there, and
            // 8192 at full resolution: its attention matrices would cost more than the rest of
            // the step); the mid block attends too.
            boolean attend = i >= 2;
            down.add(attend ? "CrossAttnDownBlock2D" : "DownBlock2D");
        }
        for (int i = levels - 1; i >= 0; i--) {
            up.add(
                    down.get(i).getAsString().startsWith("CrossAttn")
                            ? "CrossAttnUpBlock2D"
                            : "UpBlock2D");
        }
        o.add("down_block_types", down);
        o.add("up_block_types", up);
        o.addProperty("attention_head_dim", 8);
        o.addProperty("cross_attention_dim", textWidth);
        // The caption also reaches every ResNet block through the time embedding: with cross-
        // attention alone, a tiny model trained for minutes drew the same picture for every mood
        // from one seed.
        o.addProperty("addition_embed_type", UNet2DConditionConfig.TEXT_ADDITION);
        o.addProperty("addition_embed_type_num_heads", 4);
        o.addProperty("norm_num_groups", groups);
        return UNet2DConditionConfig.fromJson(o);
    }

    /**
     * DPM-Solver++ (2M) over DDPM's linear betas (1e-4 … 0.02, 1000 steps), the usual pixel-space
     * schedule, predicting v rather than the noise. Spectrograms are mostly light with thin dark
     * lines, so from the middle of the schedule on the noise swamps them: an ε-predicting tiny
     * model, after the demo's 720 steps, recovered the image at t = 500 worse than the dataset mean
     * would, and sampled noise; predicting v gave structured spectrograms after 400 steps. Train it
     * on the plain v loss: Min-SNR-γ weights v by {@code min(SNR, γ)/(SNR + 1)}, about SNR at the
     * noisiest timesteps, so those that lay out the picture go all but untrained (after 300 quick
     * steps its samples were grain, without it each mood's loudness and texture showed). The demo's
     * generator scored the same CAS and Fréchet distance with this sampler at 8 or 12 steps as with
     * DDIM at 25, in half the time.
     */
    static JsonObject scheduler() {
        JsonObject o = Schedulers.DPM_SOLVER_MULTISTEP.defaults();
        o.addProperty("_class_name", Schedulers.DPM_SOLVER_MULTISTEP.className());
        o.addProperty("beta_schedule", "linear");
        o.addProperty("beta_start", 0.0001);
        o.addProperty("beta_end", 0.02);
        o.addProperty("prediction_type", "v_prediction");
        return o;
    }
}
