package image2music.audio.dataset;

import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the labelled audio files of a folder: those its {@code manifest.jsonl} lists (a scraped or
 * imported folder), or else every audio file laid out as {@code <dir>/<label>/<file>}.
 */
public final class AudioSources {

    /** File extensions taken as audio. */
    public static final Set<String> AUDIO_EXTENSIONS =
            Set.of("wav", "mp3", "m4a", "aac", "mp4", "opus", "webm", "ogg", "oga", "flac", "mka");

    private AudioSources() {}

    /** The sources of {@code dir}: from its manifest when it has one, else from label folders. */
    public static List<AudioSource> scan(Path dir) throws IOException {
        Manifest manifest = new Manifest(dir);
        return Files.exists(manifest.file()) ? fromManifest(manifest) : fromLabelFolders(dir);
    }

    /** The manifest's audio files; a record whose file is missing is an error naming it. */
    public static List<AudioSource> fromManifest(Manifest manifest) throws IOException {
        Map<String, AudioSource> bySha = new LinkedHashMap<>();
        for (MediaRecord r : manifest.readAll()) {
            Path file = MediaLayout.resolve(manifest.root(), r.path());
            if (!isAudio(file)) {
                continue;
            }
            try {
                file = MediaLayout.resolveExisting(manifest.root(), r.path());
            } catch (IllegalArgumentException e) {
                throw new IOException(manifest.file() + ": " + e.getMessage(), e);
            }
            if (!Files.isRegularFile(file)) {
                throw new IOException(
                        manifest.file() + ": lists " + r.path() + ", which does not exist");
            }
            AudioSource previous = bySha.get(r.sha256());
            Set<String> labels = new TreeSet<>(r.labels());
            if (previous != null) {
                labels.addAll(previous.labels());
            }
            bySha.put(
                    r.sha256(),
                    new AudioSource(
                            previous != null ? previous.file() : file,
                            previous != null ? previous.name() : r.path(),
                            r.sha256(),
                            new ArrayList<>(labels)));
        }
        return new ArrayList<>(bySha.values());
    }

    /**
     * Every audio file under a label folder of {@code dir}, labelled with that folder's name. The
     * same content found under several labels becomes one source carrying all of them.
     */
    public static List<AudioSource> fromLabelFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder");
        }
        Map<String, Path> firstFile = new LinkedHashMap<>();
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .filter(AudioSources::isAudio)
                            .sorted()
                            .toList();
        }
        for (Path f : files) {
            Path rel = dir.relativize(f);
            if (rel.getNameCount() < 2) {
                continue; // not inside a label folder
            }
            String sha = MediaLayout.sha256Hex(f);
            firstFile.putIfAbsent(sha, f);
            labels.computeIfAbsent(sha, k -> new TreeSet<>()).add(rel.getName(0).toString());
        }
        List<AudioSource> out = new ArrayList<>();
        for (var e : firstFile.entrySet()) {
            Path f = e.getValue();
            out.add(
                    new AudioSource(
                            f,
                            dir.relativize(f).toString(),
                            e.getKey(),
                            new ArrayList<>(labels.get(e.getKey()))));
        }
        return out;
    }

    static boolean isAudio(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && AUDIO_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
