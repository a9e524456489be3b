package widenet.tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An IDX file (the MNIST format) that {@link Idx} cannot read: malformed, truncated, corrupt gzip, or of a
 * kind it does not support. The message always starts with the file and states the problem with what was
 * expected and what was found, and the byte offset where one applies.
 */
public final class IdxFormatException extends IOException {
    private final transient Path file;

    IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    IdxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
