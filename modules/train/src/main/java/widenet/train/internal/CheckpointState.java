package widenet.train.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import widenet.train.CheckpointException;
import widenet.train.Dataset;
import widenet.train.InputException;
import widenet.train.Trainer;

/**
 * {@code checkpoint.json}: what a checkpoint holds besides the arrays. The trainer's {@link Trainer.Position}
 * (the last row's loss as its exact bits), which network wrote it (kind, parameter and extra-state names, which
 * name the {@code .npy} files), a fingerprint of the training data, and the run's settings as {@code run.json}
 * recorded them at the start, from which a resumed run rebuilds everything else.
 */
public record CheckpointState(
        Trainer.Position position,
        String networkKind,
        List<String> parameters,
        List<String> state,
        DataFingerprint data,
        Map<String, Object> settings) {
    public static final String FORMAT = "widenet-checkpoint-state";
    public static final int VERSION = 1;

    /** n, d, k of the data and the CRC32 of X then Y (float32 bits): a resumed run must train on the same data. */
    public record DataFingerprint(int n, int d, int k, long crc32) {
        public static DataFingerprint of(Dataset data) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            update(crc, data.x());
            update(crc, data.y());
            return new DataFingerprint(data.n(), data.d(), data.k(), crc.getValue());
        }

        private static void update(java.util.zip.CRC32 crc, widenet.tensor.FloatMatrix m) {
            long rowBytes = (long) m.cols() * Float.BYTES;
            for (int i = 0; i < m.rows(); i++) {
                crc.update(m.segment()
                        .asSlice((long) i * m.stride() * Float.BYTES, rowBytes)
                        .asByteBuffer());
            }
        }

        String describe() {
            return "n=" + n + ", d=" + d + ", k=" + k + ", crc32 " + CheckpointManifest.hex(crc32);
        }

        /** The JSON form: {@code n}, {@code d}, {@code k} and {@code crc32} (8 hex digits). */
        Map<String, Object> toMap() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("n", n);
            d.put("d", this.d);
            d.put("k", k);
            d.put("crc32", CheckpointManifest.hex(crc32));
            return d;
        }

        /** Reads {@link #toMap()}'s form; a {@link CheckpointException} names {@code source} and the field. */
        @SuppressWarnings("unchecked")
        static DataFingerprint fromMap(Map<?, ?> m, String source) {
            Fields f = new Fields((Map<String, Object>) m, source);
            int n = (int) f.integer("n", 1, Integer.MAX_VALUE);
            int dd = (int) f.integer("d", 1, Integer.MAX_VALUE);
            int k = (int) f.integer("k", 1, Integer.MAX_VALUE);
            String crc = f.string("crc32");
            if (!crc.matches("[0-9a-f]{8}")) {
                throw new CheckpointException(
                        source + ": data.crc32 '" + clip(crc) + "' is not 8 lowercase hex digits");
            }
            return new DataFingerprint(n, dd, k, Long.parseLong(crc, 16));
        }
    }

    public CheckpointState {
        parameters = List.copyOf(parameters);
        state = List.copyOf(state);
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        Trainer.Position p = position;
        m.put("step", p.step());
        m.put("epoch", p.epoch());
        m.put("cursor", p.cursor());
        m.put("last_row_step", p.lastRowStep());
        m.put("last_row_loss_bits", Long.toHexString(Double.doubleToRawLongBits(p.lastRowLoss())));
        m.put("last_row_loss", Double.isFinite(p.lastRowLoss()) ? p.lastRowLoss() : null);
        m.put("elapsed_seconds", p.elapsedSeconds());
        m.put("probe_seconds", p.probeSeconds());
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("kind", networkKind);
        net.put("parameters", parameters);
        net.put("state", state);
        m.put("network", net);
        m.put("data", data.toMap());
        m.put("settings", settings);
        return (Json.toString(m) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses and checks {@code checkpoint.json}; any problem is a {@link CheckpointException} naming {@code source}. */
    public static CheckpointState parse(byte[] json, String source) {
        Map<String, Object> m;
        try {
            m = Json.parse(json, source);
        } catch (CheckpointException e) {
            throw e;
        } catch (InputException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        Fields f = new Fields(m, source);
        if (!FORMAT.equals(f.string("format")) || f.integer("version", 1, 1) != VERSION) {
            throw new CheckpointException(source + ": not a " + FORMAT + " version " + VERSION);
        }
        long step = f.integer("step", 0, Long.MAX_VALUE);
        long epoch = f.integer("epoch", 0, Long.MAX_VALUE);
        long cursor = f.integer("cursor", 0, Integer.MAX_VALUE);
        long lastRowStep = f.integer("last_row_step", 0, step);
        String bits = f.string("last_row_loss_bits");
        if (!bits.matches("[0-9a-f]{1,16}")) {
            throw new CheckpointException(
                    source + ": last_row_loss_bits '" + clip(bits) + "' is not 1–16 lowercase hex digits");
        }
        double lastRowLoss = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        double elapsed = f.number("elapsed_seconds");
        if (!(elapsed >= 0) || Double.isInfinite(elapsed)) {
            throw new CheckpointException(source + ": elapsed_seconds must be a non-negative number, found " + elapsed);
        }
        // Absent in checkpoints written before it was recorded: the probe time of those sessions is unknown, 0.
        double probe = f.map().containsKey("probe_seconds") ? f.number("probe_seconds") : 0;
        if (!(probe >= 0) || Double.isInfinite(probe)) {
            throw new CheckpointException(source + ": probe_seconds must be a non-negative number, found " + probe);
        }
        Fields net = f.object("network");
        String kind = net.string("kind");
        List<String> params = net.names("parameters");
        List<String> state = net.names("state");
        DataFingerprint data = DataFingerprint.fromMap(f.object("data").map, source);
        Map<String, Object> settings = f.object("settings").map;
        Trainer.Position p = new Trainer.Position(step, epoch, (int) cursor, lastRowStep, lastRowLoss, elapsed, probe);
        return new CheckpointState(p, kind, params, state, data, settings);
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** Typed, checked access to the fields of a JSON object. */
    private record Fields(Map<String, Object> map, String source) {
        Object get(String key) {
            if (!map.containsKey(key)) {
                throw new CheckpointException(source + ": missing field '" + key + "'");
            }
            return map.get(key);
        }

        String string(String key) {
            if (get(key) instanceof String s) {
                return s;
            }
            throw wrongType(key, "a string");
        }

        long integer(String key, long min, long max) {
            Object v = get(key);
            if (v instanceof Integer || v instanceof Long) {
                long x = ((Number) v).longValue();
                if (x < min || x > max) {
                    throw new CheckpointException(
                            source + ": " + key + " = " + x + " is outside [" + min + ", " + max + "]");
                }
                return x;
            }
            throw wrongType(key, "an integer");
        }

        double number(String key) {
            if (get(key) instanceof Number x && !(x instanceof java.math.BigInteger)) {
                return x.doubleValue();
            }
            throw wrongType(key, "a number");
        }

        @SuppressWarnings("unchecked")
        Fields object(String key) {
            if (get(key) instanceof Map<?, ?> m) {
                return new Fields((Map<String, Object>) m, source + " " + key);
            }
            throw wrongType(key, "an object");
        }

        List<String> names(String key) {
            if (!(get(key) instanceof List<?> list)) {
                throw wrongType(key, "a list of names");
            }
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s) || !Checkpoints.isValidName(s) || out.contains(s)) {
                    throw new CheckpointException(source + ": " + key + " holds '" + clip(String.valueOf(o))
                            + "', not a distinct name of letters, digits, '_', '-' or '.'");
                }
                out.add(s);
            }
            return out;
        }

        CheckpointException wrongType(String key, String expected) {
            Object v = map.get(key);
            return new CheckpointException(source + ": " + key + " must be " + expected + ", found "
                    + (v == null ? "null" : clip(String.valueOf(v))));
        }
    }
}
