package widenet.files;

/**
 * The root of widenet's bad-input errors: something the user gave (an option's value, a file's content, a folder)
 * is wrong, and the message says what and where in the user's terms. Every module can throw it (this module is
 * below all of them); {@code widenet.train.InputException} and its subclasses are the ones most code throws. The
 * command line prints the message as one line and exits with code 2. Not for programming errors: those are
 * {@link IllegalArgumentException}, {@link IllegalStateException} and the like, reported as internal errors.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
