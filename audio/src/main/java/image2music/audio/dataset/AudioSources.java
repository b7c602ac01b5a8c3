package image2music.audio.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Finds the labelled audio files of a folder laid out as {@code <dir>/<label>/<file>}. */
public final class AudioSources {

    /** File extensions taken as audio. */
    public static final Set<String> AUDIO_EXTENSIONS =
            Set.of("wav", "mp3", "m4a", "aac", "mp4", "opus", "webm", "ogg", "oga", "flac", "mka");

    private AudioSources() {}

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
            String sha = sha256(f);
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

    /** Hex SHA-256 of a file's bytes, streamed. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
