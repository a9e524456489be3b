package widenet.tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@code .npy} file that {@link Npy} cannot read: malformed, truncated, or of a kind it does not support.
 * The message always starts with the file and states the problem with what was expected and what was found,
 * and the byte offset where one applies.
 */
public final class NpyFormatException extends IOException {
    private final transient Path file;

    NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
