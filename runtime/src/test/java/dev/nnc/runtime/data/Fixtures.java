package dev.nnc.runtime.data;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Signatures and data file contents for the data reader tests. */
final class Fixtures {
    private Fixtures() {}

    static TensorInfo t(String name, Integer... shape) {
        return new TensorInfo(name, List.of(shape));
    }

    /** A network with these inputs and targets (no parameters or outputs: the readers do not look at them). */
    static Signature sig(List<TensorInfo> inputs, List<TensorInfo> targets) {
        return new Signature("Net", inputs, targets, List.of(), List.of(), "J", List.of());
    }

    /** x[3] → scalar y. */
    static Signature x3y() {
        return sig(List.of(t("x", 3)), List.of(t("y")));
    }

    /** x[2] → one-hot y[3]. */
    static Signature x2y3() {
        return sig(List.of(t("x", 2)), List.of(t("y", 3)));
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] b) {
        var out = new ByteArrayOutputStream();
        try (var z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An IDX file: magic 00 00 type rank, the dimensions, then the values of that type, big-endian. */
    static byte[] idx(IdxType type, int[] dims, double... values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length * type.bytes);
        b.put((byte) 0).put((byte) 0).put((byte) type.code).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        for (double v : values) {
            switch (type) {
                case UBYTE, BYTE -> b.put((byte) (int) v);
                case SHORT -> b.putShort((short) v);
                case INT -> b.putInt((int) v);
                case FLOAT -> b.putFloat((float) v);
                case DOUBLE -> b.putDouble(v);
            }
        }
        return b.array();
    }

    static byte[] ubytes(int[] dims, int... values) {
        return idx(IdxType.UBYTE, dims, Arrays.stream(values).asDoubleStream().toArray());
    }

    static int[] dims(int... d) {
        return d;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The rows' values as a list of lists, for readable assertions. */
    static List<List<Double>> rows(Dataset d, String column) {
        double[] c = d.column(column);
        int w = c.length / d.size();
        var out = new ArrayList<List<Double>>();
        for (int r = 0; r < d.size(); r++) {
            var row = new ArrayList<Double>();
            for (int e = 0; e < w; e++) row.add(c[r * w + e]);
            out.add(row);
        }
        return out;
    }
}
