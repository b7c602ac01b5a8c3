package image2music.app.cli;

import image2music.models.nn.Engines;
import picocli.CommandLine.Option;

/** The {@code --threads} option of verbs that run models, and the engine start-up it drives. */
public final class EngineOptions {

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "CPU threads for tensor maths (default: all cores).")
    int threads;

    /** Starts DJL's engine with these options; quiet unless the CLI runs with --verbose. */
    public void start() {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
        }
        Engines.configure(new Engines.Settings(threads, LogSetup.verbose(), true));
    }
}
