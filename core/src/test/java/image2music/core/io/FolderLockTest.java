package image2music.core.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {

    @TempDir Path dir;

    @Test
    void secondWriterIsRefusedNamingThePid() throws IOException {
        try (FolderLock lock = FolderLock.acquire(dir)) {
            String pid = Long.toString(ProcessHandle.current().pid());
            assertTrue(Files.readString(dir.resolve(FolderLock.FILE_NAME)).startsWith(pid + " "));
            FolderLock.InUseException e =
                    assertThrows(FolderLock.InUseException.class, () -> FolderLock.acquire(dir));
            assertTrue(e.getMessage().contains("is in use by PID " + pid), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(FolderLock.FILE_NAME)));
        // released on close: the next writer gets it
        FolderLock.acquire(dir).close();
    }

    @Test
    void staleLockOfADeadProcessIsTakenOver() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(dir.resolve(FolderLock.FILE_NAME), p.pid() + "\n");
        try (FolderLock lock = FolderLock.acquire(dir)) {
            assertTrue(
                    Files.readString(dir.resolve(FolderLock.FILE_NAME))
                            .startsWith(ProcessHandle.current().pid() + " "));
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsNamed() throws Exception {
        Path file = dir.resolve(FolderLock.FILE_NAME);
        Files.writeString(file, "");
        // flock(1) takes a lock that Java's fcntl locks do not see on Linux, so hold it with a
        // second JVM-free tool that uses fcntl: python's fcntl.lockf.
        Process holder;
        try {
            holder =
                    new ProcessBuilder(
                                    "python3",
                                    "-c",
                                    "import fcntl,os,sys,time\n"
                                            + "f=open(sys.argv[1],'r+')\n"
                                            + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
                                            + "f.write(str(os.getpid())+'\\n'); f.flush()\n"
                                            + "print('locked',flush=True)\n"
                                            + "time.sleep(30)\n",
                                    file.toString())
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            Assumptions.abort("no python3 to hold a lock from another process: " + e);
            return;
        }
        try {
            holder.getInputStream().read(new byte[7]);
            FolderLock.InUseException e =
                    assertThrows(FolderLock.InUseException.class, () -> FolderLock.acquire(dir));
            assertTrue(e.getMessage().contains("is in use by PID " + holder.pid()), e.getMessage());
        } finally {
            holder.destroy();
            holder.waitFor();
        }
        FolderLock.acquire(dir).close();
    }
}
