package dev.nnc.runtime;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A mini-batch: for each input and target (by its .nn name), {@code size} rows of that tensor's elements,
 * row-major, one sample after another. A prediction's batch has no target columns.
 */
public record Batch(int size, Map<String, double[]> columns) {
    public Batch {
        columns = Map.copyOf(columns);
    }

    public double[] column(String name) {
        double[] c = columns.get(name);
        if (c == null) throw new IllegalArgumentException("the batch has no column " + name);
        return c;
    }

    /** The rows {@code rows} of this batch, in that order, as a new batch. */
    public Batch rows(int[] rows) {
        var out = new HashMap<String, double[]>();
        for (var e : columns.entrySet()) {
            int width = size == 0 ? 0 : e.getValue().length / size;
            double[] c = new double[rows.length * width];
            for (int r = 0; r < rows.length; r++) System.arraycopy(e.getValue(), rows[r] * width, c, r * width, width);
            out.put(e.getKey(), c);
        }
        return new Batch(rows.length, out);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public Batch slice(int from, int to) {
        var out = new HashMap<String, double[]>();
        for (var e : columns.entrySet()) {
            int width = size == 0 ? 0 : e.getValue().length / size;
            out.put(e.getKey(), Arrays.copyOfRange(e.getValue(), from * width, to * width));
        }
        return new Batch(to - from, out);
    }
}
