package widenet.train.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import widenet.train.InputException;

/**
 * Where a command may write a result file the user named ({@code report --out}, {@code theory --json}): never over
 * an input. Refused: a path inside a widenet folder (a run, reproduction or sweep) other than the command's own,
 * and an existing file that is not of the kind written (an HTML page, a JSON document), so that
 * {@code report --out run/metrics.csv} cannot replace the run's metrics with HTML.
 */
public final class ResultTarget {
    /** The kinds of result file, each recognised by how its text starts. */
    public enum Kind {
        HTML("an HTML page", List.of("<!doctype html", "<html")),
        JSON("a JSON document", List.of("{", "["));

        final String what;
        final List<String> starts;

        Kind(String what, List<String> starts) {
            this.what = what;
            this.starts = starts;
        }
    }

    /** Files whose presence makes a folder widenet's (a run, a reproduction, a sweep). */
    private static final List<String> MARKERS = List.of(
            TrainingRun.RUN_JSON,
            TrainingRun.METRICS,
            "reproduction.json",
            "sweep.json",
            RunLock.FILE,
            Checkpoints.FOLDER);

    private ResultTarget() {}

    /**
     * Refuses {@code target} (an {@link InputException} naming {@code option}) unless writing {@code kind} there
     * replaces nothing but an earlier result: {@code ownFolder} (may be null) is the widenet folder the result
     * belongs in.
     */
    public static void check(String option, Path target, Path ownFolder, Kind kind) {
        Path file = target.toAbsolutePath().normalize();
        Path parent = file.getParent();
        if (parent != null
                && isWidenetFolder(parent)
                && (ownFolder == null
                        || !parent.equals(ownFolder.toAbsolutePath().normalize()))) {
            throw new InputException(option + " " + target + " is inside " + parent + ", a widenet "
                    + (ownFolder == null ? "" : "folder other than " + ownFolder + ", a ")
                    + "folder whose files are inputs; choose a path outside it");
        }
        if (Files.isSymbolicLink(file)) {
            throw new InputException(
                    option + " " + target + " is a symbolic link; widenet never writes through a link");
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException(option + " " + target + " is a folder; give a file name");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !startsAs(file, kind)) {
                throw new InputException(option + " " + target + " exists and is not " + kind.what
                        + "; widenet replaces only an earlier result of its own: remove it or choose another name");
            }
        }
    }

    private static boolean isWidenetFolder(Path dir) {
        for (String m : MARKERS) {
            if (Files.exists(dir.resolve(m), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsAs(Path file, Kind kind) {
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return false;
        }
        String s = new String(head, 0, n, StandardCharsets.UTF_8).stripLeading().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return true; // an empty file (e.g. made by mktemp) holds nothing to lose
        }
        return kind.starts.stream().anyMatch(s::startsWith);
    }
}
