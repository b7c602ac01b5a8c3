package image2music.app.cli.data;

import image2music.data.media.ImageFormat;
import image2music.data.media.ImageParams;
import picocli.CommandLine.Option;

/** Image validation, conversion and dedupe options shared by scrape-images and import-images. */
public final class ImageOptions {

    @Option(
            names = "--max-bytes",
            paramLabel = "N",
            description = "Largest accepted image file (default: ${DEFAULT-VALUE}).")
    long maxBytes = ImageParams.DEFAULTS.maxBytes();

    @Option(
            names = "--max-pixels",
            paramLabel = "N",
            description =
                    "Largest accepted width x height, read before decoding"
                            + " (default: ${DEFAULT-VALUE}).")
    long maxPixels = ImageParams.DEFAULTS.maxPixels();

    @Option(
            names = "--max-side",
            paramLabel = "PX",
            description = "Scale images down so the longer side is at most PX (0 = keep size).")
    int maxSide = 0;

    @Option(
            names = "--format",
            paramLabel = "FMT",
            description = "Stored format: jpg or png (default: ${DEFAULT-VALUE}).")
    String format = "jpg";

    @Option(
            names = "--phash-distance",
            paramLabel = "BITS",
            description =
                    "Perceptual hashes this close are near-duplicates (default: ${DEFAULT-VALUE}).")
    int phashDistance = 6;

    @Option(
            names = "--dedupe-across-labels",
            description = "Also drop images that duplicate one of another label (else reported).")
    boolean dedupeAcrossLabels;

    ImageParams params() {
        return new ImageParams(
                maxBytes,
                maxPixels,
                maxSide,
                ImageFormat.parse(format),
                ImageParams.DEFAULTS.jpegQuality());
    }
}
