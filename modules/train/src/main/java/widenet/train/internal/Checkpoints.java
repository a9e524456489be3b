package widenet.train.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import widenet.files.DurableFiles;
import widenet.files.FileErrors;
import widenet.model.Network;
import widenet.model.Parameter;
import widenet.tensor.Npy;
import widenet.train.CheckpointException;

/**
 * Writing and finding checkpoints in a run folder's {@code checkpoints/}. A checkpoint is built in
 * {@code checkpoints/.partial-<step>/}: each file written and forced to disk, then read back for its CRC32, then the
 * {@link CheckpointManifest} (written last), the folder forced, and only then renamed to
 * {@code checkpoints/step-<step>} in one atomic rename. A crash at any moment leaves either the new checkpoint
 * complete or only a partial folder that is ignored and cleared; the previous {@value #KEEP} complete checkpoints
 * stay until a newer one is in place, so one damaged later (a checksum mismatch) still has a predecessor.
 */
public final class Checkpoints {
    public static final String FOLDER = "checkpoints";
    public static final String MANIFEST = "manifest";
    public static final String STATE = "checkpoint.json";
    /** Complete checkpoints kept. */
    public static final int KEEP = 2;

    private static final String PARTIAL = ".partial-";
    private static final Pattern STEP_DIR = Pattern.compile("step-([0-9]{1,19})");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** A failure injected before a file is written, for tests of what a full disk or an I/O error leaves behind. */
    interface Faults {
        void beforeWrite(String relativePath) throws IOException;
    }

    static volatile Faults faults = stallFromProperty();

    /**
     * Fault injection for tests that kill another process in the middle of a checkpoint write: with
     * {@code -D}{@value #STALL_PROPERTY}{@code =N} every checkpoint write stops for N ms with its manifest created
     * but still empty (all other files written), after saying so on stderr. Without the property, nothing.
     */
    public static final String STALL_PROPERTY = "widenet.checkpoint.stallBeforeManifestMillis";

