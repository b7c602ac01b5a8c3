package image2music.spark;

import image2music.audio.dataset.AudioSources;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * Finds the labelled audio files of a folder with the rules of {@link AudioSources}, through
 * Hadoop's FileSystem API: the files {@code manifest.jsonl} lists, or else every audio file laid
 * out as {@code <dir>/<label>/<file>}, one source per distinct content carrying all its labels.
 * Listing runs on the driver; hashing the files (reading every byte) runs on the executors.
 */
final class SourceListing {

    /** A file found under a label folder, before hashing. */
    private record Found(String uri, String name, String label) implements Serializable {}

    private SourceListing() {}

    static List<SourceFile> scan(JavaSparkContext jsc, Path dir) throws IOException {
        FileSystem fs = HadoopFiles.of(dir, jsc.hadoopConfiguration());
        Path manifest = new Path(dir, Manifest.FILE_NAME);
        return fs.exists(manifest)
                ? fromManifest(fs, dir, manifest)
                : fromLabelFolders(jsc, fs, dir);
    }

    private static List<SourceFile> fromManifest(FileSystem fs, Path root, Path manifest)
            throws IOException {
        Map<String, SourceFile> bySha = new LinkedHashMap<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(fs.open(manifest), StandardCharsets.UTF_8))) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                MediaRecord r;
                try {
                    r = Manifest.fromJson(line);
                } catch (IllegalArgumentException e) {
                    throw new IOException(manifest + ":" + lineNo + ": " + e.getMessage(), e);
                }
                if (!isAudio(r.path())) {
                    continue;
                }
                Path file = new Path(root, r.path());
                if (!fs.isFile(file)) {
                    throw new IOException(
                            manifest + ": lists " + r.path() + ", which does not exist");
                }
                SourceFile previous = bySha.get(r.sha256());
                Set<String> labels = new TreeSet<>(r.labels());
                if (previous != null) {
                    labels.addAll(previous.labels());
                }
                bySha.put(
                        r.sha256(),
                        new SourceFile(
                                previous != null ? previous.uri() : file.toString(),
                                previous != null ? previous.name() : r.path(),
                                r.sha256(),
                                new ArrayList<>(labels)));
            }
        }
        return new ArrayList<>(bySha.values());
    }

    private static List<SourceFile> fromLabelFolders(JavaSparkContext jsc, FileSystem fs, Path dir)
            throws IOException {
        if (!fs.getFileStatus(dir).isDirectory()) {
            throw new IOException(dir + ": not a folder");
        }
        Path base = fs.makeQualified(dir);
        String prefix = base.toUri().getPath();
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        List<Found> found = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(base, true);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            String name = st.getPath().toUri().getPath().substring(prefix.length());
            int slash = name.indexOf('/');
            if (st.isFile() && isAudio(name) && slash > 0) {
                found.add(new Found(st.getPath().toString(), name, name.substring(0, slash)));
            }
        }
        // The local builder's order: sorted by path, the first file of each content kept.
        found.sort((a, b) -> a.name().compareTo(b.name()));
        if (found.isEmpty()) {
            return List.of();
        }
        SerializableConfiguration conf = new SerializableConfiguration(jsc.hadoopConfiguration());
        List<Tuple2<Found, String>> hashed =
                jsc.parallelize(found, Math.min(found.size(), 4 * jsc.defaultParallelism()))
                        .map(f -> new Tuple2<>(f, HadoopFiles.sha256(fileSystem(f, conf), path(f))))
                        .collect();
        Map<String, Found> first = new LinkedHashMap<>();
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        for (Tuple2<Found, String> h : hashed) {
            first.putIfAbsent(h._2(), h._1());
            labels.computeIfAbsent(h._2(), k -> new TreeSet<>()).add(h._1().label());
        }
        List<SourceFile> out = new ArrayList<>();
        for (var e : first.entrySet()) {
            out.add(
                    new SourceFile(
                            e.getValue().uri(),
                            e.getValue().name(),
                            e.getKey(),
                            new ArrayList<>(labels.get(e.getKey()))));
        }
        return out;
    }

    private static Path path(Found f) {
        return new Path(f.uri());
    }

    private static FileSystem fileSystem(Found f, SerializableConfiguration conf)
            throws IOException {
        return HadoopFiles.of(path(f), conf.value());
    }

    static boolean isAudio(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash + 1
                && AudioSources.AUDIO_EXTENSIONS.contains(
                        name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
