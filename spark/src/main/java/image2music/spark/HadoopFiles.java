package image2music.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes through Hadoop's FileSystem API that never leave a half file at the final name: bytes go
 * to a hidden temporary name beside the target (same file system, so the rename is a metadata
 * operation — atomic on local disks and HDFS; on S3A the object appears whole on close anyway).
 */
final class HadoopFiles {

    private HadoopFiles() {}

    /**
     * The file system of {@code path}; for local paths the raw one, so no {@code .crc} side files
     * land in the dataset (the local builder writes none either).
     */
    static FileSystem of(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    /** Writes {@code bytes} to {@code target}, replacing what is there. */
    static void write(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "._" + target.getName() + "." + UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        // Hadoop's rename refuses to replace a file: delete first. A reader in between sees no
        // file rather than a partial one.
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException(target + ": could not be written (rename failed)");
        }
    }

    /**
     * Moves a task's finished file to its final name unless another attempt of the same work got
     * there first. Names are content-determined and rendering deterministic, so whichever copy wins
     * is the same bytes: a retried or speculative task never duplicates a file.
     */
    static void commit(FileSystem fs, Path staged, Path target) throws IOException {
        if (fs.exists(target)) {
            fs.delete(staged, false);
            return;
        }
        if (!fs.rename(staged, target)) {
            boolean raced = fs.exists(target);
            fs.delete(staged, false);
            if (!raced) {
                throw new IOException(target + ": could not be committed from " + staged);
            }
        }
    }

    /** Hex SHA-256 of a file's bytes, streamed. */
    static String sha256(FileSystem fs, Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Failed to get SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
