package image2music.data.scrape;

import image2music.audio.io.AudioInfo;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import image2music.data.media.AudioCheck;
import image2music.data.media.AudioCollection;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects audio per label with yt-dlp ({@code ytsearchN:<label> music}, or explicit URLs) into a
 * media root: each finished download is probed with our decoder (unreadable or out-of-bounds files
 * are removed and reported), deduplicated by content and kept with its manifest line.
 *
 * <p>Resumable through yt-dlp's download archive ({@code <root>/.yt-dlp/<label>.archive.txt},
 * seeded from the manifest); downloads land in {@code <root>/.yt-dlp/<label>/} first, and files a
 * killed run left there are removed and taken out of the archive so they are fetched again.
 */
public final class AudioScraper {

    private static final Pattern ERROR_ID = Pattern.compile("^ERROR: \\[[^\\]]+\\] ([^:\\s]+):");
    private static final String WORK_DIR = ".yt-dlp";

    private final AudioScrapeParams params;
    private final YtDlp ytDlp;
    private final Clock clock;
    private final AudioCheck check;

    public AudioScraper(AudioScrapeParams params, YtDlp ytDlp, Clock clock) {
        this.params = params;
        this.ytDlp = ytDlp;
        this.clock = clock;
        this.check = new AudioCheck(params.minSeconds(), params.maxSeconds());
    }

    /** Runs the collection into {@code root}; returns what it did. */
    public CollectSummary run(Path root, CollectListener listener)
            throws IOException, InterruptedException {
        for (String label : params.labels()) {
            MediaLayout.checkLabel(label);
        }
        ytDlp.version(); // fails early, with the install hint, when yt-dlp is missing
        try (AudioCollection collection = AudioCollection.open(root, params.dedupeAcrossLabels());
                Committer committer = new Committer()) {
            collection.repairs().forEach(listener::note);
            CollectSummary summary = new CollectSummary();
            for (String label : params.labels()) {
                collectLabel(root, label, collection, summary, listener, committer);
            }
            return summary;
        }
    }

    private void collectLabel(
            Path root,
            String label,
            AudioCollection collection,
            CollectSummary summary,
            CollectListener listener,
            Committer committer)
            throws IOException, InterruptedException {
        List<String> urls = params.urls().getOrDefault(label, List.of());
        int target = params.explicitUrls() ? urls.size() : params.perLabel();
        int had = collection.count(label);
        summary.alreadyHad(label, had);
        listener.labelStarted(label, target, had);
        Path staging = root.resolve(WORK_DIR).resolve(label);
        Path archive = root.resolve(WORK_DIR).resolve(label + ".archive.txt");
        prepare(label, staging, archive, collection, listener);
        Set<String> failedIds = new LinkedHashSet<>();
        List<String> otherErrors = new ArrayList<>();
        try {
            while (true) {
                int need = target - collection.count(label);
                if (need <= 0 || (params.explicitUrls() && urls.isEmpty())) {
                    break;
                }
                List<String> targets =
                        params.explicitUrls()
                                ? urls
                                : List.of(
                                        YtDlpRequest.search(
                                                params.query(label), params.searchSize()));
                YtDlpRequest request =
                        new YtDlpRequest(
                                targets,
                                staging,
                                archive,
                                params.minSeconds(),
                                params.maxSeconds(),
                                need);
                int[] downloads = {0};
                YtDlp.Outcome outcome =
                        ytDlp.download(
                                request,
                                d -> {
                                    downloads[0]++;
                                    committer.run(
                                            () -> commit(label, d, collection, summary, listener));
                                    listener.progress(label, collection.count(label));
                                });
                for (String error : outcome.errors()) {
                    Matcher m = ERROR_ID.matcher(error);
                    if (m.find() ? failedIds.add(m.group(1)) : otherErrors.add(error)) {
                        listener.note("'" + label + "': " + error);
                    }
                }
                // An explicit list is tried once; a search stops when it yields nothing new.
                if (params.explicitUrls() || downloads[0] == 0) {
                    break;
                }
            }
        } finally {
            for (int i = 0; i < failedIds.size() + otherErrors.size(); i++) {
                summary.failed(label);
            }
            listener.labelFinished(label);
        }
    }

    /**
     * Seeds the archive with the label's kept videos, and removes downloads a killed run left in
     * staging (taking them out of the archive, so they are fetched again).
     */
    private static void prepare(
            String label,
            Path staging,
            Path archive,
            AudioCollection collection,
            CollectListener listener)
            throws IOException {
        Files.createDirectories(staging);
        Set<String> lines = new LinkedHashSet<>();
        if (Files.exists(archive)) {
            lines.addAll(Files.readAllLines(archive, StandardCharsets.UTF_8));
        }
        int before = lines.size();
        for (MediaRecord r : collection.library().records()) {
            if (r.videoId() != null && r.labels().contains(label)) {
                lines.add("youtube " + r.videoId());
            }
        }
        boolean changed = lines.size() != before;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".part") || name.endsWith(".ytdl")) {
                    continue; // yt-dlp resumes its own partial downloads
                }
                String id = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
                Files.deleteIfExists(f);
                changed |= lines.remove("youtube " + id);
                listener.note("removed unrecorded download " + f + " (it will be fetched again)");
            }
        }
        if (changed) {
            Files.write(
                    archive,
                    lines,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    private void commit(
            String label,
            YtDlp.Downloaded d,
            AudioCollection collection,
            CollectSummary summary,
            CollectListener listener)
            throws IOException {
        Path file = d.file();
        if (!Files.isRegularFile(file)) {
            summary.failed(label);
            listener.note("'" + label + "': yt-dlp reported " + file + " but it is not there");
            return;
        }
        AudioInfo info;
        try {
            info = check.check(file, d.durationSeconds());
        } catch (AudioCheck.Rejected e) {
            Files.deleteIfExists(file);
            summary.rejected(label, e.reason());
            listener.note(e.getMessage() + "; removed");
            return;
        }
        Provenance from =
                new Provenance(
                        "youtube",
                        d.webpageUrl(),
                        null,
                        params.explicitUrls() ? null : params.query(label),
                        d.title(),
                        clock.instant());
        AudioCollection.Added added = collection.add(label, file, false, info, from, d.videoId());
        if (!added.kept()) {
            summary.duplicate(label);
            return;
        }
        summary.kept(label);
        if (added.match() != null) {
            summary.crossLabel(label);
            listener.note(
                    d.webpageUrl()
                            + " ('"
                            + label
                            + "') is the same file as "
                            + added.match().path());
        }
    }
}
