package widenet.train.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import widenet.files.DurableFiles;
import widenet.files.FileErrors;
import widenet.train.InputException;
import widenet.train.OutputException;

/**
 * Exclusive use of a run folder: an OS lock ({@link FileChannel#tryLock()}) on {@code DIR/lock}, held for the life
 * of the run. The operating system drops it when the process dies however it dies, so a crashed run never leaves a
 * stale lock; the file's text (pid, host, start) is only there to name the holder in the refusal message.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "lock";
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (which must exist), or refuses with an {@link InputException} naming the holder. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = DurableFiles.openNoFollow(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new OutputException(dir + " is not writable: cannot open " + file + " (" + reason(e) + ")", e);
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process (another run in it)
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw new InputException(
                        dir + " is in use by another widenet run" + (holder.isEmpty() ? "" : " (" + holder + ")")
                                + "; wait for it to finish, stop it, or choose another folder");
            }
            String text =
                    "pid " + ProcessHandle.current().pid() + " on " + hostName() + " since " + Instant.now() + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new RunLock(file, ch, lock);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new OutputException("cannot lock " + file + ": " + reason(e), e);
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(200);
        ch.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).replaceAll("[^\\p{Print}]", "?");
    }

    /** The host name without a network look-up (which can hang on a machine without DNS). */
    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                h = "unknown host";
            }
        }
        return h;
    }

    static String reason(IOException e) {
        return FileErrors.reason(e);
    }

    public Path file() {
        return file;
    }

    /** Releases the lock; the file stays (deleting it would race with a process that has just opened it). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
