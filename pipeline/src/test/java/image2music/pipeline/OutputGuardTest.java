package image2music.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputGuardTest {

    @TempDir Path dir;

    @Test
    void audioToAudioRefusesAnOutputThatIsItsInputOrItsSpectrogram() throws IOException {
        Path wav = Files.writeString(dir.resolve("song.wav"), "RIFF");
        Path png = Files.writeString(dir.resolve("song.png"), "PNG");
        InvalidRequestException e =
                assertThrows(
                        InvalidRequestException.class,
                        () -> AudioToAudioRequest.of(dir, wav, "calm", 0, wav));
        assertTrue(e.getMessage().contains("would overwrite the input --audio"), e.getMessage());
        // X.wav also writes X.png beside it: an input image of that name is refused too
        assertThrows(
                InvalidRequestException.class,
                () -> AudioToAudioRequest.of(dir, png, "calm", 0, dir.resolve("song.wav")));
        // through a link to the folder, by real path
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
        assertThrows(
                InvalidRequestException.class,
                () -> AudioToAudioRequest.of(dir, wav, "calm", 0, link.resolve("song.wav")));
        assertDoesNotThrow(
                () -> AudioToAudioRequest.of(dir, wav, "calm", 0, dir.resolve("other.wav")));
    }

    @Test
    void aBatchNumberedResultIsCaughtToo() throws IOException {
        Path photo = Files.writeString(dir.resolve("x-001.png"), "PNG");
        assertThrows(
                InvalidRequestException.class,
                () -> OutputGuard.refuseOverwritingInputs(dir.resolve("x.wav"), "--image", photo));
    }
}