    private static Faults stallFromProperty() {
        long millis = Long.getLong(STALL_PROPERTY, 0L);
        if (millis <= 0) {
            return path -> {};
        }
        return path -> {
            if (path.equals(MANIFEST)) {
                System.err.println("widenet: " + STALL_PROPERTY + ": checkpoint write stalled before its manifest for "
                        + millis + " ms");
                System.err.flush();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("checkpoint write stall interrupted");
                }
            }
        };
    }

    private Checkpoints() {}

    /** Parameter and state names become file names: letters, digits, '_', '-', '.', not "." or "..". */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    public static Path folder(Path runDir) {
        return runDir.resolve(FOLDER);
    }

    static String stepName(long step) {
        return String.format("step-%012d", step);
    }

    /**
     * Writes the network's state as the checkpoint at {@code state.position().step()}. {@code initDir} holds the
     * run's initial weights ({@code <param>.npy}); {@code initFiles} their expected size and CRC32, keyed by file
     * name (see {@link #describeFiles}), so a changed {@code init/} is noticed rather than copied. On failure the
     * partial folder is removed and the previous checkpoints are untouched.
     */
    public static Checkpoint write(
            Path runDir,
            Network net,
            Path initDir,
            Map<String, CheckpointManifest.Entry> initFiles,
            CheckpointState state)
            throws IOException {
        Path root = folder(runDir);
        Files.createDirectories(root);
        clearPartialsIn(root);
        long step = state.position().step();
        Path tmp = root.resolve(PARTIAL + step);
        Path target = root.resolve(stepName(step));
        CheckpointManifest manifest;
        try {
            for (String sub : List.of("init", "params", "state")) {
                Files.createDirectories(tmp.resolve(sub));
            }
            List<CheckpointManifest.Entry> entries = new ArrayList<>();
            entries.add(writeBytes(tmp, STATE, state.toJson()));
            for (Parameter p : net.parameters()) {
                entries.add(writeArray(tmp, "params/" + fileName(p), p));
            }
            for (Parameter p : net.extraState()) {
                entries.add(writeArray(tmp, "state/" + fileName(p), p));
            }
            for (Parameter p : net.parameters()) {
                String name = fileName(p);
                entries.add(copyVerified(initDir.resolve(name), tmp, "init/" + name, initFiles.get(name)));
            }
            for (String sub : List.of("init", "params", "state")) {
                forceDir(tmp.resolve(sub));
            }
            manifest = new CheckpointManifest(step, entries);
            writeBytes(tmp, MANIFEST, manifest.format());
            forceDir(tmp);
            if (Files.exists(target)) { // the same step again (a resumed run): replace it, never leaving none
                Path old = root.resolve(PARTIAL + "old-" + step);
                move(target, old);
                move(tmp, target);
                deleteRecursively(old);
            } else {
                move(tmp, target);
            }
            forceDir(root);
        } catch (IOException | RuntimeException e) {
            try {
                deleteRecursively(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        prune(root);
        return new Checkpoint(target, manifest, state);
    }

    private static String fileName(Parameter p) {
        if (!isValidName(p.name())) {
            throw new IllegalArgumentException("parameter name '" + p.name() + "' cannot be a file name");
        }
        return p.name() + ".npy";
    }

    /** Size and CRC32 of {@code dir/<param>.npy} for each parameter, keyed by file name. */
    public static Map<String, CheckpointManifest.Entry> describeFiles(Path dir, List<Parameter> params)
            throws IOException {
        Map<String, CheckpointManifest.Entry> out = new java.util.LinkedHashMap<>();
        for (Parameter p : params) {
            String name = fileName(p);
            out.put(name, entry(dir.resolve(name), name));
        }
        return out;
    }

    private static CheckpointManifest.Entry writeArray(Path dir, String rel, Parameter p) throws IOException {
        Path file = dir.resolve(rel);
        try {
            faults.beforeWrite(rel);
            if (p.vector()) {
                Npy.write(file, p.value().asVector());
            } else {
                Npy.write(file, p.value());
            }
            return entry(file, rel);
        } catch (IOException e) {
            throw naming(file, e);
        }
    }

    /** The error with the file it concerns, so the one-line message says where (Npy's own errors may not). */
    static java.nio.file.FileSystemException naming(Path file, IOException e) {
        return FileErrors.naming(file, e);
    }

    private static CheckpointManifest.Entry writeBytes(Path dir, String rel, byte[] bytes) throws IOException {
        Path file = dir.resolve(rel);
        try (FileChannel ch = DurableFiles.createNew(file)) {
            faults.beforeWrite(rel);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw naming(file, e);
        }
        return new CheckpointManifest.Entry(rel, bytes.length, CheckpointManifest.crc32(bytes, bytes.length));
    }

    private static CheckpointManifest.Entry copyVerified(
            Path src, Path dir, String rel, CheckpointManifest.Entry expected) throws IOException {
        Path file = dir.resolve(rel);
        try {
            faults.beforeWrite(rel);
            Files.copy(src, file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw naming(file, e);
        }
        CheckpointManifest.Entry e = entry(file, rel);
        if (expected != null && (e.bytes() != expected.bytes() || e.crc32() != expected.crc32())) {
            throw new CheckpointException(src + " changed since the run started (size " + e.bytes() + ", crc32 "
                    + CheckpointManifest.hex(e.crc32()) + "; expected " + expected.bytes() + ", "
                    + CheckpointManifest.hex(expected.crc32()) + "); the initial weights are no longer known");
        }
        return e;
    }

    /** Size and CRC32 of a file as it is on disk. */
    static CheckpointManifest.Entry entry(Path file, String rel) throws IOException {
        CRC32 crc = new CRC32();
        long size = 0;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int r; (r = ch.read(buf.clear())) >= 0; ) {
                crc.update(buf.flip());
                size += r;
            }
        }
        return new CheckpointManifest.Entry(rel, size, crc.getValue());
    }

    private static void move(Path from, Path to) throws IOException {
        DurableFiles.move(from, to);
    }

    /** Forces a folder's entries (new names, renames) to disk. */
    static void forceDir(Path dir) throws IOException {
        DurableFiles.forceFolder(dir);
    }

    static void clearPartials(Path runDir) throws IOException {
        Path root = folder(runDir);
        if (Files.isDirectory(root)) {
            clearPartialsIn(root);
        }
    }

    private static void clearPartialsIn(Path root) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root, PARTIAL + "*")) {
            for (Path p : s) {
                deleteRecursively(p);
            }
        }
    }

    /** Removes all but the newest {@link #KEEP} complete checkpoints (by their step). */
    private static void prune(Path root) throws IOException {
        List<Long> steps = steps(root);
        for (int i = KEEP; i < steps.size(); i++) {
            deleteRecursively(root.resolve(stepName(steps.get(i))));
        }
    }

    /** The steps of the {@code step-*} folders, newest first. */
    static List<Long> steps(Path root) throws IOException {
        List<Long> steps = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return steps;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            for (Path p : s) {
                Matcher m = STEP_DIR.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    try {
                        steps.add(Long.parseLong(m.group(1)));
                    } catch (NumberFormatException e) {
                        // 19 digits above Long.MAX_VALUE: not ours
                    }
                }
            }
        }
        steps.sort(Comparator.reverseOrder());
        return steps;
    }

    static void deleteRecursively(Path p) throws IOException {
        DurableFiles.deleteRecursively(p);
    }

    /** Removes every checkpoint of a run (when it has finished, or is started afresh). */
    public static void deleteAll(Path runDir) throws IOException {
        deleteRecursively(folder(runDir));
    }

    /**
     * Loads and verifies the checkpoint in {@code dir}: the manifest's own checksum, then every file it lists (size
     * and CRC32), then {@code checkpoint.json}, and that the files the state names are all there.
     */
    public static Checkpoint load(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST);
        try {
            if (!Files.isRegularFile(manifestFile)) {
                throw new CheckpointException(manifestFile + " is missing");
            }
            long size = Files.size(manifestFile);
            if (size > CheckpointManifest.MAX_BYTES) {
                throw new CheckpointException(
                        manifestFile + ": " + size + " bytes, more than a manifest's " + CheckpointManifest.MAX_BYTES);
            }
            CheckpointManifest manifest =
                    CheckpointManifest.parse(Files.readAllBytes(manifestFile), manifestFile.toString());
            Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
            if (m.matches() && Long.parseLong(m.group(1)) != manifest.step()) {
                throw new CheckpointException(
                        manifestFile + ": step " + manifest.step() + " but the folder is " + dir.getFileName());
            }
            for (CheckpointManifest.Entry e : manifest.files()) {
                Path file = dir.resolve(e.path());
                if (!Files.isRegularFile(file)) {
                    throw new CheckpointException(file + " is missing (listed in the manifest)");
                }
                CheckpointManifest.Entry actual = entry(file, e.path());
                if (actual.bytes() != e.bytes() || actual.crc32() != e.crc32()) {
                    throw new CheckpointException(file + ": " + actual.bytes() + " bytes with crc32 "
                            + CheckpointManifest.hex(actual.crc32()) + ", the manifest says " + e.bytes()
                            + " bytes with crc32 " + CheckpointManifest.hex(e.crc32()) + ": corrupted");
                }
            }
            if (manifest.entry(STATE) == null) {
                throw new CheckpointException(manifestFile + ": does not list " + STATE);
            }
            CheckpointState state = CheckpointState.parse(
                    Files.readAllBytes(dir.resolve(STATE)), dir.resolve(STATE).toString());
            if (state.position().step() != manifest.step()) {
                throw new CheckpointException(dir.resolve(STATE) + ": step "
                        + state.position().step() + ", the manifest's is " + manifest.step());
            }
            for (String p : state.parameters()) {
                requireListed(manifest, dir, "params/" + p + ".npy");
                requireListed(manifest, dir, "init/" + p + ".npy");
            }
            for (String s : state.state()) {
                requireListed(manifest, dir, "state/" + s + ".npy");
            }
            return new Checkpoint(dir, manifest, state);
        } catch (IOException e) {
            throw new CheckpointException("cannot read the checkpoint " + widenet.files.FileErrors.describe(dir, e), e);
        }
    }

    private static void requireListed(CheckpointManifest manifest, Path dir, String rel) {
        if (manifest.entry(rel) == null) {
            throw new CheckpointException(dir.resolve(MANIFEST) + ": does not list " + rel);
        }
    }

    /** The newest checkpoint that verifies, and what was wrong with any newer ones. */
    public record Latest(Checkpoint checkpoint, List<String> skipped) {}

    /**
     * The newest good checkpoint of the run in {@code runDir}; damaged newer ones are skipped (and said why).
     * {@link CheckpointException} when there is none.
     */
    public static Latest latest(Path runDir) {
        Path root = folder(runDir);
        List<Long> steps;
        try {
            steps = steps(root);
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + widenet.files.FileErrors.describe(root, e), e);
        }
        List<String> skipped = new ArrayList<>();
        for (long s : steps) {
            try {
                return new Latest(load(root.resolve(stepName(s))), skipped);
            } catch (CheckpointException e) {
                skipped.add(e.getMessage());
            }
        }
        if (steps.isEmpty()) {
            throw new CheckpointException(runDir + " has no checkpoint (" + root + " holds none)");
        }
        throw new CheckpointException(runDir + ": no usable checkpoint: " + String.join("; ", skipped));
    }

    /** Puts the checkpoint's initial weights back into {@code init/} if they differ there; returns their sizes and CRCs. */
    static Map<String, CheckpointManifest.Entry> restoreInitFolder(Checkpoint cp, Network net, Path initDir)
            throws IOException {
        Map<String, CheckpointManifest.Entry> out = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) {
            String name = p.name() + ".npy";
            CheckpointManifest.Entry want = cp.manifest().entry("init/" + name);
            Path file = initDir.resolve(name);
            CheckpointManifest.Entry have = Files.isRegularFile(file) ? Checkpoints.entry(file, name) : null;
            if (have == null || have.bytes() != want.bytes() || have.crc32() != want.crc32()) {
                DurableFiles.copy(cp.dir().resolve("init").resolve(name), file);
            }
            out.put(name, new CheckpointManifest.Entry(name, want.bytes(), want.crc32()));
        }
        return out;
    }
}
