package image2music.app.cli;

import image2music.app.cli.audio.AudioToImageCommand;
import image2music.app.cli.audio.ImageToAudioCommand;
import image2music.app.cli.audio.PlotSpectrogramCommand;
import image2music.app.cli.audio.PrintExifCommand;
import image2music.app.cli.audio.SampleClipsCommand;
import image2music.app.cli.bench.BenchAudioCommand;
import image2music.app.cli.bench.BenchDiffusionCommand;
import image2music.app.cli.bench.BenchModelsCommand;
import image2music.app.cli.data.BuildDatasetCommand;
import image2music.app.cli.data.ImportAudioCommand;
import image2music.app.cli.data.ImportImagesCommand;
import image2music.app.cli.data.ScrapeAudioCommand;
import image2music.app.cli.data.ScrapeImagesCommand;
import image2music.app.cli.data.SynthCorpusCommand;
import image2music.app.cli.evaluate.EvaluateCommand;
import image2music.app.cli.generate.AudioToAudioCommand;
import image2music.app.cli.generate.ImageToMusicCommand;
import image2music.app.cli.generate.InterpolateCommand;
import image2music.app.cli.generate.TagCommand;
import image2music.app.cli.generate.TextToAudioCommand;
import image2music.app.cli.generate.TokenizeCommand;
import image2music.app.cli.serve.ServeCommand;
import image2music.app.cli.train.TrainGeneratorCommand;
import image2music.app.cli.train.TrainTaggerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code image2music} command: one subcommand per pipeline verb. */
@Command(
        name = "image2music",
        mixinStandardHelpOptions = true,
        version = "image2music 0.1.0",
        description = "Turns pictures into music: spectrogram tools, datasets, models.",
        subcommands = {
            DemoCommand.class,
            ScrapeImagesCommand.class,
            ScrapeAudioCommand.class,
            ImportImagesCommand.class,
            ImportAudioCommand.class,
            SynthCorpusCommand.class,
            BuildDatasetCommand.class,
            TagCommand.class,
            TrainTaggerCommand.class,
            TrainGeneratorCommand.class,
            EvaluateCommand.class,
            AudioToImageCommand.class,
            ImageToAudioCommand.class,
            PrintExifCommand.class,
            SampleClipsCommand.class,
            PlotSpectrogramCommand.class,
            TokenizeCommand.class,
            BenchAudioCommand.class,
            BenchModelsCommand.class,
            BenchDiffusionCommand.class,
            TextToAudioCommand.class,
            ImageToMusicCommand.class,
            ServeCommand.class,
            AudioToAudioCommand.class,
            InterpolateCommand.class,
            HelpCommand.class
        })
public final class Main implements Runnable {

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Log progress details and print stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the configured command line; tests call this to run verbs in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }

    public static void main(String[] args) {
        LogSetup.configure(java.util.Arrays.asList(args).contains("--verbose"));
        System.exit(commandLine().execute(args));
    }
}
