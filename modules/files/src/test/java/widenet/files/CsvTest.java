package widenet.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One CSV format: every double written reads back bit for bit; the reader names file and line. */
class CsvTest {
    @TempDir
    Path dir;

    @Test
    void everyDoubleRoundTripsExactly() {
        Random r = new Random(17);
        double[] special = {
            0.0,
            -0.0,
            1,
            -1,
            1e15,
            1e15 - 1,
            -1e15,
            9.999999999999998e14,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            -Double.MAX_VALUE,
            Double.MIN_NORMAL,
            0.1,
            1.0 / 3,
            Math.PI * 1e300,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            4503599627370497.0
        };
        for (double v : special) {
            assertEquals(
                    Double.doubleToRawLongBits(v == v ? v : Double.NaN),
                    Double.doubleToRawLongBits(Csv.parse(Csv.format(v))),
                    Csv.format(v));
            assertEquals(Csv.format(v), Csv.append(new StringBuilder(), v).toString());
        }
        for (int i = 0; i < 20_000; i++) {
            double v = Double.longBitsToDouble(r.nextLong());
            if (v == v) {
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Csv.parse(Csv.format(v))));
            }
            double w = r.nextInt(1000) * 0.5;
            assertEquals(w, Csv.parse(Csv.format(w)));
        }
        assertEquals("12", Csv.format(12.0));
        assertEquals("-0.0", Csv.format(-0.0));
        assertEquals("0.25", Csv.format(0.25));
        assertEquals("1.0E15", Csv.format(1e15));
    }

    @Test
    void parsesWhatOtherToolsWriteAndRefusesTheRest() {
        assertEquals(1.5, Csv.parse(" 1.5 "));
        assertEquals(-2e-3, Csv.parse("-2E-3"));
        assertEquals(0.5, Csv.parse(".5"));
        assertEquals(Double.POSITIVE_INFINITY, Csv.parse("+inf"));
        assertEquals(Double.NEGATIVE_INFINITY, Csv.parse("-INF"));
        assertEquals(Double.NaN, Csv.parse(""));
        assertEquals(Double.NaN, Csv.parse("NaN"));
        for (String bad : List.of("1d", "0x1p3", "Infinity", "1,5", "abc", "1e", "--1", "1.2.3")) {
            assertThrows(NumberFormatException.class, () -> Csv.parse(bad), bad);
        }
    }

    @Test
    void writesAndReadsATable() throws IOException {
        Path f = dir.resolve("cells.csv");
        Csv.writer(List.of("n", "status", "ratio", "seconds"))
                .row(10, "reached", 0.125, Double.NaN)
                .row(20L, "diverged", Double.POSITIVE_INFINITY, 3.0)
                .row(30, null, -1e-300, 2.5)
                .write(f);
        assertEquals(
                "n,status,ratio,seconds\n10,reached,0.125,nan\n20,diverged,inf,3\n30,,-1.0E-300,2.5\n",
                Files.readString(f));
        Csv.Table t = Csv.read(f);
        assertEquals(List.of("n", "status", "ratio", "seconds"), t.columns());
        assertEquals(3, t.size());
        assertArrayEquals(new double[] {10, 20, 30}, t.numbers("n"));
        assertArrayEquals(new double[] {0.125, Double.POSITIVE_INFINITY, -1e-300}, t.numbers("ratio"));
        assertEquals("diverged", t.text(1, "status"));
        Csv.FormatException e = assertThrows(Csv.FormatException.class, () -> t.numbers("status"));
        assertEquals(f + ":2: column status: 'reached' is not a number", e.getMessage());
        assertEquals(
                f + ": no column 'x' (has n, status, ratio, seconds)",
                assertThrows(Csv.FormatException.class, () -> t.numbers("x")).getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> Csv.writer(List.of("a")).row("x,y"));
    }

    @Test
    void namesTheFileAndLineOfAMalformedRow() throws IOException {
        Path f = Files.writeString(dir.resolve("metrics.csv"), "step,loss\r\n0,1.5\r\n\n1,2,3\n");
        assertEquals(
                f + ":4: expected 2 fields (as in the header), found 3",
                assertThrows(Csv.FormatException.class, () -> Csv.read(f)).getMessage());
        Path empty = Files.writeString(dir.resolve("e.csv"), "");
        assertEquals(
                empty + ":1: empty file, expected a header row",
                assertThrows(Csv.FormatException.class, () -> Csv.read(empty)).getMessage());
        Path binary = Files.write(dir.resolve("b.csv"), new byte[] {'a', '\n', (byte) 0xff, '\n'});
        assertEquals(
                binary + ": not UTF-8 text",
                assertThrows(Csv.FormatException.class, () -> Csv.read(binary)).getMessage());
        Path crlf = Files.writeString(dir.resolve("w.csv"), "step,loss\r\n0,1.5\r\n");
        assertArrayEquals(new double[] {1.5}, Csv.read(crlf).numbers("loss"));
    }
}
