package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help a newcomer reads first: every command listed with a whole sentence, every page without picocli warnings. */
class HelpTest {
    /** Every command but picocli's own {@code help}: a new command is checked without being listed here. */
    static final List<String> COMMANDS = new CommandLine(new Main())
            .getSubcommands().keySet().stream()
                    .filter(name -> !name.equals("help"))
                    .toList();

    @Test
    void theCommandListShowsEachCommandsWholeOneLineSummary() {
        String help = TheoryCommandTest.stdout(() -> assertEquals(0, Main.run("--help")));
        CommandLine cl = new CommandLine(new Main());
        for (String name : COMMANDS) {
            String[] header = cl.getSubcommands()
                    .get(name)
                    .getCommandSpec()
                    .usageMessage()
                    .header();
            assertEquals(1, header.length, name + " has a one-line header");
            String summary = header[0];
            assertTrue(
                    summary.endsWith(".") && summary.length() <= 80 - 13,
                    name + "'s summary fits one line: " + summary);
            assertTrue(
                    help.contains("  " + name + " ") && help.contains(summary),
                    name + " listed with its whole summary:\n" + help);
        }
    }

    @Test
    void everyHelpPageRendersWithoutWarningsAndWithinTheWidth() {
        for (String name : COMMANDS) {
            StringWriter err = new StringWriter();
            // picocli's own warnings (e.g. an unescaped % in a description) go to System.err, not to err
            java.io.PrintStream oldErr = System.err;
            java.io.ByteArrayOutputStream systemErr = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(systemErr, true));
            String page;
            try {
                page = TheoryCommandTest.stdout(
                        () -> assertEquals(0, Main.run(new PrintWriter(err, true), name, "--help")));
            } finally {
                System.setErr(oldErr);
            }
            assertEquals("", err + systemErr.toString(), name + " --help writes no warning");
            for (String line : page.split("\n")) {
                assertTrue(
                        line.codePointCount(0, line.length()) <= 80,
                        name + " --help line longer than 80 columns: " + line);
            }
        }
    }
}
