package widenet.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.InputException;
import widenet.train.internal.Json;

/** Reading the JSON files of a folder and turning their values into table cells. */
final class JsonValues {
    private JsonValues() {}

    /** The file's top-level object; an input error naming the file (and line) if it is not one. */
    static Map<String, Object> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new InputException(file + " does not exist");
            }
            return Json.read(file);
        } catch (java.io.IOException e) {
            throw new InputException("cannot read " + widenet.files.FileErrors.describe(file, e), e);
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputException(file + ": not a JSON object (" + e.getMessage() + ")");
        }
    }

    /** A nested object, or an empty map when absent; an input error when present but not an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> m, String key, Path file) {
        Object o = m.get(key);
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map)) {
            throw new InputException(file + ": \"" + key + "\" should be an object, found " + kind(o));
        }
        return (Map<String, Object>) o;
    }

    static String kind(Object o) {
        return o instanceof List
                ? "an array"
                : o instanceof Map
                        ? "an object"
                        : o instanceof String
                                ? "a string"
                                : o instanceof Number ? "a number" : o instanceof Boolean ? "a boolean" : "null";
    }

    /** A number field, NaN when absent or not a number (NaN/Infinity may be written as strings). */
    static double number(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The numbers of an array, or null when the value is not an array of numbers. */
    static double[] numbers(Object o) {
        if (!(o instanceof List<?> l) || l.isEmpty()) {
            return null;
        }
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            Object e = l.get(i);
            if (e instanceof Number n) {
                v[i] = n.doubleValue();
            } else if (e == null || (e instanceof String s && s.equalsIgnoreCase("nan"))) {
                v[i] = Double.NaN;
            } else {
                return null;
            }
        }
        return v;
    }

    /** Scalars of the object (and of nested objects, with dotted names), formatted; arrays summarised. */
    static Map<String, String> flatten(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", m, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, Object> m, Map<String, String> out) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (isTable(v)) {
                continue; // shown as its own table (see tables)
            }
            if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> n = (Map<String, Object>) nested;
                flatten(key + ".", n, out);
            } else {
                out.put(key, format(v));
            }
        }
    }

    /** A non-empty array of objects, e.g. one entry per run: shown as a table rather than a cell. */
    static boolean isTable(Object v) {
        return v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> e instanceof Map);
    }

    /** Adds a table (header: the union of the objects' keys) for every array of objects in {@code m}, recursively. */
    static void addTables(Html page, Map<String, Object> m) {
        addTables(page, "", m);
    }

    @SuppressWarnings("unchecked")
    private static void addTables(Html page, String prefix, Map<String, Object> m) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (isTable(e.getValue())) {
                List<Map<String, Object>> rows = (List<Map<String, Object>>) e.getValue();
                java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
                rows.forEach(r -> keys.addAll(r.keySet()));
                List<List<String>> cells = new java.util.ArrayList<>();
                for (Map<String, Object> r : rows) {
                    cells.add(keys.stream().map(k -> format(r.get(k))).toList());
                }
                page.caption(prefix + e.getKey());
                page.table(List.copyOf(keys), cells);
            } else if (e.getValue() instanceof Map<?, ?> nested) {
                addTables(page, prefix + e.getKey() + ".", (Map<String, Object>) nested);
            }
        }
    }

    static String format(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Number n) {
            return Numbers.cell(n.doubleValue());
        }
        if (v instanceof List<?> l) {
            double[] nums = numbers(l);
            if (l.size() <= 12) {
                StringBuilder b = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) {
                    b.append(i > 0 ? ", " : "").append(nums != null ? Numbers.cell(nums[i]) : format(l.get(i)));
                }
                return b.append(']').toString();
            }
            return "[" + l.size() + " values]";
        }
        return String.valueOf(v);
    }
}
