package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import image2music.models.diffusion.lora.LoraLayers;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads the generator every use case runs: a pipeline folder with its LoRAs merged in. */
final class Generators {

    private Generators() {}

    /**
     * The pipeline of {@code model} with every LoRA of {@code loras} folded into its UNet (and its
     * text encoder, where a file holds adapters for it), in order.
     *
     * @throws IOException naming a LoRA file that is missing, unreadable or does not fit the model
     */
    static StableDiffusionPipeline load(Path model, List<LoraWeights> loras, NDManager m)
            throws IOException {
        for (LoraWeights l : loras) {
            if (!Files.isRegularFile(l.file())) {
                throw new IOException(l.file() + ": no such LoRA file");
            }
        }
        StableDiffusionPipeline pipeline = PipelineFolder.load(model, m);
        try {
            for (LoraWeights l : loras) {
                boolean any = false;
                for (LoraLayers.Component c : LoraLayers.Component.values()) {
                    var target =
                            c == LoraLayers.Component.UNET
                                    ? pipeline.unet()
                                    : pipeline.textEncoder();
                    if (LoraLayers.holds(l.file(), c)) {
                        LoraLayers.load(l.file(), target, c, l.scale(), m).merge();
                        any = true;
                    }
                }
                if (!any) {
                    throw new IOException(
                            l.file() + ": holds no unet or text_encoder LoRA weights");
                }
            }
            return pipeline;
        } catch (IOException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }
}
