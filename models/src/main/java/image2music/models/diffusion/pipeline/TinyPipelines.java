package image2music.models.diffusion.pipeline;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.models.clip.CLIPTextConfig;
import image2music.models.clip.CLIPTextModel;
import image2music.models.clip.CLIPTokenizer;
import image2music.models.diffusion.AutoencoderKL;
import image2music.models.diffusion.AutoencoderKLConfig;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.schedulers.Schedulers;
import image2music.models.nn.Engines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Randomly initialised Stable-Diffusion-shaped pipelines small enough to run in tests and on a CPU
 * in milliseconds per step: a 100-token CLIP vocabulary (letters and digits, a few merges, BOS 98
 * and EOS 99, 16 positions, as the {@code clip_text_tiny} fixture), a 2-layer 32-wide text encoder,
 * a two-level UNet and a four-level VAE (8 px per latent, as SD's).
 */
public final class TinyPipelines {

    /** Rows of the tiny tokenizer and positions of the tiny text encoder. */
    public static final int MAX_LENGTH = 16;

    public static final int VOCAB_SIZE = 100;
    static final int BOS_ID = 98;
    static final int EOS_ID = 99;

    private TinyPipelines() {}

    /** The tiny tokenizer: single letters and digits, with and without {@code </w>}. */
    public static CLIPTokenizer tokenizer() {
        return tokenizer(MAX_LENGTH);
    }

    /** The tiny tokenizer's vocabulary with rows of {@code maxLength} ids. */
    public static CLIPTokenizer tokenizer(int maxLength) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> symbols = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            symbols.add(String.valueOf(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            symbols.add(String.valueOf(c));
        }
        for (String s : symbols) {
            vocab.put(s, vocab.size());
        }
        for (String s : symbols) {
            vocab.put(s + "</w>", vocab.size());
        }
        List<String> merges = List.of("c a", "l m</w>", "ca lm</w>", "t h", "th e</w>");
        for (String m : merges) {
            vocab.put(m.replace(" ", ""), vocab.size());
        }
        vocab.put(CLIPTokenizer.BOS, BOS_ID);
        vocab.put(CLIPTokenizer.EOS, EOS_ID);
        return new CLIPTokenizer(vocab, merges, maxLength, CLIPTokenizer.EOS);
    }

    /** The tiny text encoder's config (that of the {@code clip_text_tiny} fixture). */
    public static CLIPTextConfig textConfig() {
        return new CLIPTextConfig(
                VOCAB_SIZE,
                32,
                64,
                32,
                2,
                4,
                MAX_LENGTH,
                "quick_gelu",
                1e-5f,
                0f,
                0.02f,
                1f,
                1,
                BOS_ID,
                CLIPTextConfig.LEGACY_EOS_TOKEN_ID,
                null);
    }

    /** A two-level UNet (16/32 channels, cross-attention on the first level) over 4 latents. */
    public static UNet2DConditionConfig unetConfig() {
        JsonObject o = new JsonObject();
        o.addProperty("sample_size", 8);
        o.add("block_out_channels", ints(16, 32));
        o.addProperty("layers_per_block", 1);
        o.add("down_block_types", strings("CrossAttnDownBlock2D", "DownBlock2D"));
        o.add("up_block_types", strings("UpBlock2D", "CrossAttnUpBlock2D"));
        o.addProperty("attention_head_dim", 4);
        o.addProperty("cross_attention_dim", 32);
        o.addProperty("norm_num_groups", 8);
        return UNet2DConditionConfig.fromJson(o);
    }

    /** A four-level, 8-channel VAE: 8 pixels per latent like SD's, at a fraction of the cost. */
    public static AutoencoderKLConfig vaeConfig() {
        JsonObject o = new JsonObject();
        o.add("block_out_channels", ints(8, 8, 8, 8));
        o.add(
                "down_block_types",
                strings(
                        "DownEncoderBlock2D",
                        "DownEncoderBlock2D",
                        "DownEncoderBlock2D",
                        "DownEncoderBlock2D"));
        o.add(
                "up_block_types",
                strings(
                        "UpDecoderBlock2D",
                        "UpDecoderBlock2D",
                        "UpDecoderBlock2D",
                        "UpDecoderBlock2D"));
        o.addProperty("layers_per_block", 1);
        o.addProperty("norm_num_groups", 4);
        o.addProperty("sample_size", 64);
        return AutoencoderKLConfig.fromJson(o);
    }

    /**
     * A tiny latent pipeline with random weights (libtorch's generator seeded with {@code seed}),
     * PNDM as SD-1.5 checkpoints ship, its weights in a sub-manager of {@code manager}.
     */
    public static StableDiffusionPipeline random(long seed, NDManager manager) {
        return random(seed, manager, sd15Scheduler());
    }

    /** {@link #random(long, NDManager)} with another scheduler config. */
    public static StableDiffusionPipeline random(
            long seed, NDManager manager, JsonObject scheduler) {
        NDManager weights = manager.newSubManager();
        Engines.engine().setRandomSeed((int) seed);
        CLIPTextModel text = new CLIPTextModel(textConfig());
        UNet2DConditionModel unet = new UNet2DConditionModel(unetConfig());
        AutoencoderKL vae = new AutoencoderKL(vaeConfig());
        text.initialize(weights, DataType.FLOAT32);
        unet.initialize(weights, DataType.FLOAT32);
        vae.initialize(weights, DataType.FLOAT32);
        return new StableDiffusionPipeline(tokenizer(), text, unet, vae, scheduler, weights);
    }

    /** SD-1.5's betas with the stateless DDIM sampler. */
    public static JsonObject ddimScheduler() {
        JsonObject o = sd15Scheduler();
        JsonObject d = Schedulers.DDIM.defaults();
        d.addProperty("_class_name", Schedulers.DDIM.className());
        for (String k : List.of("beta_start", "beta_end", "beta_schedule", "steps_offset")) {
            d.add(k, o.get(k));
        }
        d.addProperty("set_alpha_to_one", false);
        d.addProperty("clip_sample", false);
        return d;
    }

    /** SD-1.5's {@code scheduler/scheduler_config.json} (PNDM, scaled-linear betas). */
    public static JsonObject sd15Scheduler() {
        JsonObject o = Schedulers.PNDM.defaults();
        o.addProperty("_class_name", Schedulers.PNDM.className());
        o.addProperty("beta_start", 0.00085);
        o.addProperty("beta_end", 0.012);
        o.addProperty("beta_schedule", "scaled_linear");
        o.addProperty("num_train_timesteps", 1000);
        o.addProperty("set_alpha_to_one", false);
        o.addProperty("skip_prk_steps", true);
        o.addProperty("steps_offset", 1);
        return o;
    }

    private static JsonArray ints(int... v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static JsonArray strings(String... v) {
        JsonArray a = new JsonArray();
        for (String x : v) {
            a.add(x);
        }
        return a;
    }
}
