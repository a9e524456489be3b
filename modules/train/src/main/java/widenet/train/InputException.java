package widenet.train;

/** Bad input from the user (a file, a setting): the message says what and where; the CLI exits with code 2. */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
