package image2music.app.cli.serve;

import image2music.app.cli.EngineOptions;
import image2music.app.web.Jobs;
import image2music.app.web.ServerSettings;
import image2music.app.web.WebServer;
import image2music.core.io.FileTrees;
import image2music.pipeline.InvalidRequestException;
import image2music.pipeline.NativeWidth;
import image2music.pipeline.demo.DemoModels;
import image2music.pipeline.live.LiveGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: the web app. Loads the tagger and generator once, serves the page and the JSON API
 * ({@link WebServer}) until interrupted, then cancels what runs and deletes the job files it wrote.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the web app: drop a picture, hear its music, let it play on.",
            "Binds 127.0.0.1 unless --host says otherwise; stops on Ctrl-C."
        })
public final class ServeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "ADDR",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host = ServerSettings.DEFAULT_HOST;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = ServerSettings.DEFAULT_PORT;

    @Option(
            names = "--tagger",
            paramLabel = "DIR",
            description = "ViT tagger folder (default: the demo's, demo-output/models/tagger).")
    Path tagger;

    @Option(
            names = "--generator",
            paramLabel = "DIR",
            description =
                    "Stable Diffusion pipeline folder (default: the demo's,"
                            + " demo-output/models/generator).")
    Path generator;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Where job files go (default: a new temporary folder, deleted on exit).")
    Path work;

    @Option(
            names = "--steps",
            paramLabel = "N",
            description = "Denoising steps per clip (default: ${DEFAULT-VALUE}).")
    int steps = ServerSettings.DEFAULT_STEPS;

    @Option(
            names = "--width",
            paramLabel = "PX",
            description =
                    "Clip width in pixels, a multiple of 8 (default: the width the generator was"
                            + " trained at; 512 = 5.11 s).")
    Integer width;

    @Option(
            names = "--max-seconds",
            paramLabel = "S",
            description = "Longest stretch one request may ask for (default: ${DEFAULT-VALUE}).")
    double maxSeconds = 60;

    @Option(
            names = "--max-upload",
            paramLabel = "BYTES",
            description = "Largest upload accepted (default: ${DEFAULT-VALUE}).")
    long maxUpload = ServerSettings.DEFAULT_MAX_UPLOAD_BYTES;

    @Option(
            names = "--queue",
            paramLabel = "N",
            description = "Jobs that may wait; more get 429 (default: ${DEFAULT-VALUE}).")
    int queue = ServerSettings.DEFAULT_QUEUE;

    @Option(
            names = "--generators",
            paramLabel = "N",
            description =
                    "Generations at once, each with its own copy of the models (default:"
                            + " ${DEFAULT-VALUE}).")
    int generators = 1;

    @Option(
            names = "--keep-minutes",
            paramLabel = "M",
            description =
                    "How long finished jobs and their files are kept (default: ${DEFAULT-VALUE}).")
    long keepMinutes = 60;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServerSettings checked = settings();
        engine.start();
        boolean ownWork = work == null;
        Path dir = ownWork ? Files.createTempDirectory("image2music-serve") : work;
        ServerSettings settings = checked.withWork(dir);
        List<LiveGenerator> models = new ArrayList<>();
        WebServer server;
        try {
            for (int i = 0; i < generators; i++) {
                models.add(LiveGenerator.open(tagger, generator));
            }
            server = WebServer.start(settings, new Jobs(settings, models));
        } catch (IOException | RuntimeException e) {
            models.forEach(LiveGenerator::close);
            if (ownWork) {
                deleteQuietly(dir);
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    if (ownWork) {
                                        deleteQuietly(dir);
                                    }
                                    stopped.countDown();
                                }));
        PrintWriter out = spec.commandLine().getOut();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        out.printf("image2music: serving http://%s:%d/ (Ctrl-C stops)%n", shown, server.port());
        out.flush();
        stopped.await();
        return 0;
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            // The JVM is exiting; a temporary folder left behind is all that can happen.
        }
    }

    /** The options checked, the demo's models where none are given. */
    private ServerSettings settings() throws IOException {
        DemoModels models = DemoModels.orDefault(tagger, generator);
        tagger = models.tagger();
        generator = models.generator();
        ServerSettings d = ServerSettings.defaults(Path.of("."));
        try {
            return new ServerSettings(
                    host,
                    port,
                    d.work(),
                    maxUpload,
                    d.maxPixels(),
                    queue,
                    generators,
                    Duration.ofMinutes(keepMinutes),
                    d.abandonAfter(),
                    maxSeconds,
                    steps,
                    d.guidance(),
                    width != null ? width : NativeWidth.of(generator),
                    d.morphClips());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}
