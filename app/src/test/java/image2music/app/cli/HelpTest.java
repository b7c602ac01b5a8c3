package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every verb answers {@code --help} with its usage and exit code 0, before checking options. */
class HelpTest {

    @Test
    void everyVerbPrintsItsUsageOnHelp() {
        for (String verb : Main.commandLine().getSubcommands().keySet()) {
            if (verb.equals("help")) {
                continue;
            }
            CliRun r = CliRun.of(verb, "--help");
            assertEquals(0, r.exitCode(), verb + ": " + r.err());
            assertTrue(r.out().contains("Usage: image2music " + verb), verb + ": " + r.out());
        }
    }
}
