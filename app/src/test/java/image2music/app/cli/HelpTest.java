package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** Option values are labelled N, X, FILE, DIR…, never with a Java field name. */
    @Test
    void everyOptionValueHasAnUpperCaseLabel() {
        Pattern fieldName = Pattern.compile("--[a-z-]+=<[a-zA-Z]+>");
        for (String verb : Main.commandLine().getSubcommands().keySet()) {
            Matcher m = fieldName.matcher(CliRun.of(verb, "--help").out());
            assertFalse(m.find(), verb + ": " + (m.hitEnd() ? "" : m.group()));
        }
    }

    /** Help mentions --strength only on verbs that have it. */
    @Test
    void stepsHelpNamesOnlyOptionsTheVerbHas() {
        for (var e : Main.commandLine().getSubcommands().entrySet()) {
            String help = CliRun.of(e.getKey(), "--help").out();
            boolean has = e.getValue().getCommandSpec().findOption("--strength") != null;
            assertTrue(has || !help.contains("--strength"), e.getKey() + ": " + help);
        }
    }
}
