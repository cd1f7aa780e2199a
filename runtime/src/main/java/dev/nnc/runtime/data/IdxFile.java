package dev.nnc.runtime.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One IDX file (the format of MNIST, http://yann.lecun.com/exdb/mnist/): the magic number 00 00 TYPE RANK,
 * RANK big-endian 32-bit dimensions, then the values, big-endian, row-major. The first dimension counts the
 * items; the others are each item's shape. {@link #parse} checks the header and that the data is exactly as
 * long as the header says, so the values can then be read without further bounds checks.
 */
record IdxFile(Path file, byte[] bytes, IdxType type, int[] dims, int dataOffset) {
    static IdxFile parse(Path file, byte[] b) throws DataError {
        if ((b.length >= 1 && b[0] != 0) || (b.length >= 2 && b[1] != 0)) {
            long magic = 0;
            for (int k = 0; k < 4; k++) magic = magic << 8 | (k < b.length ? b[k] & 0xFF : 0);
            throw DataError.atByte(file, 0, String.format("wrong magic number 0x%08X; an IDX file starts 00 00 <type> <rank>", magic)
                    + (text(b) ? " (this looks like text: a CSV file is given alone, as the only data file)" : ""));
        }
        if (b.length < 4) {
            throw DataError.atByte(file, 0, "truncated IDX header: the file has " + b.length + (b.length == 1 ? " byte" : " bytes")
                    + "; an IDX file starts 00 00 <type> <rank>, then 4 bytes per dimension");
        }
        IdxType type = IdxType.of(b[2] & 0xFF);
        if (type == null) {
            throw DataError.atByte(file, 2, String.format("unknown IDX type 0x%02X; expected 08 (unsigned byte), 09 (signed byte), "
                    + "0B (16-bit integer), 0C (32-bit integer), 0D (32-bit float) or 0E (64-bit float)", b[2] & 0xFF));
        }
        int rank = b[3] & 0xFF;
        if (rank == 0) {
            throw DataError.atByte(file, 3, "rank 0; expected at least one dimension, the number of items");
        }
        int dataOffset = 4 + 4 * rank;
        if (b.length < dataOffset) {
            throw DataError.atByte(file, 4, "truncated IDX header: rank " + rank + " needs " + 4 * rank
                    + " bytes of dimensions, the file has " + (b.length - 4) + " more");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        // Sizes are unsigned 32-bit numbers: 0xFFFFFFFF is 4294967295 items, which no file here holds, not -1.
        long[] sizes = new long[rank];
        long values = 1;
        for (int d = 0; d < rank; d++) {
            sizes[d] = Integer.toUnsignedLong(buf.getInt(4 + 4 * d));
            // Saturates: a corrupt header may claim more values than a long holds; it is then simply truncated.
            values = sizes[d] == 0 ? 0 : Math.min(values, Long.MAX_VALUE / 16 / sizes[d]) * sizes[d];
        }
        if (sizes[0] == 0) throw DataError.atByte(file, 4, "no items; expected at least one sample");
        // The file is in one array, so after this check every size and value index fits in an int.
        long need = values * type.bytes;
        long have = (long) b.length - dataOffset;
        if (have < need) {
            throw DataError.atByte(file, dataOffset, "truncated data: " + describe(sizes, type) + " need "
                    + (need >= Long.MAX_VALUE / 16 ? "more bytes than any file holds" : need + " bytes") + " after the header, the file has " + have);
        }
        for (int d = 0; d < rank; d++) {
            if (sizes[d] > Integer.MAX_VALUE) {
                throw DataError.atByte(file, 4 + 4 * d, "dimension " + (d + 1) + " is " + sizes[d] + "; expected at most " + Integer.MAX_VALUE);
            }
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) dims[d] = (int) sizes[d];
        var f = new IdxFile(file, b, type, dims, dataOffset);
        if (have > need) {
            throw DataError.atByte(file, dataOffset + need, (have - need) + " bytes after the end of the data; expected "
                    + f.describe() + " to end the file");
        }
        return f;
    }

    int items() {
        return dims[0];
    }

    /** Values per item: the product of the dimensions after the first (1 for a rank-1 file). */
    int itemSize() {
        int n = 1;
        for (int d = 1; d < dims.length; d++) n *= dims[d];
        return n;
    }

    /** Each item's shape in words: {@code 28×28 values (784)}, or {@code single values} for rank 1. */
    String itemShape() {
        if (dims.length == 1) return "single values";
        var b = new StringBuilder();
        for (int d = 1; d < dims.length; d++) b.append(d == 1 ? "" : "×").append(dims[d]);
        return b + (dims.length == 2 ? " values" : " values (" + itemSize() + ")");
    }

    /** {@code 60000 items of 28×28 unsigned bytes}, or {@code 60000 unsigned bytes} for rank 1. */
    String describe() {
        return describe(Arrays.stream(dims).asLongStream().toArray(), type);
    }

    private static String describe(long[] sizes, IdxType type) {
        if (sizes.length == 1) return sizes[0] + " " + type.words;
        var b = new StringBuilder().append(sizes[0]).append(" items of ");
        for (int d = 1; d < sizes.length; d++) b.append(d == 1 ? "" : "×").append(sizes[d]);
        return b.append(' ').append(type.words).toString();
    }

    /** Value {@code k} (row-major over the whole file, from 0). */
    double value(int k) {
        int at = dataOffset + k * type.bytes;
        return switch (type) {
            case UBYTE -> bytes[at] & 0xFF;
            case BYTE -> bytes[at];
            case SHORT -> (short) ((bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF);
            case INT -> intAt(at);
            case FLOAT -> Float.intBitsToFloat(intAt(at));
            case DOUBLE -> Double.longBitsToDouble((long) intAt(at) << 32 | intAt(at + 4) & 0xFFFFFFFFL);
        };
    }

    /**
     * All values into {@code out}, converted to double. Unsigned bytes, the common case (a 60 000-image set is
     * 47 million of them), get a loop of their own.
     */
    void values(double[] out) {
        int n = out.length;
        if (type == IdxType.UBYTE) {
            for (int k = 0; k < n; k++) out[k] = bytes[dataOffset + k] & 0xFF;
        } else {
            for (int k = 0; k < n; k++) out[k] = value(k);
        }
    }

    /** The byte where value {@code k} starts. */
    long offsetOf(long k) {
        return dataOffset + k * type.bytes;
    }

    private int intAt(int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | bytes[at + 3] & 0xFF;
    }

    /** Whether the first bytes are printable ASCII, the sign of a text file given where IDX was expected. */
    private static boolean text(byte[] b) {
        int n = Math.min(b.length, 64);
        if (n == 0) return false;
        for (int k = 0; k < n; k++) {
            int c = b[k] & 0xFF;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c >= 0x7F) return false;
        }
        return true;
    }
}
