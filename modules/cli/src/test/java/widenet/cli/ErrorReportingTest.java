package widenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import widenet.files.InvalidInputException;
import widenet.train.CheckpointException;
import widenet.train.DivergenceException;
import widenet.train.InputException;

/**
 * Issue 18 item 4, the one error hierarchy: bad input (exit 2, its one-line message) is an InvalidInputException or
 * an IOException; a programming error (an IllegalArgumentException among them) is exit 1, "internal error", with
 * how to see the stack trace; no Java class name in a bad-input message.
 */
class ErrorReportingTest {
    record Line(int code, String text) {}

    static Line report(Throwable t) {
        StringWriter sw = new StringWriter();
        int code = Main.report(t, new PrintWriter(sw, true));
        return new Line(code, sw.toString().strip());
    }

    @Test
    void badInputIsExit2WithItsMessage() {
        assertEquals(
                new Line(2, "widenet: --lr must be positive"), report(new InputException("--lr must be positive")));
        assertEquals(
                new Line(2, "widenet: unknown kernel provider 'gpu'"),
                report(new InvalidInputException("unknown kernel provider 'gpu'")));
        assertEquals(
                new Line(2, "widenet: d/manifest is missing"),
                report(new CheckpointException("d/manifest is missing")));
        assertEquals(
                new Line(2, "widenet: nope.npy: no such file or folder"), report(new NoSuchFileException("nope.npy")));
        assertEquals(
                new Line(2, "widenet: d/W.npy: No space left on device"),
                report(new UncheckedIOException(new FileSystemException("d/W.npy", null, "No space left on device"))));
        assertEquals(
                new Line(2, "widenet: cannot write m.csv: Broken pipe"),
                report(new UncheckedIOException("cannot write m.csv: Broken pipe", new IOException("Broken pipe"))));
    }

    @Test
    void aProgrammingErrorIsAnInternalErrorNotBadInput() {
        for (RuntimeException bug : new RuntimeException[] {
            new IllegalArgumentException("rows must be ≥ 0"),
            new IllegalStateException("closed"),
            new ArithmeticException("/ by zero"),
            new NullPointerException()
        }) {
            Line l = report(bug);
            assertEquals(1, l.code(), l.text());
            assertTrue(l.text().startsWith("widenet: internal error: "), l.text());
            assertTrue(l.text().contains("WIDENET_DEBUG=1"), l.text());
        }
    }

    @Test
    void divergenceIsExit3() {
        assertEquals(
                3,
                report(new DivergenceException(4, Double.NaN, "try a smaller step size (--lr)"))
                        .code());
    }
}
