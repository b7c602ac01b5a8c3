package image2music.pipeline.demo;

import java.nio.file.Path;

/**
 * The end-to-end offline demo.
 *
 * @param out the demo folder: corpus, dataset, models, clips, report.html and demo.json
 * @param quick a small corpus and few training and denoising steps (about a minute on two cores)
 * @param seed the corpus, the held-out choice, training and sampling seed
 */
public record DemoRequest(Path out, boolean quick, long seed) {

    /** The demo folder when none is given, relative to the working directory. */
    public static final Path DEFAULT_OUT = Path.of("demo-output");

    /** The default seed. */
    public static final long DEFAULT_SEED = 42;

    public DemoRequest {
        if (out == null) {
            throw new IllegalArgumentException("the demo needs an output folder");
        }
    }
}
