package image2music.models.diffusion.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramExif;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.manifest.MediaLayout;
import image2music.models.clip.CLIPTextCheckpoints;
import image2music.models.diffusion.AutoencoderKL;
import image2music.models.diffusion.DiffusersFolders;
import image2music.models.diffusion.UNetCheckpoints;
import image2music.models.diffusion.lora.LoraLayers;
import image2music.models.diffusion.pipeline.GeneratedImage;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.PixelNormalization;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.schedulers.NoiseSchedule;
import image2music.models.diffusion.schedulers.SchedulerConfig;
import image2music.models.diffusion.schedulers.Schedulers;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.LoadRules;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import image2music.models.nn.Tensors;
import image2music.models.train.Seeds;
import image2music.models.train.TrainingTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Fine-tunes a Stable-Diffusion-style pipeline on captioned spectrograms, as diffusers' {@code
 * train_text_to_image.py} (whole UNet) and {@code train_text_to_image_lora.py} (LoRA on the UNet's
 * attention projections) do: the VAE and text encoder stay frozen; each step noises the latents of
 * a time window of each image at a uniform random timestep with the DDPM forward process of the
 * pipeline's scheduler config and regresses the UNet's prediction on the objective's target.
 *
 * <p>The frozen parts are computed once: the latents of every image (the VAE posterior's mean,
 * cached on disk under {@code OUT/.latents/} keyed on the image bytes and the VAE weights, since on
 * a CPU encoding costs more than a small UNet step) and the text embedding of every caption and of
 * the empty caption. A window is cut from the cached latents along time, at whole latent columns.
 *
 * <p>Randomness: the crop, the caption dropout and the timestep of example {@code i} in epoch
 * {@code e} come from a generator seeded with (seed, e, i); the noise from libtorch's generator,
 * which the loop seeds per step. A resumed run therefore draws exactly what an uninterrupted run
 * draws.
 */
public final class GeneratorTask implements TrainingTask<List<Path>> {

    /** The checkpoint file of a LoRA run's raw (unscaled) adapter weights. */
    static final String LORA_STATE = "lora_state.safetensors";

    /** Where the text encoder's trainable parameters sit among the task's. */
    static final String TEXT_PREFIX = "text_encoder.";

    private final GeneratorTrainingConfig config;
    private final boolean gradientCheckpointing;
    private final SpectrogramImageFolder data;
    private final Path out;

    private StableDiffusionPipeline pipeline;
    private LoraLayers lora;
    private LoraLayers textLora;
    private NoiseSchedule schedule;
    private DiffusionObjective objective;
    private final List<NDArray> latents = new ArrayList<>();
    private final Map<String, NDArray> captions = new LinkedHashMap<>();
    private int latentWidth;

    public GeneratorTask(GeneratorTrainingConfig config, SpectrogramImageFolder data, Path out) {
        this(config, data, out, false);
    }

    /**
     * A task that, with {@code gradientCheckpointing}, keeps only the UNet's states between its
     * resnets and attentions and recomputes the rest during the backward pass (less memory, about a
     * third more time; the same gradients, so not part of the run's identity).
     */
    public GeneratorTask(
            GeneratorTrainingConfig config,
            SpectrogramImageFolder data,
            Path out,
            boolean gradientCheckpointing) {
        this.gradientCheckpointing = gradientCheckpointing;
        this.config = config;
        this.data = data;
        this.out = out;
    }

    @Override
    public int exampleCount() {
        return data.size();
    }

    @Override
    public void initialize(NDManager root) throws IOException {
        prepare(root);
    }

