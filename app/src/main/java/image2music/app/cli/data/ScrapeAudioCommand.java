package image2music.app.cli.data;

import image2music.data.media.CollectSummary;
import image2music.data.scrape.AudioScrapeParams;
import image2music.data.scrape.AudioScraper;
import image2music.data.scrape.UrlListFile;
import image2music.data.scrape.YtDlp;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scrape-audio}: collects audio per label with yt-dlp. */
@Command(
        name = "scrape-audio",
        header = "Download audio per mood label through yt-dlp.",
        description = {
            "Downloads audio per label with yt-dlp (a search for '<label> music', or the videos"
                    + " of --urls) into DIR/<label>/ with DIR/manifest.jsonl. Downloads our"
                    + " decoder cannot read are removed; re-running resumes from yt-dlp's"
                    + " download archive."
        },
        mixinStandardHelpOptions = true)
public final class ScrapeAudioCommand implements Callable<Integer> {

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "LABEL",
            description = "Comma-separated labels (with --urls: the label of lines without one).")
    List<String> labels = new ArrayList<>();

    @Option(
            names = "--per-label",
            paramLabel = "N",
            description = "Files each label should hold (default: ${DEFAULT-VALUE}).")
    int perLabel = 10;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Media root.")
    Path out;

    @Option(
            names = "--urls",
            paramLabel = "FILE",
            description = "Videos to fetch instead of searching: '<label><TAB><url>' per line.")
    Path urls;

    @Option(
            names = "--yt-dlp",
            paramLabel = "PATH",
            description = "The yt-dlp program (default: ${DEFAULT-VALUE} on the PATH).")
    String ytDlp = "yt-dlp";

    @Option(
            names = "--min-seconds",
            paramLabel = "S",
            description = "Shortest accepted duration (default: ${DEFAULT-VALUE}).")
    double minSeconds = 60;

    @Option(
            names = "--max-seconds",
            paramLabel = "S",
            description = "Longest accepted duration (default: ${DEFAULT-VALUE}).")
    double maxSeconds = 900;

    @Option(
            names = "--query-suffix",
            paramLabel = "TEXT",
            description = "Added to each label to make its search (default: '${DEFAULT-VALUE}').")
    String querySuffix = " music";

    @Option(
            names = "--search-size",
            paramLabel = "N",
            description = "Search results looked through per label (default: 3 x --per-label).")
    Integer searchSize;

    @Option(
            names = "--dedupe-across-labels",
            description = "Also drop files equal to one of another label (else reported).")
    boolean dedupeAcrossLabels;

    @Mixin CollectOutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, List<String>> urlMap = Map.of();
        List<String> labelList = labels.stream().map(String::trim).toList();
        if (urls != null) {
            urlMap = UrlListFile.read(urls, labelList.size() == 1 ? labelList.get(0) : null);
            if (urlMap.isEmpty()) {
                throw new IllegalArgumentException(urls + ": no URLs in the file");
            }
            labelList = new ArrayList<>(urlMap.keySet());
        } else if (labelList.isEmpty()) {
            throw new IllegalArgumentException("give --labels (to search) or --urls FILE");
        }
        AudioScrapeParams params =
                new AudioScrapeParams(
                        labelList,
                        perLabel,
                        querySuffix,
                        searchSize != null ? searchSize : 3 * perLabel,
                        minSeconds,
                        maxSeconds,
                        dedupeAcrossLabels,
                        urlMap);
        AudioScraper scraper =
                new AudioScraper(params, new YtDlp(ytDlp, Map.of()), Clock.systemUTC());
        LabelProgress progress = output.progress();
        CollectSummary summary = Interruptible.run(() -> scraper.run(out, progress));
        output.print(summary);
        return 0;
    }
}
