package image2music.app.cli.data;

import image2music.data.importer.ImageImporter;
import image2music.data.media.CollectSummary;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code import-images}: brings the user's own labelled image folders into a media root. */
@Command(
        name = "import-images",
        header = "Import your own labelled image folders.",
        description = {
            "Imports FROM/<label>/* images into DIR/<label>/ with DIR/manifest.jsonl, with the"
                    + " same validation, conversion and duplicate detection as scrape-images."
        },
        mixinStandardHelpOptions = true)
public final class ImportImagesCommand implements Callable<Integer> {

    @Mixin ImportFolderOptions folders;

    @Mixin ImageOptions imageOptions;

    @Mixin CollectOutputOptions output;

    @Override
    public Integer call() throws Exception {
        ImageImporter importer =
                new ImageImporter(
                        imageOptions.params(),
                        imageOptions.phashDistance,
                        imageOptions.dedupeAcrossLabels,
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
