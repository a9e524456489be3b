package widenet.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON form of a {@link RunSpec}: snake_case names, every field written (null included), sealed families as a
 * {@code "kind"} member, and {@code "schema_version"} first. This is the {@code "spec"} object of {@code run.json};
 * {@link #fromMap} reads it back and {@link #differences} compares two, field by field.
 */
public final class RunSpecJson {
    public static final String SCHEMA_VERSION = "schema_version";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RunSpecJson() {}

    /** The spec as JSON-ready maps, lists, numbers, strings and booleans. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(RunSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SCHEMA_VERSION, RunSpec.SCHEMA_VERSION);
        m.putAll(MAPPER.convertValue(spec, Map.class));
        return m;
    }

    /** The spec a {@link #toMap} map describes; an {@link InputException} names what does not fit. */
    public static RunSpec fromMap(Map<?, ?> json, String source) {
        Object v = json.get(SCHEMA_VERSION);
        if (!(v instanceof Number n) || n.intValue() < 1 || n.intValue() > RunSpec.SCHEMA_VERSION) {
            throw new InputException(source + ": spec schema_version " + v + " is not one this widenet reads (1 to "
                    + RunSpec.SCHEMA_VERSION + ")");
        }
        Map<Object, Object> body = new LinkedHashMap<>(json);
        body.remove(SCHEMA_VERSION);
        try {
            return MAPPER.convertValue(body, RunSpec.class);
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof JsonMappingException j)) {
                throw new InputException(source + ": not a run spec", e);
            }
            String at = j.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining("."))
                    .replace(".[", "[");
            throw new InputException(
                    source + ": not a run spec" + (at.isEmpty() ? "" : ": spec." + at) + ": " + problem(j), e);
        }
    }

    /** What Jackson found wrong, in the JSON's terms (its own messages name Java classes). */
    private static String problem(JsonMappingException j) {
        return switch (j) {
            case com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u ->
                "unknown field '" + u.getPropertyName()
                        + "'"
                        + (u.getKnownPropertyIds() == null
                                        || u.getKnownPropertyIds().isEmpty()
                                ? ""
                                : " (known: "
                                        + u.getKnownPropertyIds().stream()
                                                .map(String::valueOf)
                                                .sorted()
                                                .collect(java.util.stream.Collectors.joining(", "))
                                        + ")");
            case com.fasterxml.jackson.databind.exc.InvalidTypeIdException t -> "unknown kind '" + t.getTypeId() + "'";
            case com.fasterxml.jackson.databind.exc.InvalidFormatException f ->
                "'" + f.getValue() + "' is not " + kind(f.getTargetType());
            case com.fasterxml.jackson.databind.exc.MismatchedInputException m
            when m.getTargetType() != null -> "expected " + kind(m.getTargetType());
            default -> "malformed";
        };
    }

    private static String kind(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    /** The spec as JSON text. */
    public static String toJson(RunSpec spec) {
        try {
            return MAPPER.writeValueAsString(toMap(spec));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One field where two specs differ: its dotted path (e.g. {@code model.width}) and both values. */
    public record Difference(String field, Object was, Object now) {
        @Override
        public String toString() {
            return field + " " + show(was) + " → " + show(now);
        }

        private static String show(Object v) {
            return v instanceof List<?> l
                    ? String.join(",", l.stream().map(String::valueOf).toList())
                    : String.valueOf(v);
        }
    }

    /** Every field (leaf) where {@code was} and {@code now} differ, numbers compared by value (0.1 = 0.10, 48 = 48.0). */
    public static List<Difference> differences(Map<?, ?> was, Map<?, ?> now) {
        List<Difference> out = new ArrayList<>();
        compare("", was, now, out);
        return out;
    }

    private static void compare(String path, Object a, Object b, List<Difference> out) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            List<Object> keys = new ArrayList<>(ma.keySet());
            for (Object k : mb.keySet()) {
                if (!ma.containsKey(k)) {
                    keys.add(k);
                }
            }
            for (Object k : keys) {
                compare(path.isEmpty() ? String.valueOf(k) : path + "." + k, ma.get(k), mb.get(k), out);
            }
        } else if (!same(a, b)) {
            out.add(new Difference(path, a, b));
        }
    }

    /** Equal as numbers (0.1 and 0.10, 48 and 48.0), as lists element by element, as text, or both absent. */
    public static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            try {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            } catch (NumberFormatException e) { // NaN, Infinity
                return a.toString().equals(b.toString());
            }
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> || b instanceof Map<?, ?>) {
            List<Difference> d = new ArrayList<>();
            compare("", a instanceof Map<?, ?> ? a : Map.of(), b instanceof Map<?, ?> ? b : Map.of(), d);
            return d.isEmpty() && (a instanceof Map<?, ?>) == (b instanceof Map<?, ?>);
        }
        return Objects.equals(a.toString(), b.toString());
    }
}
