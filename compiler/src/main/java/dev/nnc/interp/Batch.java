package dev.nnc.interp;

import java.util.Map;

/**
 * Samples for the interpreter: for each input and target (by name), {@code size} rows of that tensor's
 * elements, row-major, one after another.
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
}
