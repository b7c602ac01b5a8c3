package image2music.app.cli.data;

import image2music.data.synth.MoodProfile;
import image2music.data.synth.SynthCorpusParams;
import image2music.data.synth.SyntheticCorpus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code synth-corpus}: writes a synthetic labelled corpus of music and pictures per mood. */
@Command(
        name = "synth-corpus",
        header = "Compose music and paint pictures per mood: a corpus made offline.",
        description = {
            "Writes DIR/images/<mood>/*.png and DIR/audio/<mood>/*.wav, each root with its"
                    + " manifest.jsonl as the scrapers write it (source synth). Pieces are composed"
                    + " per mood and rendered with the JDK's MIDI synthesiser; pictures are painted"
                    + " landscapes. The moods' distributions overlap on purpose. The same seed gives"
                    + " the same bytes; re-running completes an interrupted corpus."
        },
        mixinStandardHelpOptions = true)
public final class SynthCorpusCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(
            names = "--moods",
            split = ",",
            paramLabel = "MOOD",
            description =
                    "Comma-separated moods (default: calm,energetic,gloomy,bright; others get a"
                            + " fixed blend of these).")
    List<String> moods = MoodProfile.BUILT_IN;

    @Option(
            names = "--per-mood",
            paramLabel = "N",
            description = "Pieces and pictures per mood (default: ${DEFAULT-VALUE}).")
    int perMood = SynthCorpusParams.DEFAULT_PER_MOOD;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            description = "Length of each piece (default: ${DEFAULT-VALUE}).")
    double seconds = SynthCorpusParams.DEFAULT_SECONDS;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Corpus seed (default: ${DEFAULT-VALUE}).")
    long seed = SynthCorpusParams.DEFAULT_SEED;

    @Option(
            names = "--soundfont",
            paramLabel = "FILE",
            description =
                    "General-MIDI SoundFont (.sf2) or DLS file (default: FluidR3_GM.sf2 from"
                            + " Debian's fluid-soundfont-gm when installed, else the synthesiser's"
                            + " built-in sounds).")
    Path soundfont;

    @Option(names = "--no-progress", description = "No progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        SynthCorpusParams params;
        try {
            params =
                    SynthCorpusParams.defaults()
                            .withMoods(moods.stream().map(String::trim).toList())
                            .withPerMood(perMood)
                            .withSeconds(seconds)
                            .withSeed(seed)
                            .withSoundfont(soundfont);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        SyntheticCorpus corpus = new SyntheticCorpus(params);
        LabelProgress progress = new LabelProgress(!noProgress, spec.commandLine().getErr());
        SyntheticCorpus.Summary s = Interruptible.run(() -> corpus.write(out, progress));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "made %d new items (%d in all) with %s%n",
                s.made(),
                s.made() + s.alreadyHad(),
                s.sounds());
        w.println("images: " + s.images());
        w.println("audio:  " + s.audio());
        w.flush();
        return 0;
    }
}
