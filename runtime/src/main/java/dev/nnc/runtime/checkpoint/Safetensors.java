package dev.nnc.runtime.checkpoint;

import dev.nnc.runtime.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
 * JSON mapping each tensor's name to its dtype, shape and [begin, end) byte offsets into the data that
 * follows (plus an optional {@code __metadata__} map of strings), then the tensors' little-endian bytes
 * back to back. F32 and F64 are written; F16, BF16, F32 and F64 are read (as doubles).
 */
public final class Safetensors {
    private Safetensors() {}

    /** One tensor: its values row-major, and the type it is (or is to be) stored in. */
    public record Entry(String name, DType dtype, List<Integer> shape, double[] values) {
        public Entry {
            shape = List.copyOf(shape);
        }
    }

    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {}

    /** The bytes of a file holding these tensors, in this order, and the metadata. */
    public static byte[] encode(List<Entry> tensors, Map<String, String> metadata) {
        var header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            int k = 0;
            for (var e : metadata.entrySet()) header.append(k++ == 0 ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            header.append('}');
        }
        long offset = 0;
        for (Entry t : tensors) {
            long bytes = (long) t.values().length * t.dtype().bytes;
            header.append(header.length() == 1 ? "" : ",").append(Json.quote(t.name())).append(":{\"dtype\":\"").append(t.dtype())
                    .append("\",\"shape\":").append(t.shape().toString().replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the data starts 8-byte aligned, as the reference writer does
        var out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int k = json.length; k < padded; k++) out.put((byte) ' ');
        for (Entry t : tensors) {
            for (double v : t.values()) {
                if (t.dtype() == DType.F32) out.putFloat((float) v);
                else out.putDouble(v);
            }
        }
        return out.array();
    }

    /** Reads a file's bytes; {@code name} says which file in messages. */
    public static Contents decode(byte[] bytes, String name) throws CheckpointError {
        var in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) throw new CheckpointError(name + ": not a safetensors file: " + bytes.length + " bytes, too short for the header length");
        long n = in.getLong();
        if (n < 2 || n > bytes.length - 8) {
            throw new CheckpointError(name + ": not a safetensors file: the header length " + Long.toUnsignedString(n)
                    + " does not fit the file's " + bytes.length + " bytes" + (bytes.length > 0 ? " (is it truncated?)" : ""));
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new CheckpointError(name + ": not a safetensors file: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new CheckpointError(name + ": not a safetensors file: the header is not a JSON object");
        long dataStart = 8 + n, dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        for (var e : header.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw new CheckpointError(name + ": __metadata__ is not a map of strings");
                for (var me : m.entrySet()) {
                    if (!(me.getValue() instanceof String v)) throw new CheckpointError(name + ": __metadata__ value " + me.getKey() + " is not a string");
                    metadata.put((String) me.getKey(), v);
                }
                continue;
            }
            tensors.put(key, entry(key, e.getValue(), in, dataStart, dataLength, ranges, name));
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long expect = 0;
        for (long[] r : ranges) {
            if (r[0] != expect) throw new CheckpointError(name + ": tensors' data " + (r[0] < expect ? "overlaps" : "has a gap") + " at byte " + (dataStart + r[0]));
            expect = r[1];
        }
        if (expect != dataLength) throw new CheckpointError(name + ": " + (dataLength - expect) + " bytes after the last tensor's data");
        return new Contents(tensors, metadata);
    }

    private static Entry entry(String key, Object value, ByteBuffer in, long dataStart, long dataLength, List<long[]> ranges, String name)
            throws CheckpointError {
        if (!(value instanceof Map<?, ?> t) || !(t.get("dtype") instanceof String dtype) || !(t.get("shape") instanceof List<?> shapeList)
                || !(t.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw new CheckpointError(name + ": tensor " + key + " lacks a dtype, shape or data_offsets");
        }
        List<Integer> shape = new ArrayList<>();
        long count = 1;
        for (Object d : shapeList) {
            if (!(d instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) throw new CheckpointError(name + ": tensor " + key + " has a bad shape " + shapeList + "; expected sizes from 0 to " + Integer.MAX_VALUE);
            shape.add(dim.intValue());
            // more elements than the file could hold is the same mistake as data_offsets outside it, and must not wrap around
            count = count == 0 || dim == 0 ? 0 : Math.min(dataLength + 1, Math.min(count, dataLength + 1) * Math.min(dim, dataLength + 1));
        }
        int width = switch (dtype) {
            case "F64" -> 8;
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new CheckpointError(name + ": tensor " + key + " has dtype " + dtype + "; nnc reads F16, BF16, F32 and F64");
        };
        if (begin < 0 || end < begin || end > dataLength) {
            throw new CheckpointError(name + ": tensor " + key + "'s data [" + begin + ", " + end + ") lies outside the file's " + dataLength
                    + " data bytes (is it truncated?)");
        }
        if (end - begin != count * width) {
            throw new CheckpointError(name + ": tensor " + key + " has " + (end - begin) + " bytes of data, but " + dtype + shape + " needs "
                    + (count > dataLength ? "more than the file's " + dataLength + " data bytes" : count * width));
        }
        ranges.add(new long[] {begin, end});
        double[] v = new double[(int) count];
        int at = (int) (dataStart + begin);
        for (int k = 0; k < v.length; k++, at += width) {
            v[k] = switch (dtype) {
                case "F64" -> in.getDouble(at);
                case "F32" -> in.getFloat(at);
                case "F16" -> halfToFloat(in.getShort(at));
                default -> Float.intBitsToFloat((in.getShort(at) & 0xffff) << 16);
            };
        }
        return new Entry(key, dtype.equals("F64") ? DType.F64 : DType.F32, shape, v);
    }

    /**
     * An IEEE half-precision value, exactly as a float. (Java 20's {@code Float.float16ToFloat}; the runtime runs on
     * Java 17.)
     */
    static float halfToFloat(short half) {
        int bits = half & 0xffff, exponent = (bits >>> 10) & 0x1f, fraction = bits & 0x3ff;
        boolean negative = (bits & 0x8000) != 0;
        if (exponent == 0) { // zero or subnormal: fraction · 2⁻²⁴, exact in a float
            float v = fraction * 0x1p-24f;
            return negative ? -v : v;
        }
        int sign = negative ? 0x8000_0000 : 0;
        if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f80_0000 | fraction << 13); // infinity, NaN
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | fraction << 13);
    }
}
