package widenet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line that continues a stopped multi-run command (a reproduction, a sweep): the same words and
 * options as typed, shell-quoted, without {@code --force} (which would start afresh), with {@code --out} added when
 * the folder was the default one.
 */
final class ContinueCommandLine {
    private ContinueCommandLine() {}

    static String of(CommandSpec spec, boolean outGiven, Path dir) {
        List<String> args = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" "))); // "widenet sweep"
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        // The parse result's arguments start with those of the parent command, up to this command's name.
        int from = original.indexOf(spec.name()) + 1;
        for (String a : original.subList(from, original.size())) {
            if (!a.equals("--force")) {
                args.add(a.isEmpty() || a.matches(".*[\\s'\"$`].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
            }
        }
        if (!outGiven) {
            args.addAll(List.of("--out", dir.toString()));
        }
        return String.join(" ", args);
    }
}
