package widenet.cli;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import widenet.train.InputException;

/**
 * {@code widenet train --resume DIR}: the run's options come from its checkpoint. A new run records the effective
 * value of every option ({@link #record}, under {@code settings.options} of {@code run.json}, which the checkpoint
 * keeps) by the option's first name; resuming sets each option to its recorded value ({@link #apply}). An option
 * given on the command line must agree with the recorded value ({@code --lr 0.2 differs from the checkpoint's 0.1}).
 * Options that only steer the run ({@link #RUN_CONTROL}) are neither recorded nor checked. So a new option needs
 * nothing to be resumable, unless it is run control, in which case it belongs in that list.
 */
final class ResumeOptions {
    /** Options that do not change the results, allowed with any value on resume. */
    static final Set<String> RUN_CONTROL = Set.of("--resume", "--quiet", "--checkpoint-every", "--force", "--out", "--max-memory");
    /** Recorded options that are not applied: the initial weights come from the checkpoint. */
    static final Set<String> NOT_APPLIED = Set.of("--init");

    private ResumeOptions() {
    }

    private static boolean recorded(OptionSpec o) {
        return !RUN_CONTROL.contains(o.names()[0]) && !o.usageHelp() && !o.versionHelp();
    }

    /** Every option's effective value (JSON-ready: numbers, booleans, strings, null), by its first name. */
    static Map<String, Object> record(CommandSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (recorded(o)) {
                Object v = o.getValue();
                out.put(o.names()[0], v instanceof Path p ? p.toString() : v);
            }
        }
        return out;
    }

    /**
     * Refuses options that differ from the recorded ones and {@code --out}, then sets every other option to its
     * recorded value. {@code settings} is the checkpoint's copy of {@code run.json}'s settings.
     */
    static void apply(CommandSpec spec, ParseResult parsed, Map<String, Object> settings) {
        if (parsed.hasMatchedOption("--out")) {
            throw new InputException("--out cannot be combined with --resume: the run continues in its own folder");
        }
        if (!(settings.get("options") instanceof Map<?, ?> options)) {
            throw new InputException("cannot resume: the checkpoint does not record the run's options (written by an older widenet?)");
        }
        for (OptionSpec o : spec.options()) {
            if (!recorded(o)) {
                continue;
            }
            String name = o.names()[0];
            boolean given = parsed.hasMatchedOption(name);
            if (!options.containsKey(name)) {   // an option newer than the checkpoint: its default is what the run had
                if (given) {
                    throw new InputException(name + " cannot be given with --resume: the checkpoint does not record it");
                }
                continue;
            }
            Object recorded = options.get(name);
            if (given) {
                if (!same(o.getValue(), recorded)) {
                    String value = o.arity().max == 0 ? "" : " " + String.join(" ", parsed.matchedOption(name).stringValues());
                    throw new InputException(name + value + " differs from the checkpoint's "
                            + (o.arity().max == 0 ? name + " " : "") + recorded);
                }
            } else if (!NOT_APPLIED.contains(name)) {
                o.setValue(convert(recorded, o.type(), name));
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
                if (v instanceof String s) {
                    return s;
                }
            } else if (type == Path.class) {
                if (v instanceof String s) {
                    return Path.of(s);
                }
            } else if (type == boolean.class || type == Boolean.class) {
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
        throw new InputException("the checkpoint records " + option + " as '" + abbreviate(String.valueOf(v)) + "', not a " + type.getSimpleName());
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