    /** Loads the pipeline, freezes it, attaches adapters and computes the frozen inputs. */
    private void prepare(NDManager root) throws IOException {
        int height = data.items().get(0).height();
        StableDiffusionPipeline loaded =
                config.preset() != null
                        ? config.preset()
                                .build(
                                        List.copyOf(data.captions()),
                                        height,
                                        Seeds.mix(config.train().seed(), -2),
                                        root)
                        : PipelineFolder.load(config.init(), root);
        JsonObject scheduler = loaded.schedulerConfig();
        if (config.predictionType() != null) {
            // Written into the saved scheduler config, so generation reads the new objective.
            scheduler.addProperty("prediction_type", config.predictionType());
        }
        PixelNormalization norm = loaded.pixelNormalization();
        if (config.preset() != null) {
            PixelNormalization.Fit fit = new PixelNormalization.Fit(3, height);
            for (SpectrogramImageFolder.Item item : data.items()) {
                fit.add(SpectrogramImageFolder.window(item, 0, item.width())); // pixel space
            }
            norm = fit.result();
            if (scheduler.has("clip_sample")) {
                // Normalised samples reach past ±1: clipping (DDIM's, DDPM's) must allow them.
                scheduler.addProperty("clip_sample_range", norm.range());
            }
        }
        pipeline =
                new StableDiffusionPipeline(
                        loaded.tokenizer(),
                        loaded.textEncoder(),
                        loaded.unet(),
                        loaded.vae(),
                        norm,
                        scheduler,
                        root.newSubManager());
        SchedulerConfig forward = Schedulers.DDPM.config(scheduler);
        schedule = NoiseSchedule.of(forward);
        objective =
                new DiffusionObjective(
                        forward.predictionType(), config.snrGamma(), config.noiseOffset());
        int f = pipeline.pixelsPerLatent();
        pipeline.latentShape(config.width(), height);
        data.checkFits(config.width(), height);
        latentWidth = config.width() / f;
        if (pipeline.vae() != null) {
            freeze(pipeline.vae());
        }
        if (!config.trainTextEncoder() || config.loraRank() > 0) {
            freeze(pipeline.textEncoder());
        }
        if (config.loraRank() > 0) {
            freeze(pipeline.unet());
            lora = adapters(pipeline.unet(), LoraLayers.Component.UNET, root);
            if (config.trainTextEncoder()) {
                textLora =
                        adapters(pipeline.textEncoder(), LoraLayers.Component.TEXT_ENCODER, root);
            }
        }
        if (!config.trainTextEncoder()) {
            // A frozen encoder gives every caption the same context: compute each once.
            encodeCaptions(root);
        }
        encodeImages(root);
    }

    /** The width of image {@code i} the model uses: whole latent cells. */
    private int widthOf(int i) {
        int f = pipeline.pixelsPerLatent();
        return data.items().get(i).width() / f * f;
    }

    private LoraLayers adapters(Block model, LoraLayers.Component c, NDManager root) {
        return LoraLayers.attach(model, c, config.loraRank(), config.loraAlpha(), root);
    }

    private static void freeze(Block block) {
        for (Parameter p : StateDict.parameters(block).values()) {
            p.getArray().setRequiresGradient(false);
        }
    }

    private void encodeCaptions(NDManager root) {
        List<String> all = new ArrayList<>();
        all.add("");
        data.items().forEach(i -> all.add(i.caption()));
        for (String c : all) {
            if (!captions.containsKey(c)) {
                NDArray context = pipeline.encodePrompt(c, "", 1.0, root).context();
                captions.put(c, context);
            }
        }
    }

