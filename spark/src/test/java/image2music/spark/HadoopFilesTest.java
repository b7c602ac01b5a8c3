package image2music.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import image2music.core.manifest.MediaLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    private static FileSystem fs(Path dir) throws Exception {
        return HadoopFiles.of(hadoop(dir), new Configuration());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void localPathsUseTheRawFileSystemAndWriteNoChecksumFiles(@TempDir Path tmp) throws Exception {
        FileSystem fs = fs(tmp);
        assertInstanceOf(RawLocalFileSystem.class, fs);

        HadoopFiles.write(fs, hadoop(tmp.resolve("a.txt")), bytes("one"));
        HadoopFiles.write(fs, hadoop(tmp.resolve("a.txt")), bytes("two"));

        assertArrayEquals(bytes("two"), Files.readAllBytes(tmp.resolve("a.txt")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "only a.txt: no .crc, no temporary file");
        }
    }

    @Test
    void aSecondAttemptsCommitKeepsTheFirstCopyAndDropsItsOwn(@TempDir Path tmp) throws Exception {
        FileSystem fs = fs(tmp);
        Path first = tmp.resolve("attempt-0/x.png");
        Path second = tmp.resolve("attempt-1/x.png");
        Files.createDirectories(first.getParent());
        Files.createDirectories(second.getParent());
        Files.write(first, bytes("first"));
        Files.write(second, bytes("second"));
        Path target = tmp.resolve("x.png");

        HadoopFiles.commit(fs, hadoop(first), hadoop(target));
        HadoopFiles.commit(fs, hadoop(second), hadoop(target));

        assertArrayEquals(bytes("first"), Files.readAllBytes(target));
        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second));
    }

    @Test
    void hashesAsTheMediaLayoutDoes(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("f.bin");
        Files.write(f, new byte[200_000]);
        assertEquals(MediaLayout.sha256Hex(f), HadoopFiles.sha256(fs(tmp), hadoop(f)));
    }
}
