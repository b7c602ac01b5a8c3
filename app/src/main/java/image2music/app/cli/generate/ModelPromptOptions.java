package image2music.app.cli.generate;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --prompt} of the verbs that run one generator on one prompt. */
public final class ModelPromptOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Pipeline.")
    Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Prompt.")
    String prompt;
}
