package dev.nnc.runtime;

import java.util.List;

/** A named tensor a compiled network reads or writes: its name as the .nn source spells it, and its shape. */
public record TensorInfo(String name, List<Integer> shape) {
    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** The number of elements (1 for a scalar). */
    public int size() { return Sizes.length(shape); }

    /** Checks that {@code values} holds this tensor's elements, as a setter of it requires. */
    public void requireSize(double[] values) {
        if (values.length != size()) throw new IllegalArgumentException(name + " has " + size() + " elements, not " + values.length);
    }

    /** The subscripts of the element at row-major {@code offset}, counted from 1 as the .nn source counts. */
    public int[] position(int offset) {
        int[] at = new int[shape.size()];
        for (int d = at.length - 1; d >= 0; d--) {
            at[d] = offset % shape.get(d) + 1;
            offset /= shape.get(d);
        }
        return at;
    }

    /** {@code W1[3,17]} for the element at {@code offset}; the bare name for a scalar. */
    public String element(int offset) {
        if (shape.isEmpty()) return name;
        var b = new StringBuilder(name).append('[');
        int[] at = position(offset);
        for (int d = 0; d < at.length; d++) b.append(d == 0 ? "" : ",").append(at[d]);
        return b.append(']').toString();
    }

    /** {@code W1[256,784]}, or the bare name for a scalar. */
    @Override public String toString() {
        if (shape.isEmpty()) return name;
        var b = new StringBuilder(name).append('[');
        for (int k = 0; k < shape.size(); k++) b.append(k == 0 ? "" : ",").append(shape.get(k));
        return b.append(']').toString();
    }
}
