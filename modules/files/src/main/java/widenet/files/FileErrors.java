package widenet.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;

/**
 * A file problem as one line in the user's terms: the file, then what is wrong with it ("no such file or folder",
 * "permission denied", "No space left on device"), never a Java class name. {@link java.nio.file} exceptions carry
 * the file but, for the common cases, no reason ({@code NoSuchFileException}'s message is the bare path).
 */
public final class FileErrors {
    private FileErrors() {}

    /** What went wrong, without the file: "no such file or folder", "No space left on device", … */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof FileSystemLoopException || e instanceof NotLinkException) {
            return e instanceof FileSystemLoopException ? "a loop of symbolic links" : "not a symbolic link";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof FileSystemException) {
            return "input/output error";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : m;
    }

    /** "FILE: reason" for any I/O failure; {@code file} is used when the exception does not name one. */
    public static String describe(Path file, IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() != null ? " → " + f.getOtherFile() : "") + ": " + reason(e);
        }
        String r = reason(e);
        if (file == null || r.startsWith(file.toString())) {
            return r;
        }
        return file + ": " + r;
    }

    /** As {@link #describe(Path, IOException)} for an exception that may name its file itself. */
    public static String describe(IOException e) {
        return describe(null, e);
    }

    /** The exception as a {@link FileSystemException} naming {@code file}, if it does not name one already. */
    public static FileSystemException naming(Path file, IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f;
        }
        FileSystemException f = new FileSystemException(file.toString(), null, reason(e));
        f.initCause(e);
        return f;
    }
}
