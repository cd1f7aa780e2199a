package dev.nnc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    static final List<Safetensors.Entry> ENTRIES = List.of(
            new Safetensors.Entry("W1", DType.F64, List.of(2, 3), new double[] {1, -2.5, Math.PI, 1e-300, -0.0, 7}),
            new Safetensors.Entry("h1.w", DType.F32, List.of(3), new double[] {0.1, 2, -3}),
            new Safetensors.Entry("b", DType.F64, List.of(), new double[] {42}));

    @Test
    void roundTripKeepsNamesShapesValuesAndMetadata() throws Exception {
        byte[] bytes = Safetensors.encode(ENTRIES, Map.of("nnc.epoch", "3", "quote\"d", "a\\b\nc"));
        var c = Safetensors.decode(bytes, "x.safetensors");
        assertEquals(List.of("W1", "h1.w", "b"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(ENTRIES.get(0).values(), c.tensors().get("W1").values());
        assertArrayEquals(new double[] {0.1f, 2, -3}, c.tensors().get("h1.w").values(), "F32 holds the float-rounded values");
        assertEquals(List.of(), c.tensors().get("b").shape());
        assertEquals("3", c.metadata().get("nnc.epoch"));
        assertEquals("a\\b\nc", c.metadata().get("quote\"d"));
    }

    @Test
    void layoutFollowsTheSpecification() {
        byte[] bytes = Safetensors.encode(ENTRIES, Map.of());
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertEquals("{\"W1\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,48]},"
                + "\"h1.w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[60,68]}}", header);
        assertEquals(8 + n + 68, bytes.length);
        assertEquals(Math.PI, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble((int) (8 + n + 16)));
    }

    @Test
    void readsHalfPrecisionTypes() throws Exception {
        String json = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
        var buf = ByteBuffer.allocate(8 + json.length() + 6).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length()).put(json.getBytes(StandardCharsets.US_ASCII));
        buf.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f)).putShort((short) (Float.floatToIntBits(3.25f) >>> 16));
        var c = assertDoesNotThrow(buf.array());
        assertArrayEquals(new double[] {1.5, -2}, c.tensors().get("a").values());
        assertArrayEquals(new double[] {3.25}, c.tensors().get("b").values());
    }

    private static Safetensors.Contents assertDoesNotThrow(byte[] b) throws CheckpointError { return Safetensors.decode(b, "f"); }

    @Test
    void refusesBrokenFilesWithOneLine() {
        byte[] good = Safetensors.encode(ENTRIES, Map.of());
        assertBroken(Arrays.copyOf(good, 5), "f: not a safetensors file: 5 bytes, too short for the header length");
        assertBroken(Arrays.copyOf(good, good.length - 8), "f: tensor b's data [60, 68) lies outside the file's 60 data bytes (is it truncated?)");
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertBroken(longer, "f: 3 bytes after the last tensor's data");
        byte[] text = "hello world, not a checkpoint".getBytes(StandardCharsets.US_ASCII);
        var e = assertThrows(CheckpointError.class, () -> Safetensors.decode(text, "f"));
        assertEquals(true, e.getMessage().startsWith("f: not a safetensors file: the header length"), e.getMessage());
    }

    private static void assertBroken(byte[] bytes, String message) {
        var e = assertThrows(CheckpointError.class, () -> Safetensors.decode(bytes, "f"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        AtomicFile.write(f, new byte[] {1, 2, 3});
        AtomicFile.write(f, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(f));
        try (var list = Files.list(dir)) {
            assertEquals(List.of(f), list.toList());
        }
    }

    /** The runtime's own half-precision conversion (it runs on Java 17) against Java 20's, at every one of the 65,536 values. */
    @Test
    void everyHalfPrecisionValueReadsAsJavaReadsIt() {
        for (int k = 0; k < 0x10000; k++) {
            int bits = k;
            float expected = Float.float16ToFloat((short) bits), actual = Safetensors.halfToFloat((short) bits);
            if (Float.isNaN(expected)) { // Java's compiled float16ToFloat makes a NaN quiet, its interpreted one not: a NaN either way
                assertTrue(Float.isNaN(actual), () -> "0x" + Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), () -> "0x" + Integer.toHexString(bits));
            }
        }
    }
}
