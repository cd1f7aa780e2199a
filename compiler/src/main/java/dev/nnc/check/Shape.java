package dev.nnc.check;

import java.util.List;
import java.util.stream.Collectors;

/** The shape of a value: its sizes, one per index; a scalar has none. */
public record Shape(List<Integer> dims) {
    public static final Shape SCALAR = new Shape(List.of());

    public Shape { dims = List.copyOf(dims); }

    public static Shape of(List<Integer> dims) { return dims.isEmpty() ? SCALAR : new Shape(dims); }

    public int rank() { return dims.size(); }

    public boolean isScalar() { return dims.isEmpty(); }

    public int size() { return dims.stream().reduce(1, (a, b) -> a * b); }

    /** "a scalar" or "shape [3,4]", for messages. */
    public String describe() { return isScalar() ? "a scalar" : "shape " + this; }

    @Override public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }
}
