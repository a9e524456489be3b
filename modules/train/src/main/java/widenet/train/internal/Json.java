package widenet.train.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import widenet.files.DurableFiles;
import widenet.train.InputException;

/** Settings and summaries as JSON (Jackson), written atomically. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        // Settings files are small; a deeply nested or huge document is damage, not data.
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(400)
                        .build());
    }

    private Json() {}

    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static void write(Path file, Object value) throws IOException {
        DurableFiles.writeString(file, toString(value) + "\n");
    }

    /** Reads a JSON object from {@code file}; anything else (malformed, not an object) is an {@link InputException}. */
    public static Map<String, Object> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses a JSON object (e.g. {@code run.json}); malformed text, a top-level value that is not an object, or
     * trailing garbage is an {@link InputException} naming {@code source}, the line and the column.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(byte[] bytes, String source) {
        Object value;
        try {
            value = MAPPER.readValue(bytes, Object.class);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new InputException(source + ": malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + oneLine(e.getOriginalMessage()));
        } catch (IOException e) { // e.g. CharConversionException: not UTF-8/16/32
            throw new InputException(source + ": not JSON text: " + oneLine(e.getMessage()));
        }
        if (!(value instanceof Map)) {
            throw new InputException(source + ": expected a JSON object, found "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return (Map<String, Object>) value;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String l = s.lines().findFirst().orElse("");
        return l.length() > 200 ? l.substring(0, 200) + "…" : l;
    }
}
