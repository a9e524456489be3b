package widenet.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import widenet.files.Csv;
import widenet.files.FileErrors;
import widenet.train.InputException;

/**
 * A CSV file widenet wrote (metrics.csv, series/*.csv, sweep.csv, cells.csv), read by the one reader
 * ({@link Csv#read}); its problems become input errors naming the file and line.
 */
final class CsvTable {
    private final Csv.Table table;

    private CsvTable(Csv.Table table) {
        this.table = table;
    }

    static CsvTable read(Path file) {
        try {
            return new CsvTable(Csv.read(file));
        } catch (Csv.FormatException e) {
            throw new InputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException("cannot read " + FileErrors.describe(file, e), e);
        }
    }

    Path file() {
        return table.file();
    }

    List<String> columns() {
        return table.columns();
    }

    int size() {
        return table.size();
    }

    boolean has(String column) {
        return table.has(column);
    }

    String text(int row, String column) {
        try {
            return table.text(row, column);
        } catch (Csv.FormatException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** The column as numbers; NaN for {@code nan} or an empty field; an input error naming file:line for anything else. */
    double[] numbers(String column) {
        try {
            return table.numbers(column);
        } catch (Csv.FormatException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** Checks that every value in {@code columns} is a number (so a malformed row is reported even if never plotted). */
    void requireNumeric(List<String> numericColumns) {
        for (String c : numericColumns) {
            numbers(c);
        }
    }
}
