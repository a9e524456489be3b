package widenet.train;

/**
 * The run folder cannot be written (disk full, read-only, removed): the message says which file and why, and what
 * is kept (the last good checkpoint). The CLI exits with code 2, like other problems of the environment it is given.
 */
public class OutputException extends InputException {
    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
