package image2music.app.cli.generate;

import image2music.pipeline.TextToMusicRequest;
import image2music.pipeline.TextToMusicService;
import image2music.pipeline.progress.Cancellation;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code text-to-audio}: a prompt to Riffusion spectrogram images with a diffusers pipeline folder,
 * then to audio ({@link TextToMusicService}). Writes {@code X.wav}, {@code X.png} (with the
 * spectrogram EXIF tags) and {@code X.json} (everything needed to reproduce it); a batch writes
 * {@code X-000.wav}, {@code X-001.wav}, …. With {@code --seconds}, each result is one continuous
 * piece of that length, made clip by clip. Nothing is written until every image is generated.
 */
@Command(
        name = "text-to-audio",
        mixinStandardHelpOptions = true,
        description = {
            "Generates spectrogram images for a prompt with a Stable Diffusion pipeline folder"
                    + " (riffusion-model-v1 or our own) and turns them into audio.",
            "With --seconds longer than one clip, clips are generated left to right, each"
                    + " continuing the last (outpainting over --overlap), and joined into one"
                    + " piece inverted once.",
            "Full-size SD-1.5 runs on a CPU but slowly (about ten seconds or more per guided"
                    + " denoising step on 2 cores; PyTorch itself takes 9 s): a progress bar shows"
                    + " each step."
        })
public final class TextToAudioCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ModelPromptOptions generator;

    @Mixin MusicOptions music;

    @Override
    public Integer call() throws IOException {
        TextToMusicRequest request =
                new TextToMusicRequest(generator.prompt, music.settings(generator.model));
        music.diffusion.engine.start();
        try (ProgressPrinter progress =
                new ProgressPrinter(spec.commandLine().getOut(), spec.commandLine().getErr())) {
            new TextToMusicService(progress, new Cancellation()).run(request);
        }
        return 0;
    }
}
