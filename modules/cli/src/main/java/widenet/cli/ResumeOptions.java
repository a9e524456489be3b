package widenet.cli;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import widenet.train.InputException;

/**
 * {@code widenet train --resume DIR}: the run's settings come from its checkpoint. An option given on the command
 * line must agree with the recorded value ({@code --lr 0.2 differs from the checkpoint's 0.1}); the others take the
 * recorded values. The rule that links them: an option named {@code --some-name} (any of its names) is the setting
 * {@code some_name} of {@code run.json}'s "settings" object. So every option must either be recorded there under
 * such a key or be listed in {@link #RUN_CONTROL} (options that only steer the run); otherwise resume refuses.
 */
final class ResumeOptions {
    /** Options that do not change the results, allowed with any value on resume. */
    static final Set<String> RUN_CONTROL = Set.of("--resume", "--quiet", "--checkpoint-every", "--help", "--version", "--force");
    /** Recorded settings that are not applied: the initial weights come from the checkpoint. */
    static final Set<String> NOT_APPLIED = Set.of("init");

    private ResumeOptions() {
    }

    /** The setting an option is recorded as: the first of its names that {@code settings} has, as snake_case. */
    static String key(OptionSpec o, Map<String, Object> settings) {
        for (String name : o.names()) {
            String k = name.replaceFirst("^-+", "").replace('-', '_');
            if (settings.containsKey(k)) {
                return k;
            }
        }
        return null;
    }

    /**
     * Refuses options that differ from {@code settings}, then sets every other option to its recorded value. An
     * option that is neither run control nor recorded is refused too: resuming without knowing its value could
     * silently continue a different run.
     */
    static void apply(CommandSpec spec, ParseResult parsed, Map<String, Object> settings) {
        if (parsed.hasMatchedOption("--out")) {
            throw new InputException("--out cannot be combined with --resume: the run continues in its own folder");
        }
        for (OptionSpec o : spec.options()) {
            if (RUN_CONTROL.contains(o.longestName()) || o.longestName().equals("--out") || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            String key = key(o, settings);
            String name = key == null ? o.longestName() : "--" + key.replace('_', '-');
            if (key == null) {
                throw new InputException(parsed.hasMatchedOption(o.longestName())
                        ? name + " cannot be given with --resume: the checkpoint does not record it"
                        : "cannot resume: the checkpoint does not record " + name + " (written by another version of widenet?)");
            }
            if (parsed.hasMatchedOption(o.longestName())) {
                Object recorded = settings.get(key);
                if (!same(o.getValue(), recorded)) {
                    String given = o.arity().max == 0 ? "" : " " + String.join(" ", parsed.matchedOption(o.longestName()).stringValues());
                    throw new InputException(name + given + " differs from the checkpoint's "
                            + (o.arity().max == 0 ? name + " " : "") + recorded);
                }
            } else if (!NOT_APPLIED.contains(key)) {
                o.setValue(convert(settings.get(key), o.type(), name));
            }
        }
    }

    /** Equal as numbers (0.1 and 0.10, 48 and 48.0), as text, or both absent. */
    static boolean same(Object given, Object recorded) {
        if (given == null || recorded == null) {
            return given == recorded;
        }
        if (given instanceof Number && recorded instanceof Number) {
            try {
                return new BigDecimal(given.toString()).compareTo(new BigDecimal(recorded.toString())) == 0;
            } catch (NumberFormatException e) {   // NaN, Infinity
                return given.toString().equals(recorded.toString());
            }
        }
        return given.toString().equals(recorded.toString());
    }

    /** The recorded JSON value as the option's type; a mismatch means the checkpoint was damaged or edited. */
    static Object convert(Object v, Class<?> type, String option) {
        if (v == null) {
            if (type.isPrimitive()) {
                throw new InputException("the checkpoint records no value for " + option);
            }
            return null;
        }
        try {
            if (type == String.class) {
                return v.toString();
            }
            if (type == Path.class) {
                return Path.of(v.toString());
            }
            if (type == boolean.class || type == Boolean.class) {
                if (v instanceof Boolean b) {
                    return b;
                }
            } else if (v instanceof Number n) {
                BigDecimal x = new BigDecimal(n.toString());
                if (type == int.class || type == Integer.class) {
                    return x.intValueExact();
                }
                if (type == long.class || type == Long.class) {
                    return x.longValueExact();
                }
                if (type == double.class || type == Double.class) {
                    return n.doubleValue();
                }
            }
        } catch (ArithmeticException | java.nio.file.InvalidPathException | NumberFormatException e) {
            // fall through to the error below
        }
        throw new InputException("the checkpoint records " + option + " as '" + v + "', not a " + type.getSimpleName());
    }
}
