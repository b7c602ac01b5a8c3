package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

class ProgressBarsTest {

    @Test
    void withoutATerminalTheBarWritesPlainLinesWithoutCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = ProgressBars.builder("build-dataset", 10, false, err).build()) {
            for (int i = 0; i < 10; i++) {
                bar.step();
            }
        }
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), log);
        assertTrue(
                log.lines().anyMatch(l -> l.startsWith("build-dataset") && l.contains("10/10")),
                log);
        // Not one line per redraw: the steps above fall inside one logging interval.
        assertTrue(log.lines().count() <= 3, log);
    }

    @Test
    void inALogTheLastLineIsNotRepeatedWhenOnlyTheElapsedTimeChanged() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBars.LineConsumer lines =
                new ProgressBars.LineConsumer(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines.accept("denoising 100% [====] 20/20 (0:00:00 / 0:00:00)");
        lines.accept("\rdenoising 100% [====] 20/20 (0:00:01 / 0:00:00)");
        lines.close();
        assertEquals(
                List.of("denoising 100% [====] 20/20 (0:00:00 / 0:00:00)"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void onATerminalTheBarRedrawsInPlace() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = ProgressBars.builder("train", 5, true, err).build()) {
            bar.stepTo(5);
        }
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }
}
