package dev.nnc.runtime;

import java.util.List;

/** A named tensor a compiled network reads or writes: its name as the .nn source spells it, and its shape. */
public record TensorInfo(String name, List<Integer> shape) {
    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** The number of elements (1 for a scalar). */
    public int size() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** {@code W1[256,784]}, or the bare name for a scalar. */
    @Override public String toString() {
        if (shape.isEmpty()) return name;
        var b = new StringBuilder(name).append('[');
        for (int k = 0; k < shape.size(); k++) b.append(k == 0 ? "" : ",").append(shape.get(k));
        return b.append(']').toString();
    }
}
