package image2music.app.cli;

import image2music.pipeline.demo.DemoRequest;
import image2music.pipeline.demo.DemoResult;
import image2music.pipeline.demo.DemoService;
import image2music.pipeline.progress.Cancellation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the end-to-end offline demo ({@link DemoService}): a synthetic mood corpus, both
 * models trained on it, music for held-out pictures and {@code report.html}.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Picture to music, offline: synth-corpus -> build-dataset -> train-tagger ->"
                    + " train-generator --preset tiny -> image-to-music for held-out pictures ->"
                    + " DIR/report.html and DIR/demo.json.",
            "Each stage is skipped when an earlier run completed it; --quick takes about a minute"
                    + " on two cores."
        })
public final class DemoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "demo-output",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--quick",
            description = "Small corpus, few training and denoising steps (about a minute).")
    boolean quick;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "" + DemoRequest.DEFAULT_SEED,
            description = "Corpus, held-out choice, training and sampling seed.")
    long seed;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        engine.start();
        PrintWriter o = spec.commandLine().getOut();
        o.println(
                "image2music demo"
                        + (quick ? " (quick)" : "")
                        + ": a synthetic mood corpus, both models trained on it, and music for"
                        + " pictures the tagger never saw, in "
                        + out);
        o.flush();
        DemoResult r =
                new DemoService(
                                e -> {
                                    o.println(e.describe());
                                    o.flush();
                                },
                                new Cancellation())
                        .run(new DemoRequest(out, quick, seed));
        o.println("Report: " + r.report());
        o.println("Your own picture with the trained models:");
        o.println("  " + r.command());
        o.flush();
        return 0;
    }
}
