/**
 * The one base for widenet's files: {@link widenet.files.DurableFiles} (every result file written durably and
 * atomically, never through a symbolic link, with umask-respecting permissions), {@link widenet.files.Csv} (the
 * CSV files, numbers formatted and parsed in one place) and {@link widenet.files.FileErrors} (a file problem as one
 * line in the user's terms). It needs nothing but {@code java.base}, so every other module can stand on it.
 */
module widenet.files {
    exports widenet.files;
}
