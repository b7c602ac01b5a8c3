package image2music.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.models.diffusion.AutoencoderKLConfig;
import image2music.models.diffusion.DiffusersFolders;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a generator makes best in one clip: the width it learnt at. */
public final class NativeWidth {

    private NativeWidth() {}

    /**
     * The generator's native clip width in pixels: the width it was trained at when its {@code
     * training_provenance.json} says (our trainers write it), else its UNet's sample size on the
     * pixel grid (diffusers' convention for the training resolution).
     */
    public static int of(Path generator) throws IOException {
        Path provenance = generator.resolve(Checkpoints.PROVENANCE);
        if (Files.isRegularFile(provenance) && Files.size(provenance) < 1 << 20) {
            try {
                JsonObject config =
                        JsonParser.parseString(Files.readString(provenance))
                                .getAsJsonObject()
                                .getAsJsonObject("config");
                if (config != null && config.has("width") && config.get("width").getAsInt() > 0) {
                    return config.get("width").getAsInt();
                }
            } catch (RuntimeException e) {
                throw new IOException(
                        provenance + ": not a training provenance file: " + e.getMessage(), e);
            }
        }
        UNet2DConditionConfig unet =
                UNet2DConditionConfig.read(
                        DiffusersFolders.config(generator.resolve(PipelineFolder.UNET)));
        Path vae = generator.resolve(PipelineFolder.VAE);
        int perLatent = 1;
        if (Files.isDirectory(vae)) {
            perLatent =
                    1
                            << (AutoencoderKLConfig.read(DiffusersFolders.config(vae))
                                            .blockOutChannels()
                                            .size()
                                    - 1);
        }
        return unet.sampleSize() * perLatent;
    }
}
