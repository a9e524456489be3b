package widenet.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one durable write: whole or nothing, never through a link, ordinary permissions, no temporary file left. */
class DurableFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesReplacesAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("run.json");
        DurableFiles.writeString(f, "one");
        DurableFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(List.of(f), files());
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesItsTemporaryFile() throws IOException {
        Path f = dir.resolve("x.csv");
        DurableFiles.writeString(f, "old");
        IOException e = assertThrows(
                IOException.class,
                () -> DurableFiles.write(f, ch -> {
                    ch.write(ByteBuffer.wrap("partial".getBytes(StandardCharsets.UTF_8)));
                    throw new IOException("No space left on device");
                }));
        assertEquals(
                f + ": No space left on device",
                FileErrors.describe(e),
                "the message names the file, not only the folder");
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), files());
    }

    /** Issue 17, finding 3: a symbolic link at the target is refused, and what it points at is untouched. */
    @Test
    void refusesToWriteThroughASymbolicLink() throws IOException {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path link = Files.createSymbolicLink(dir.resolve("metrics.csv"), victim);
        FileSystemException e = assertThrows(FileSystemException.class, () -> DurableFiles.writeString(link, "x"));
        assertTrue(FileErrors.describe(e).contains("symbolic link"), FileErrors.describe(e));
        assertThrows(
                FileSystemException.class,
                () -> DurableFiles.openNoFollow(link, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        assertThrows(
                FileSystemException.class,
                () -> DurableFiles.openNoFollow(
                        link,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING));
        Path dangling = Files.createSymbolicLink(dir.resolve("lock"), dir.resolve("nowhere"));
        assertThrows(
                FileSystemException.class,
                () -> DurableFiles.openNoFollow(dangling, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        assertFalse(Files.exists(dir.resolve("nowhere")));
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link), "the link itself is not replaced either");
    }

    @Test
    void refusesAFolderAsTarget() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("report.html"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> DurableFiles.writeString(sub, "x"));
        assertEquals(sub + ": is a folder, not a file", FileErrors.describe(e));
    }

    /** Issue 17, finding 11: files get 0666 & ~umask like any program's output, not 0600. */
    @Test
    void filesGetTheUmasksPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        // What the umask gives a file created the ordinary way, here and now.
        Path plain = dir.resolve("plain");
        try (FileChannel ch = FileChannel.open(plain, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        Path f = dir.resolve("theory.json");
        DurableFiles.writeString(f, "{}");
        assertEquals(
                PosixFilePermissions.toString(expected),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Path copy = dir.resolve("copy");
        DurableFiles.copy(f, copy);
        assertEquals(
                PosixFilePermissions.toString(expected),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
    }

    @Test
    void copiesWholeFiles() throws IOException {
        Path src = dir.resolve("src");
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Files.write(src, big);
        DurableFiles.copy(src, dir.resolve("sub/dst"));
        assertTrue(java.util.Arrays.equals(big, Files.readAllBytes(dir.resolve("sub/dst"))));
    }

    @Test
    void removesTheTemporaryFilesAKilledWriterLeft() throws IOException {
        Path stray = Files.writeString(dir.resolve(DurableFiles.temporaryName("run.json")), "half");
        Path mine = Files.writeString(dir.resolve(".hidden"), "keep");
        Path other = Files.writeString(dir.resolve("notes.tmp"), "keep");
        assertEquals(List.of(stray), DurableFiles.removeTemporaries(dir));
        assertEquals(List.of(mine, other).stream().sorted().toList(), files());
    }

    @Test
    void moveIsAtomicAndDeleteNeverFollowsLinks() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path tree = Files.createDirectories(dir.resolve("a/b"));
        Files.createSymbolicLink(tree.resolve("link"), outside);
        DurableFiles.move(dir.resolve("a"), dir.resolve("c"));
        assertTrue(Files.isDirectory(dir.resolve("c/b")));
        DurableFiles.deleteRecursively(dir.resolve("c"));
        assertFalse(Files.exists(dir.resolve("c")));
        assertEquals("keep", Files.readString(outside.resolve("keep")));
    }

    @Test
    void describesFileProblemsInTheUsersTerms() {
        IOException missing =
                assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(dir.resolve("nope.npy")));
        assertEquals(dir.resolve("nope.npy") + ": no such file or folder", FileErrors.describe(missing));
        assertEquals(
                dir.resolve("x") + ": Is a directory",
                FileErrors.describe(dir.resolve("x"), new IOException("Is a directory")));
        assertEquals(dir + ": input/output error", FileErrors.describe(dir, new IOException()));
    }
}
