package image2music.app.cli.generate;

import image2music.models.diffusion.pipeline.GenerationProgress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar on stderr per generated image (or clip), advanced after each denoising step; the
 * bar is named {@code "<noun> i/n"} when there are several.
 */
public final class StepProgressBars implements GenerationProgress, AutoCloseable {

    private final int images;
    private final String noun;
    private ProgressBar bar;
    private int image = -1;

    /**
     * @param images how many images will report
     * @param noun what one of them is called in the bar ("image", "clip")
     */
    StepProgressBars(int images, String noun) {
        this.images = images;
        this.noun = noun;
    }

    @Override
    public void stepDone(int index, int step, int total) {
        if (index != image) {
            close();
            image = index;
            bar =
                    new ProgressBarBuilder()
                            .setTaskName(
                                    images == 1
                                            ? "denoising"
                                            : noun + " " + (index + 1) + "/" + images)
                            .setInitialMax(total)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setConsumer(
                                    new ConsoleProgressBarConsumer(
                                            new PrintStream(System.err, true)))
                            .setUpdateIntervalMillis(250)
                            .build();
        }
        bar.stepTo(step);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