    /**
     * The UNet's input for every image: a pixel-space model's pixels normalised, or the VAE
     * latents, cached on disk.
     */
    private void encodeImages(NDManager root) throws IOException {
        AutoencoderKL vae = pipeline.vae();
        Path cache = vae == null ? null : out.resolve(".latents").resolve(vaeKey());
        for (int i = 0; i < data.size(); i++) {
            SpectrogramImageFolder.Item item = data.items().get(i);
            Shape shape = new Shape(1, 3, item.height(), widthOf(i));
            if (vae == null) {
                float[] px = SpectrogramImageFolder.window(item, 0, widthOf(i));
                try (NDManager scratch = root.newSubManager()) {
                    NDArray lat =
                            pipeline.pixelNormalization()
                                    .normalize(Tensors.of(scratch, px, shape))
                                    .duplicate();
                    lat.attach(root);
                    latents.add(lat);
                }
                continue;
            }
            Path cached = cache.resolve(sha16(item) + ".safetensors");
            NDArray lat = null;
            if (Files.isRegularFile(cached)) {
                try (NDManager scratch = root.newSubManager()) {
                    NDArray read = SafetensorsFile.read(cached, scratch).get("latents");
                    if (read != null) {
                        lat = read.duplicate();
                        lat.attach(root);
                    }
                } catch (IOException | RuntimeException e) {
                    lat = null; // a cache file cut short: encode again
                }
            }
            if (lat == null) {
                float[] px = SpectrogramImageFolder.window(item, 0, widthOf(i));
                try (NDManager scratch = root.newSubManager()) {
                    NDArray encoded =
                            vae.encodeMean(scratch, Tensors.of(scratch, px, shape))
                                    .mul(vae.scalingFactor());
                    lat = encoded.duplicate();
                    lat.attach(root);
                }
                Files.createDirectories(cached.getParent());
                SafetensorsWriter.write(cached, Map.of("latents", lat));
            }
            latents.add(lat);
        }
    }

