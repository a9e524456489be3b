package widenet.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import widenet.files.DurableFiles;
import widenet.files.FileErrors;
import widenet.train.internal.RunLock;

/** The output folder of a run; refuses to write into a non-empty folder unless told to overwrite. */
public final class RunFolder {
    private final Path root;

    private RunFolder(Path root) {
        this.root = root;
    }

    /** Creates (or, with {@code force}, reuses) {@code dir}; a non-empty folder without {@code force} is an input error. */
    public static RunFolder create(Path dir, boolean force) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new InputException("--out " + dir + " exists and is not a folder");
            }
            if (Files.isDirectory(dir) && !force) {
                try (Stream<Path> s = Files.list(dir)) {
                    // The lock (left by any run) and a killed writer's temporary files do not make a folder used.
                    if (s.anyMatch(f -> !f.getFileName().toString().equals(RunLock.FILE)
                            && !DurableFiles.isTemporary(f.getFileName().toString()))) {
                        throw new InputException(
                                "--out " + dir + " is not empty; choose another folder or add --force to overwrite");
                    }
                }
            }
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new InputException("--out " + dir + " is not writable");
            }
            return new RunFolder(dir);
        } catch (IOException e) {
            throw new InputException("cannot create --out " + FileErrors.describe(dir, e), e);
        }
    }

    /** An existing run folder, e.g. one being resumed. */
    public static RunFolder existing(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is not a folder");
        }
        return new RunFolder(dir);
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    /** A sub-folder, created if needed. */
    public Path folder(String name) {
        Path p = root.resolve(name);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + FileErrors.describe(p, e), e);
        }
        return p;
    }
}
