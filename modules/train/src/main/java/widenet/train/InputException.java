package widenet.train;

import widenet.files.InvalidInputException;

/**
 * Bad input from the user (a file, a setting): the message says what and where; the CLI exits with code 2. The
 * root of the family is {@link InvalidInputException}, in the base module, for the layers below this one.
 */
public class InputException extends InvalidInputException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