    /** What identifies the VAE's weights: a hash of its config and weights files. */
    private String vaeKey() throws IOException {
        Path dir = config.init().resolve(PipelineFolder.VAE);
        MessageDigest md = sha256();
        md.update(Files.readAllBytes(DiffusersFolders.config(dir)));
        hashFile(md, DiffusersFolders.weights(dir));
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    /** The first 16 hex of the SHA-256 of the image's bytes, whether in a file or a Parquet row. */
    private static String sha16(SpectrogramImageFolder.Item item) throws IOException {
        if (item.row() == null) {
            return MediaLayout.sha256Hex(item.file()).substring(0, 16);
        }
        return HexFormat.of().formatHex(sha256().digest(item.bytes())).substring(0, 16);
    }

    private static void hashFile(MessageDigest md, Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void load(Path checkpoint, NDManager root) throws IOException {
        prepare(root);
        if (lora != null) {
            try (NDManager scratch = root.newSubManager()) {
                Map<String, NDArray> raw =
                        SafetensorsFile.read(checkpoint.resolve(LORA_STATE), scratch);
                Map<String, Parameter> params = parameters();
                if (!raw.keySet().equals(params.keySet())) {
                    throw new IOException(
                            checkpoint
                                    + ": its LoRA weights do not match --lora-rank's layers"
                                    + " (and --train-text-encoder's)");
                }
                for (Map.Entry<String, Parameter> e : params.entrySet()) {
                    StateDict.assign(e.getValue(), raw.get(e.getKey()), root, DataType.FLOAT32);
                }
            }
            return;
        }
        DiffusersFolders.loadWeights(
                checkpoint.resolve(PipelineFolder.UNET), pipeline.unet(), LoadRules.strict(), root);
        if (config.trainTextEncoder()) {
            Path text = checkpoint.resolve(PipelineFolder.TEXT_ENCODER);
            if (!Files.isDirectory(text)) {
                throw new IOException(
                        checkpoint
                                + ": holds no text encoder; it was not saved with"
                                + " --train-text-encoder");
            }
            CLIPTextCheckpoints.loadWeights(text, pipeline.textEncoder(), root);
        }
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out =
                new LinkedHashMap<>(
                        lora != null ? lora.parameters() : StateDict.parameters(pipeline.unet()));
        if (config.trainTextEncoder()) {
            // Under their component's prefix: UNet and text encoder paths may coincide.
            Map<String, Parameter> text =
                    textLora != null
                            ? textLora.parameters()
                            : StateDict.parameters(pipeline.textEncoder());
            text.forEach((k, p) -> out.put(TEXT_PREFIX + k, p));
        }
        return out;
    }

    @Override
    public NDArray loss(
            int[] indices, long epoch, NDManager step, GradientCheckpoints checkpoints) {
        int b = indices.length;
        NDList windows = new NDList(b);
        NDList contexts = new NDList(b);
        int[] t = new int[b];
        double[] td = new double[b];
        for (int i = 0; i < b; i++) {
            SplittableRandom r =
                    new SplittableRandom(Seeds.mix(config.train().seed(), epoch, indices[i]));
            NDArray lat = latents.get(indices[i]);
            long slack = lat.getShape().get(3) - latentWidth;
            long start = config.centreCrop() ? slack / 2 : r.nextLong(slack + 1);
            // A view of the cached latents, freed with the step.
            windows.add(lat.get(step, new NDIndex(":, :, :, {}:{}", start, start + latentWidth)));
            boolean drop = r.nextDouble() < config.captionDropout();
            String caption = drop ? "" : data.items().get(indices[i]).caption();
            contexts.add(
                    config.trainTextEncoder()
                            ? pipeline.encodePrompt(caption, "", 1.0, step).context()
                            : captions.get(caption));
            t[i] = r.nextInt(schedule.size());
            td[i] = t[i];
        }
        NDArray x0 = b == 1 ? windows.get(0).duplicate() : NDArrays.concat(windows, 0);
        x0.attach(step);
        // Copies of cached arrays (a batch of one duplicated, so the cache itself never moves),
        // made in their manager: freed with the step instead.
        NDArray context = b == 1 ? contexts.get(0).duplicate() : NDArrays.concat(contexts, 0);
        context.attach(step);
        NDArray noise = step.randomNormal(x0.getShape());
        if (config.noiseOffset() > 0) {
            noise = objective.noise(noise, objective.drawOffset(step, x0.getShape()));
        }
        NDArray noisy = schedule.addNoise(x0, noise, td);
        NDArray timesteps = Tensors.of(step, t, new Shape(t.length));
        NDArray prediction =
                pipeline.unet()
                        .run(
                                new ParameterStore(step, false),
                                noisy,
                                timesteps,
                                context,
                                true,
                                null,
                                gradientCheckpointing ? checkpoints : null);
        NDArray target = objective.target(schedule, x0, noise, td);
        return objective.loss(prediction, target, objective.lossWeights(schedule, t));
    }

    @Override
    public boolean validatesWithEma() {
        return true;
    }

    @Override
    public List<Path> validate(NDManager root, long step) throws IOException {
        if (config.validationPrompts().isEmpty()) {
            return null;
        }
        Path dir = out.resolve("validation").resolve("step-" + step);
        Files.createDirectories(dir);
        SpectrogramParams params = dataFormat();
        SpectrogramConverter converter = new SpectrogramConverter(params);
        List<Path> written = new ArrayList<>();
        int height = data.items().get(0).height();
        for (int i = 0; i < config.validationPrompts().size(); i++) {
            String prompt = config.validationPrompts().get(i);
            GenerationRequest request =
                    new GenerationRequest(
                            prompt,
                            "",
                            config.validationGuidance(),
                            config.validationSteps(),
                            config.train().seed() + i,
                            config.width(),
                            height,
                            null,
                            1);
            GeneratedImage image = pipeline.generate(request, GenerationProgress.NONE, root).get(0);
            String stem = String.format(Locale.ROOT, "%02d-%s", i, slug(prompt));
            Path png = dir.resolve(stem + ".png");
            SpectrogramImageIO.write(
                    png, image.image(), params, SpectrogramImage.DEFAULT_MAX_VALUE);
            Path wav = dir.resolve(stem + ".wav");
            WavWriter.write(
                    wav,
                    converter.audioFromSpectrogram(
                            SpectrogramImage.toSpectrogram(
                                    image.image(), params, SpectrogramImage.DEFAULT_MAX_VALUE),
                            request.seed()));
            written.add(out.relativize(png));
            written.add(out.relativize(wav));
        }
        return written;
    }

    /**
     * The spectrogram format of the training images: their EXIF parameters, with as many mel bins
     * as they have rows.
     */
    private SpectrogramParams dataFormat() throws IOException {
        SpectrogramImageFolder.Item first = data.items().get(0);
        if (first.row() == null) {
            return SpectrogramImageIO.read(first.file())
                    .params()
                    .withNumFrequencies(first.height());
        }
        try {
            return SpectrogramExif.params(SpectrogramImageIO.readTags(first.bytes(), first.where()))
                    .withNumFrequencies(first.height());
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    first.where() + ": EXIF spectrogram parameters: " + e.getMessage(), e);
        }
    }

    private static String slug(String prompt) {
        String s = prompt.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "unconditional" : s.substring(0, Math.min(40, s.length()));
    }

    @Override
    public double score(List<Path> validation) {
        return Double.NaN;
    }

    @Override
    public JsonObject toJson(List<Path> validation) {
        return samplesJson(validation);
    }

    /** Validation files as the {@code validation} object of a metrics line. */
    static JsonObject samplesJson(List<Path> validation) {
        JsonObject o = new JsonObject();
        JsonArray files = new JsonArray();
        validation.forEach(p -> files.add(p.toString()));
        o.add("samples", files);
        return o;
    }

    @Override
    public void saveModel(Path dir) throws IOException {
        if (lora != null) {
            LoraLayers.save(
                    dir.resolve(LoraLayers.FILE),
                    textLora == null ? List.of(lora) : List.of(lora, textLora));
        } else {
            PipelineFolder.write(pipeline, dir);
            // Generation samples and inverts at the format the model learnt.
            SpectrogramFormatFile.write(dir, dataFormat());
        }
    }

    @Override
    public void saveCheckpoint(Path dir) throws IOException {
        if (lora != null) {
            Map<String, NDArray> raw = new LinkedHashMap<>();
            parameters().forEach((k, p) -> raw.put(k, p.getArray()));
            SafetensorsWriter.write(dir.resolve(LORA_STATE), raw);
        } else {
            UNetCheckpoints.save(pipeline.unet(), dir.resolve(PipelineFolder.UNET));
            if (config.trainTextEncoder()) {
                CLIPTextCheckpoints.save(
                        pipeline.textEncoder(), dir.resolve(PipelineFolder.TEXT_ENCODER));
            }
        }
    }

    @Override
    public JsonObject provenance() {
        JsonObject o = new JsonObject();
        o.add("config", config.toJson());
        o.addProperty("seed", config.train().seed());
        JsonObject d = new JsonObject();
        d.addProperty("fingerprint", dataFingerprint());
        d.addProperty("images", data.size());
        JsonArray caps = new JsonArray();
        data.captions().forEach(caps::add);
        d.add("captions", caps);
        o.add("data", d);
        if (config.init() != null) {
            o.addProperty("init_fingerprint", initFingerprint());
        }
        o.addProperty("code_version", "image2music 0.1.0");
        return o;
    }

    /** Names, sizes and captions of the training images: changes when the data does. */
    private String dataFingerprint() {
        MessageDigest md = sha256();
        for (SpectrogramImageFolder.Item i : data.items()) {
            try {
                md.update(
                        (data.dir().relativize(i.file())
                                        + "\t"
                                        + i.size()
                                        + "\t"
                                        + i.caption()
                                        + "\n")
                                .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    /** Every file of the init folder by relative path and size. */
    private String initFingerprint() {
        MessageDigest md = sha256();
        try (Stream<Path> files = Files.walk(config.init())) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                md.update(
                        (config.init().relativize(p) + "\t" + Files.size(p) + "\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    /** The pipeline being trained (for tests and benchmarks). */
    public StableDiffusionPipeline pipeline() {
        return pipeline;
    }

    /** The adapters of a LoRA run, or null. */
    public LoraLayers lora() {
        return lora;
    }
}
