package image2music.app.cli.data;

import image2music.data.importer.AudioImporter;
import image2music.data.media.AudioCheck;
import image2music.data.media.CollectSummary;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code import-audio}: brings the user's own labelled audio folders into a media root. */
@Command(
        name = "import-audio",
        header = "Import your own labelled audio folders.",
        description = {
            "Imports FROM/<label>/* audio files into DIR/<label>/ with DIR/manifest.jsonl:"
                    + " files our decoder cannot read are skipped, duplicates dropped, the rest"
                    + " copied unchanged."
        },
        mixinStandardHelpOptions = true)
public final class ImportAudioCommand implements Callable<Integer> {

    @Mixin ImportFolderOptions folders;

    @Option(
            names = "--min-seconds",
            paramLabel = "S",
            description = "Shortest accepted duration (default: ${DEFAULT-VALUE}).")
    double minSeconds = 0;

    @Option(
            names = "--max-seconds",
            paramLabel = "S",
            description = "Longest accepted duration (default: ${DEFAULT-VALUE}).")
    double maxSeconds = 86400;

    @Option(
            names = "--dedupe-across-labels",
            description = "Also drop files equal to one of another label (else reported).")
    boolean dedupeAcrossLabels;

    @Mixin CollectOutputOptions output;

    @Override
    public Integer call() throws Exception {
        AudioImporter importer =
                new AudioImporter(
                        new AudioCheck(minSeconds, maxSeconds),
                        dedupeAcrossLabels,
                        Clock.systemUTC());
        LabelProgress progress = output.progress();
        CollectSummary summary =
                Interruptible.run(
                        () ->
                                importer.run(
                                        folders.from, folders.out, folders.labelSet(), progress));
        output.print(summary);
        return 0;
    }
}
