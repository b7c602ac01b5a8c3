package image2music.models.diffusion.pipeline;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import image2music.core.io.AtomicFiles;
import image2music.models.clip.CLIPTextCheckpoints;
import image2music.models.clip.CLIPTextModel;
import image2music.models.clip.CLIPTokenizer;
import image2music.models.diffusion.AutoencoderKL;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.UNetCheckpoints;
import image2music.models.diffusion.VaeCheckpoints;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads and saves a {@link StableDiffusionPipeline} as a diffusers pipeline folder: {@code
 * model_index.json}, {@code unet/}, {@code vae/} (absent for a pixel-space model), {@code
 * text_encoder/}, {@code tokenizer/} and {@code scheduler/scheduler_config.json}. Weights load from
 * safetensors or PyTorch {@code .bin} files, F32, F16 or BF16, as F32; other components a published
 * folder has ({@code safety_checker/}, {@code feature_extractor/}) are ignored. Saving writes
 * safetensors.
 */
public final class PipelineFolder {

    public static final String UNET = "unet";
    public static final String VAE = "vae";
    public static final String TEXT_ENCODER = "text_encoder";
    public static final String TOKENIZER = "tokenizer";
    public static final String SCHEDULER = "scheduler";
    public static final String SCHEDULER_CONFIG = "scheduler_config.json";

    private static final Map<String, List<String>> EXPECTED_CLASSES =
            Map.of(
                    UNET, List.of("UNet2DConditionModel"),
                    VAE, List.of("AutoencoderKL"),
                    TEXT_ENCODER, List.of("CLIPTextModel"),
                    TOKENIZER, List.of("CLIPTokenizer", "CLIPTokenizerFast"));

    private PipelineFolder() {}

    /**
     * Loads the pipeline in {@code dir}, its weights in a sub-manager of {@code manager}.
     *
     * @throws IOException naming the missing or unreadable file, or the component that does not fit
     */
    public static StableDiffusionPipeline load(Path dir, NDManager manager) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such model folder");
        }
        Path indexFile = dir.resolve(PipelineIndex.FILE);
        if (!Files.isRegularFile(indexFile)) {
            throw new NoSuchFileException(
                    indexFile.toString(), null, "missing (not a diffusers pipeline folder)");
        }
        PipelineIndex index = PipelineIndex.read(indexFile);
        for (String c : List.of(UNET, TEXT_ENCODER, TOKENIZER, SCHEDULER)) {
            require(index, indexFile, c);
        }
        if (!index.has(VAE) && !index.pixelSpace()) {
            throw new IOException(
                    indexFile
                            + ": lists no vae and is not marked \""
                            + PipelineIndex.PIXEL_FLAG
                            + "\": true");
        }
        NDManager weights = manager.newSubManager();
        try {
            CLIPTokenizer tokenizer = CLIPTokenizer.load(dir.resolve(TOKENIZER));
            CLIPTextModel text = CLIPTextCheckpoints.load(dir.resolve(TEXT_ENCODER), weights);
            UNet2DConditionModel unet = UNetCheckpoints.load(dir.resolve(UNET), weights);
            AutoencoderKL vae =
                    index.has(VAE) ? VaeCheckpoints.load(dir.resolve(VAE), weights) : null;
            Path schedulerFile = dir.resolve(SCHEDULER).resolve(SCHEDULER_CONFIG);
            if (!Files.isRegularFile(schedulerFile)) {
                throw new NoSuchFileException(schedulerFile.toString(), null, "missing file");
            }
            JsonObject scheduler = HfConfigs.read(schedulerFile);
            try {
                return new StableDiffusionPipeline(
                        tokenizer, text, unet, vae, index.pixelNormalization(), scheduler, weights);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IOException(dir + ": components do not fit: " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static void require(PipelineIndex index, Path indexFile, String component)
            throws IOException {
        if (!index.has(component)) {
            throw new IOException(indexFile + ": lists no " + component + " component");
        }
        List<String> ok = EXPECTED_CLASSES.get(component);
        String cls = index.components().get(component).get(1);
        if (ok != null && !ok.contains(cls)) {
            throw new IOException(
                    indexFile + ": component " + component + " is a " + cls + ", expected " + ok);
        }
    }

    /**
     * Writes {@code pipeline} to {@code dir} (which must not exist or be empty) in diffusers'
     * layout with safetensors weights. The folder is assembled beside {@code dir} and renamed, so
     * no half-written pipeline is left under its name.
     */
    public static void save(StableDiffusionPipeline pipeline, Path dir) throws IOException {
        Path target = dir.toAbsolutePath();
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(target + ": exists and is not empty");
                }
            }
            Files.delete(target);
        }
        AtomicFiles.writeFolder(target, tmp -> write(pipeline, tmp));
    }

    /**
     * Writes {@code pipeline}'s components (model_index.json, unet/, vae/, text_encoder/,
     * tokenizer/, scheduler/) into the existing folder {@code dir}, each file atomically, beside
     * whatever else the folder holds (a training run's checkpoints, metrics).
     */
    public static void write(StableDiffusionPipeline pipeline, Path dir) throws IOException {
        JsonObject sched = pipeline.schedulerConfig();
        String schedulerClass = pipeline.schedulerClass(null);
        PipelineIndex.of(pipeline.vae() == null, pipeline.pixelNormalization(), schedulerClass)
                .write(dir.resolve(PipelineIndex.FILE));
        UNetCheckpoints.save(pipeline.unet(), dir.resolve(UNET));
        if (pipeline.vae() != null) {
            VaeCheckpoints.save(pipeline.vae(), dir.resolve(VAE));
        }
        CLIPTextCheckpoints.save(pipeline.textEncoder(), dir.resolve(TEXT_ENCODER));
        pipeline.tokenizer().save(dir.resolve(TOKENIZER));
        Files.createDirectories(dir.resolve(SCHEDULER));
        HfConfigs.write(dir.resolve(SCHEDULER).resolve(SCHEDULER_CONFIG), sched);
    }
}
