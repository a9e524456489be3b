package widenet.train;

/**
 * A checkpoint (or the run folder around it) that cannot be used: missing, torn, corrupted (a checksum differs),
 * malformed, or written by a different run. The message names the file and the problem; the CLI exits with code 2.
 */
public class CheckpointException extends InputException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
