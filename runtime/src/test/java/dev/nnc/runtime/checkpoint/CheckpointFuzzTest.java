package dev.nnc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.runtime.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated hostile weights files: every way of damaging a checkpoint's header, its JSON and its metadata that the
 * generators below produce must end in a {@link CheckpointError} of one line that starts with the file's name — or be
 * read — and never in another exception (a NumberFormatException, a StackOverflowError, a NegativeArraySizeException).
 */
class CheckpointFuzzTest {
    @TempDir Path dir;

    static final String NAME = "w.safetensors";

    /** A checkpoint as training writes it: parameters, Adam's state and every metadata field nnc reads back. */
    static byte[] checkpoint(Map<String, String> metadataChanges) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(Checkpoint.NETWORK, "Net");
        meta.put(Checkpoint.STEP, "12");
        meta.put(Checkpoint.EPOCH, "2");
        meta.put(Checkpoint.SEED, "-7");
        meta.put(Checkpoint.BATCH, "16");
        meta.put(Checkpoint.EPOCHS, "10");
        meta.put(Checkpoint.NORMALIZATION, "standard x=0.5:2,1:0.25");
        meta.put(Checkpoint.TASK, "BINARY");
        meta.put(Checkpoint.HISTORY, "1:0.7,0.6,0.5,NaN,NaN,0.01;2:0.5,0.4,0.75,NaN,NaN,0.02");
        meta.putAll(metadataChanges);
        meta.values().removeIf(v -> v == null);
        return Safetensors.encode(List.of(
                new Safetensors.Entry("W", DType.F32, List.of(2, 2), new double[] {1, 2, 3, 4}),
                new Safetensors.Entry("b", DType.F64, List.of(), new double[] {0.5}),
                new Safetensors.Entry("optimizer.m.W", DType.F32, List.of(2, 2), new double[] {0, 0, 0, 0})), meta);
    }

    /** Either the file is read, or it is refused in one line naming it; anything else fails the test. */
    static CheckpointError decode(byte[] bytes, String what) {
        try {
            Safetensors.decode(bytes, NAME);
            return null;
        } catch (CheckpointError e) {
            assertTrue(e.getMessage().startsWith(NAME + ": "), what + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), what + ": one line: " + e.getMessage());
            return e;
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        }
    }

    @Test void deepNestingIsAMessageNotAStackOverflow() {
        for (String open : List.of("[", "{\"a\":")) {
            String json = open.repeat(100_000);
            var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(json));
            assertEquals("at character " + Json.MAX_DEPTH * open.length() + " of the header: arrays and objects nested more than "
                    + Json.MAX_DEPTH + " deep", e.getMessage());
        }
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(deepest); // as deep as allowed is read
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[" + deepest + "]"));
        var e = decode(header("[".repeat(100_000)), "100,000 [");
        assertEquals(NAME + ": not a safetensors file: at character 64 of the header: arrays and objects nested more than 64 deep", e.getMessage());
    }

    @Test void jsonMistakesAreMessages() {
        for (String bad : List.of("{\"a\":1,\"a\":2}", "{\"a\":null,\"a\":2}", "{\"a\\u12\":1}", "{\"a\\uzzzz\":1}", "{\"a\":1e999999}",
                "{\"a\":-}", "{\"a\":[1,2}", "{\"a\" 1}", "{a:1}", "{\"a\":tru}", "\"", "{\"a\":\"\\q\"}", "{}x", "")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("at character "), bad + ": " + e.getMessage());
        }
    }

    static byte[] header(String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    /** Random damage, seeded: flipped bytes, cut files, inserted JSON punctuation, lying lengths and offsets. */
    @Test void mutatedFilesAreReadOrRefusedInOneLine() {
        byte[] good = checkpoint(Map.of());
        decode(good, "the original"); // sanity: it is read
        int headerLength = (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        var random = new SplittableRandom(15);
        byte[] punctuation = "{}[]\":,\\-0123456789eE.nul tf".getBytes(StandardCharsets.US_ASCII);
        int refused = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] b = good.clone();
            int edits = 1 + random.nextInt(4);
            for (int k = 0; k < edits; k++) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(7)) {
                    case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> {
                        int p = 8 + random.nextInt(headerLength);
                        if (p < b.length) b[p] = punctuation[random.nextInt(punctuation.length)];
                    }
                    case 2 -> b = Arrays.copyOf(b, at);
                    case 3 -> { // delete a stretch
                        int n = Math.min(b.length - at, 1 + random.nextInt(16));
                        byte[] c = new byte[b.length - n];
                        System.arraycopy(b, 0, c, 0, at);
                        System.arraycopy(b, at + n, c, at, b.length - at - n);
                        b = c;
                    }
                    case 4 -> { // duplicate a stretch
                        int n = Math.min(b.length - at, 1 + random.nextInt(16));
                        byte[] c = new byte[b.length + n];
                        System.arraycopy(b, 0, c, 0, at + n);
                        System.arraycopy(b, at, c, at + n, b.length - at);
                        b = c;
                    }
                    case 5 -> { // a lying header length
                        if (b.length >= 8) {
                            long n = switch (random.nextInt(3)) {
                                case 0 -> random.nextLong();
                                case 1 -> headerLength + random.nextInt(-8, 9);
                                default -> -1L;
                            };
                            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
                        }
                    }
                    default -> { // a digit of the header changed: shapes, offsets, metadata numbers
                        int start = 8 + random.nextInt(headerLength);
                        for (int p = start; p < Math.min(b.length, 8 + headerLength); p++) {
                            if (b[p] >= '0' && b[p] <= '9') {
                                b[p] = (byte) ('0' + random.nextInt(10));
                                break;
                            }
                        }
                    }
                }
                if (b.length == 0) break;
            }
            if (decode(b, "round " + round) != null) refused++;
        }
        assertTrue(refused > 10_000, "most damage is noticed: " + refused);
    }

    /** Generated shapes and offsets: negative, huge, overflowing, overlapping, out of the file. */
    @Test void shapesAndOffsetsThatLieAreRefused() {
        List<String> numbers = List.of("0", "1", "-1", "8", "2147483647", "2147483648", "4294967296", "9223372036854775807",
                "-9223372036854775808", "99999999999999999999", "1.5", "1e3", "null", "\"4\"");
        int cases = 0;
        for (String d1 : numbers) {
            for (String d2 : numbers) {
                for (String end : List.of("8", "16", "0", "-8", "9223372036854775807", "4294967304")) {
                    String json = "{\"a\":{\"dtype\":\"F64\",\"shape\":[" + d1 + "," + d2 + "],\"data_offsets\":[0," + end + "]}}";
                    byte[] h = header(json);
                    byte[] withData = Arrays.copyOf(h, h.length + 16);
                    decode(withData, json);
                    cases++;
                }
            }
        }
        assertEquals(numbers.size() * numbers.size() * 6, cases);
        var e = decode(withData("{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}}", 8), "overflow");
        assertEquals(NAME + ": tensor a has a bad shape [4294967296, 4294967296, 4294967296]; expected sizes from 0 to 2147483647", e.getMessage());
        e = decode(withData("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8),
                "a product that wraps around");
        assertEquals(NAME + ": tensor a has 8 bytes of data, but F64[2147483647, 2147483647, 2147483647, 2147483647, 2147483647] needs more than "
                + "the file's 8 data bytes", e.getMessage());
        assertEquals(null, decode(withData("{\"a\":{\"dtype\":\"F64\",\"shape\":[4000000,0],\"data_offsets\":[0,0]}}", 0), "empty"));
    }

    static byte[] withData(String json, int data) {
        byte[] h = header(json);
        return Arrays.copyOf(h, h.length + data);
    }

    /**
     * Every metadata field nnc reads back, given every kind of bad value: refused naming the file and the field, as
     * {@code FILE: metadata KEY …}, when the file is read — before anything uses it.
     */
    @Test void everyMetadataFieldIsCheckedNamingTheFileAndTheField() throws Exception {
        List<String> bad = List.of("", "abc", "-1", "1.5", "1e400", "NaN", "Infinity", "99999999999999999999", "0x10", " 3", "1:2",
                ";", "3;", "minmax", "minmax x=", "minmax x=2:1", "standard x=1:-1", "standard x=1:0,1:NaN", "standard x=1:1 x=1:1",
                "scale(0)", "1:1,2,3,4,5,6", "2:1,1,1,1,1,1", "\n", "0");
        List<String> fields = List.of(Checkpoint.STEP, Checkpoint.EPOCH, Checkpoint.SEED, Checkpoint.BATCH, Checkpoint.EPOCHS, Checkpoint.NORMALIZATION,
                Checkpoint.TASK, Checkpoint.HISTORY);
        Path file = dir.resolve(NAME);
        int refused = 0;
        for (String field : fields) {
            for (String value : bad) {
                var change = new HashMap<String, String>();
                change.put(field, value);
                if (field.equals(Checkpoint.EPOCH) || field.equals(Checkpoint.HISTORY)) change.put(field.equals(Checkpoint.EPOCH) ? Checkpoint.HISTORY : Checkpoint.EPOCH, null);
                Files.write(file, checkpoint(change));
                try {
                    var loaded = Checkpoint.read(file);
                    assertTrue(acceptable(field, value), field + " = \"" + value + "\" was accepted: " + loaded.parsed());
                } catch (CheckpointError e) {
                    refused++;
                    assertTrue(e.getMessage().startsWith(file + ": metadata " + field + " "), field + " = \"" + value + "\": " + e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                } catch (Throwable t) {
                    fail(field + " = \"" + value + "\": " + t, t);
                }
            }
        }
        assertTrue(refused > fields.size() * bad.size() / 2, "refused " + refused);
    }

    /** The values of the list above that are good for a field after all. */
    private static boolean acceptable(String field, String v) {
        return switch (field) {
            case Checkpoint.STEP, Checkpoint.EPOCH -> v.equals("0");
            case Checkpoint.SEED -> v.equals("0") || v.equals("-1");
            case Checkpoint.HISTORY -> v.isEmpty() || v.equals("\n") || v.equals("1:1,2,3,4,5,6"); // blank: no history yet
            case Checkpoint.NORMALIZATION -> false;
            default -> false;
        };
    }

    @Test void theMeaningOfEachFieldIsKept() throws Exception {
        Path file = dir.resolve(NAME);
        Files.write(file, checkpoint(Map.of()));
        var m = Checkpoint.read(file).parsed();
        assertEquals(12L, m.step());
        assertEquals(-7L, m.seed());
        assertEquals(2, m.epoch());
        assertEquals(2, m.history().size());
        assertEquals(0.75, m.history().get(1).trainAccuracy());
        assertEquals("standard x=0.5:2,1:0.25", m.normalization().encode());
        assertEquals("BINARY", m.task());
        Files.write(file, checkpoint(new HashMap<>(Map.of(Checkpoint.STEP, "x"))));
        var e = assertThrows(CheckpointError.class, () -> Checkpoint.read(file));
        assertEquals(file + ": metadata nnc.step is \"x\"; expected the number of optimizer steps so far, a whole number ≥ 0", e.getMessage());
    }

    @Test void filesThatAreNotFilesAreNamed() {
        var e = assertThrows(CheckpointError.class, () -> Checkpoint.read(dir));
        assertEquals(dir + ": cannot read: it is a directory, not a file", e.getMessage());
        e = assertThrows(CheckpointError.class, () -> Checkpoint.read(Path.of("")));
        assertEquals("'': cannot read: the path is empty; give a file name", e.getMessage());
        if (Files.exists(Path.of("/dev/zero"))) {
            e = assertThrows(CheckpointError.class, () -> Checkpoint.read(Path.of("/dev/zero")));
            assertEquals("/dev/zero: cannot read: it is a device, not a file", e.getMessage());
        }
    }

    @Test void tensorNamesWithLineBreaksStayOnOneLine() {
        var e = decode(withData("{\"a\\nb\":{\"dtype\":\"F99\",\"shape\":[],\"data_offsets\":[0,8]}}", 8), "line break");
        assertEquals(NAME + ": tensor a\\nb has dtype F99; nnc reads F16, BF16, F32 and F64", e.getMessage());
    }
}
