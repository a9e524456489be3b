package widenet.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The one way widenet writes a file: a temporary file created new in the target's folder (so the rename cannot
 * cross file systems, and {@code O_CREAT|O_EXCL} never follows a link), the content written and forced to disk,
 * renamed over the target, then the folder forced so the rename itself survives a power cut. Readers see the old
 * file or the complete new one, never a part. A target that is a symbolic link (or a folder) is refused: widenet
 * never writes through a link, nor silently replaces one. Files get the ordinary permissions the process's umask
 * gives ({@code 0666 & ~umask}), like any other program's output.
 *
 * <p>Temporary files are named {@code .<target>.<random>.tmp}; {@link #removeTemporaries} clears those a killed
 * process left behind.
 */
public final class DurableFiles {
    private DurableFiles() {}

    /** What writes a file's content to its channel (positioned at 0). */
    @FunctionalInterface
    public interface Body {
        void write(FileChannel ch) throws IOException;
    }

    /** What writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final String TMP_SUFFIX = ".tmp";

    /** Writes {@code target} durably and atomically (see the class comment). */
    public static void write(Path target, Body body) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        if (dir == null) {
            throw new FileSystemException(target.toString(), null, "cannot write a file system root");
        }
        refuseLinkOrFolder(file);
        Files.createDirectories(dir);
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            Path t = dir.resolve(temporaryName(file.getFileName().toString()));
            try {
                ch = FileChannel.open(
                        t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                tmp = t;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
        try {
            try (FileChannel c = ch) {
                body.write(c);
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            // A write error ("No space left on device") does not say which file: the message must.
            if (t instanceof IOException io) {
                throw FileErrors.naming(file, io);
            }
            throw t;
        }
        forceFolder(dir);
    }

    /** As {@link #write(Path, Body)} with the content written to a stream. */
    public static void writeStream(Path target, Content content) throws IOException {
        write(target, (Body) ch -> {
            OutputStream out = Channels.newOutputStream(ch);
            content.writeTo(out);
            out.flush();
        });
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, (Body) ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies {@code source} to {@code target} through {@link #write(Path, Body)}: whole or not at all. */
    public static void copy(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            write(target, (Body) out -> {
                long size = in.size();
                for (long done = 0; done < size; ) {
                    long n = in.transferTo(done, size - done, out);
                    if (n <= 0 && in.size() <= done) {
                        break;
                    }
                    done += n;
                }
            });
        }
    }

    /**
     * A new file for writing whose name must not exist yet (for files written inside a folder that is itself
     * renamed into place, such as a checkpoint's): never follows a link. The caller forces and closes it.
     */
    public static FileChannel createNew(Path file) throws IOException {
        return FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Opens {@code file} with {@code options} (e.g. to append to it, or to create or truncate it), refusing a
     * symbolic link instead of writing to whatever it points at. For files written as they grow
     * ({@code metrics.csv}, the run lock), where a rename per line is not wanted.
     */
    public static FileChannel openNoFollow(Path file, OpenOption... options) throws IOException {
        refuseLinkOrFolder(file);
        Set<OpenOption> all = new java.util.HashSet<>(List.of(options));
        all.add(LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, all);
        } catch (FileSystemException e) {
            // A link created between the check and the open: O_NOFOLLOW fails with ELOOP.
            if (Files.isSymbolicLink(file)) {
                throw isALink(file);
            }
            throw e;
        }
    }

    /** Refuses a target that is a symbolic link (to anything, or dangling) or a folder. */
    public static void refuseLinkOrFolder(Path file) throws FileSystemException {
        if (Files.isSymbolicLink(file)) {
            throw isALink(file);
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(file.toString(), null, "is a folder, not a file");
        }
    }

    private static FileSystemException isALink(Path file) {
        return new FileSystemException(
                file.toString(),
                null,
                "is a symbolic link; widenet never writes through a link (remove it, or choose another folder)");
    }

    /** Renames {@code from} to {@code to} in one atomic step and forces both folders, so the rename is durable. */
    public static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        Path a = from.toAbsolutePath().getParent();
        Path b = to.toAbsolutePath().getParent();
        forceFolder(b);
        if (a != null && !a.equals(b)) {
            forceFolder(a);
        }
    }

    /**
     * Forces a folder's entries (new names, renames, removals) to disk. Where a folder cannot be opened or forced
     * (some platforms and file systems) the renames are still atomic, only not yet durable: nothing more to do.
     */
    public static void forceFolder(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | AccessDeniedException e) {
            // see above
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // EINVAL and the like from a file system that does not sync folders: see above
        }
    }

    /** Removes {@code p} and, if it is a folder, everything in it; never follows a link (a link is removed itself). */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** The name of a temporary file for {@code name}: hidden, random, ending in {@code .tmp}. */
    static String temporaryName(String name) {
        return "." + name + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TMP_SUFFIX;
    }

    /** True for a name {@link #write} gives its temporary files. */
    public static boolean isTemporary(String name) {
        return name.startsWith(".") && name.endsWith(TMP_SUFFIX) && name.length() > 1 + TMP_SUFFIX.length();
    }

    /**
     * Removes the temporary files a killed writer left in {@code dir} (not in its sub-folders). Call it only while
     * holding the folder (its run lock): another writer's temporary file would be removed under it.
     */
    public static List<Path> removeTemporaries(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(
                dir,
                p -> isTemporary(p.getFileName().toString()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path p : s) {
                Files.deleteIfExists(p);
                removed.add(p);
            }
        }
        return removed;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
